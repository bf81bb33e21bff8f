// The VMM's per-guest counters: ONE table (name and meaning), from which the
// struct, its sum and every printer (CLI JSON and text, the frontend) are derived.
//
// A guest's full picture is GuestCounters: the machine's counters for the work done
// on its behalf (machine::Counters, the same struct a bare machine has, so native and
// virtualized guests line up column by column) plus these.
#pragma once

#include <array>
#include <cstdint>

#include "isa/isa.h"
#include "machine/counters.h"

namespace trapeze::vmm {

// clang-format off
#define TRAPEZE_VMM_COUNTERS(X) \
  X(world_switches,         "times the VMM switched the CPU to this guest from another (WORLD_SWITCH each)") \
  X(vmm_cycles,             "host cycles the VMM spent on this guest's behalf: trap entries into the VMM, emulation, reflection, shadow work, world switches (included in cycles)") \
  X(emulated,               "privileged instructions the guest kernel ran in user mode, trapped and emulated on the virtual CPU (by instruction: emulated_by_op)") \
  X(reflected,              "exceptions and interrupts reflected into the guest's virtual trap vector (by cause: reflected_by_cause)") \
  X(reflected_faults,       "true guest page faults: the guest's own table said not present or not permitted (also in reflected)") \
  X(hidden_faults,          "hidden page faults: the shadow lacked an entry the guest's table has; handled without the guest") \
  X(write_protect_traps,    "writes to the guest's own page-table pages, trapped by write protection and emulated") \
  X(shadow_updates,         "shadow page-table entries written: filled, upgraded on first write, dropped after a page-table write") \
  X(shadow_tables,          "shadow address spaces built: one per guest page-table root cached (each a kernel view and a user view)") \
  X(shadow_resets,          "the guest's shadow pool ran out (or its paging was turned off): all its shadows dropped") \
  X(virtual_interrupts,     "timer and device interrupts delivered into the guest (also in reflected)") \
  X(sensitive_unprivileged, "rdpsw, wrpsw, sptr run by the guest without trapping: invisible to a trap-and-emulate VMM, seen by the simulator")
// clang-format on

struct VmmCounters {
#define TRAPEZE_VMM_COUNTER_FIELD(name, doc) uint64_t name = 0;
  TRAPEZE_VMM_COUNTERS(TRAPEZE_VMM_COUNTER_FIELD)
#undef TRAPEZE_VMM_COUNTER_FIELD
  std::array<uint64_t, 256> emulated_by_op = {};                          // by opcode
  std::array<uint64_t, machine::kNumCauseCodes> reflected_by_cause = {};  // by cause code
  bool operator==(const VmmCounters&) const = default;
};

struct VmmCounterInfo {
  const char* name;
  const char* doc;
  uint64_t VmmCounters::*field;
};
inline constexpr VmmCounterInfo kVmmCounterInfo[] = {
#define TRAPEZE_VMM_COUNTER_INFO(name, doc) VmmCounterInfo{#name, doc, &VmmCounters::name},
    TRAPEZE_VMM_COUNTERS(TRAPEZE_VMM_COUNTER_INFO)
#undef TRAPEZE_VMM_COUNTER_INFO
};

// Everything counted for one guest. For a native guest `machine` is its own
// machine's counters and `vmm` is all zero. For a virtualized guest `machine`
// holds the host's counters for the time the guest was on the CPU, except:
//   cycles               host cycles while it ran + vmm.vmm_cycles
//   arch_cycles          its virtual clock (what its timer and devices see)
//   instructions_user/_kernel   by its *virtual* mode, emulated instructions included
//   port_in/out and device counters   its virtual devices
// so that instruction counts, arch_cycles and device counters equal bare metal's.
struct GuestCounters {
  machine::Counters machine;
  VmmCounters vmm;
  bool operator==(const GuestCounters&) const = default;
};

}  // namespace trapeze::vmm
