// Saving and loading a machine's whole running state (state_archive.h): its
// processor, physical memory (and which pages hold decoded code), TLB, devices
// with their work in flight, timer, counters and both clocks, guest mode. What
// the configuration fixes (memory size, TLB shape, disk size) is checked, not
// loaded: the machine is built from the document first.
#pragma once

#include "machine/machine.h"
#include "machine/state_archive.h"

namespace trapeze::machine {

void archive_state(StateArchive& a, CpuState& s);
void archive_state(StateArchive& a, Counters& c);
void archive_state(StateArchive& a, DeviceBus& bus);
void archive_state(StateArchive& a, Machine& m);

// The one friend of the classes whose private state is archived (machine_state.cpp).
struct StateAccess {
  static void machine(StateArchive& a, Machine& m);
  static void tlb(StateArchive& a, Tlb& t, PhysicalMemory& mem);
  static void bus(StateArchive& a, DeviceBus& b);
  static void disk(StateArchive& a, Disk& d);
  static void console(StateArchive& a, Console& c);
  static void sampler(StateArchive& a, ServiceSampler& s);
  static void block(StateArchive& a, BlockDevice& d);
  static void ring(StateArchive& a, PvRing& r);
};

}  // namespace trapeze::machine
