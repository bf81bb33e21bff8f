// Saving and loading a running VMM's whole state (machine/state_archive.h): the
// host machine (whose memory holds every virtualized guest, its physical map,
// shadow tables and control block), the event log, each guest's run state,
// virtual CPU, devices, counters and live strategy with that strategy's own
// structures (strategy_state.cpp), and the scheduler's position.
//
// Loading goes into a Vmm freshly built from the same document (same guests,
// images and settings): each guest is first switched to the strategy it had,
// then everything is overwritten. A failure leaves that Vmm unusable: build it
// again (Session::restore_state does all of this on a copy).
#pragma once

#include "machine/state_archive.h"
#include "vmm/vmm.h"

namespace trapeze::vmm {

class ShadowPageTables;
class GuestEngine;
class DeprivilegedStrategy;
class BinaryTranslation;
class HardwareAssisted;
class NativeStrategy;

void archive_state(machine::StateArchive& a, Vmm& vmm);
void archive_state(machine::StateArchive& a, GuestCounters& c);
void archive_state(machine::StateArchive& a, EventLog& log);

// The one friend of the VMM's classes whose private state is archived.
struct StateAccess {
  static void vmm(machine::StateArchive& a, Vmm& v);
  static void events(machine::StateArchive& a, EventLog& log);
  // Each strategy's own structures (strategy_state.cpp).
  static void strategy(machine::StateArchive& a, Strategy& s);
  static void shadows(machine::StateArchive& a, ShadowPageTables& s);
  static void engine(machine::StateArchive& a, GuestEngine& e);
  static void deprivileged(machine::StateArchive& a, DeprivilegedStrategy& s);
  static void translation_cache(machine::StateArchive& a, TranslationCache& c);
  static void binary_translation(machine::StateArchive& a, BinaryTranslation& s);
  static void hardware(machine::StateArchive& a, HardwareAssisted& s);
  static void native(machine::StateArchive& a, NativeStrategy& s);
};

}  // namespace trapeze::vmm
