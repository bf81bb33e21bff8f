// The VMM's per-guest counters: ONE table (name and meaning), from which the
// struct, its sum and every printer (CLI JSON and text, the frontend) are derived.
//
// A guest's full picture is GuestCounters: the machine's counters for the work done
// on its behalf (machine::Counters, the same struct a bare machine has, so native and
// virtualized guests line up column by column) plus these.
#pragma once

#include <array>
#include <cstdint>

#include "isa/hypercalls.h"
#include "isa/isa.h"
#include "machine/counters.h"
#include "vmm/cycle_accounting.h"

namespace trapeze::vmm {

// clang-format off
#define TRAPEZE_VMM_COUNTERS(X) \
  X(world_switches,         "times the VMM switched the CPU to this guest from another (WORLD_SWITCH each)") \
  X(strategy_switches,      "times the guest was switched to another strategy while it ran") \
  X(vmm_cycles,             "host cycles the VMM spent on this guest's behalf: trap entries into the VMM, emulation, reflection, shadow work, world switches (included in cycles)") \
  X(emulated,               "privileged instructions the guest kernel ran in user mode, trapped and emulated on the virtual CPU (by instruction: emulated_by_op)") \
  X(reflected,              "exceptions and interrupts reflected into the guest's virtual trap vector (by cause: reflected_by_cause)") \
  X(reflected_faults,       "true guest page faults: the guest's own table said not present or not permitted (also in reflected)") \
  X(hidden_faults,          "hidden page faults: the shadow lacked an entry the guest's table has; handled without the guest") \
  X(write_protect_traps,    "writes to the guest's own page-table pages (and, under binary translation, to pages holding translated code), trapped by write protection and emulated") \
  X(shadow_updates,         "shadow page-table entries written: filled, upgraded on first write, dropped after a page-table write") \
  X(shadow_tables,          "shadow address spaces built: one per guest page-table root cached (each a kernel view and a user view)") \
  X(shadow_resets,          "the guest's shadow pool ran out (or its paging was turned off): all its shadows dropped") \
  X(virtual_interrupts,     "timer and device interrupts delivered into the guest (also in reflected)") \
  X(sensitive_unprivileged, "rdpsw, wrpsw, sptr run by the guest without trapping: invisible to a trap-and-emulate VMM, seen by the simulator") \
  X(hypercalls,             "hypercalls handled (para-virtual strategy); by number in the hc_* counters") \
  X(hc_console_write,       "HC_CONSOLE_WRITE hypercalls") \
  X(hc_get_psw,             "HC_GET_PSW hypercalls") \
  X(hc_set_psw,             "HC_SET_PSW hypercalls") \
  X(hc_set_ptr,             "HC_SET_PTR hypercalls") \
  X(hc_mmu_update,          "HC_MMU_UPDATE hypercalls (each a batch: mmu_update_entries / hc_mmu_update is the mean batch size)") \
  X(hc_set_tvec,            "HC_SET_TVEC hypercalls") \
  X(hc_iret,                "HC_IRET hypercalls") \
  X(hc_set_timer,           "HC_SET_TIMER hypercalls") \
  X(hc_tlb_flush,           "HC_TLB_FLUSH hypercalls") \
  X(hc_io_kick,             "HC_IO_KICK hypercalls") \
  X(hc_yield,               "HC_YIELD hypercalls") \
  X(hc_halt,                "HC_HALT hypercalls") \
  X(hc_unknown,             "hypercalls with a number not in the table (r1 = 0xFFFFFFFF)") \
  X(hc_errors,              "hypercalls that returned an error code (a bad MMU_UPDATE batch)") \
  X(mmu_update_entries,     "page-table entries applied by HC_MMU_UPDATE batches (with no write-protect trap)") \
  X(bt_blocks_translated,   "binary translation: guest-kernel blocks translated into the translation cache (BT_TRANSLATE per instruction)") \
  X(bt_instructions_translated, "binary translation: guest instructions translated (the sum of the blocks' lengths)") \
  X(bt_hits,                "binary translation: dispatcher lookups that found the block in the cache (BT_LOOKUP each)") \
  X(bt_misses,              "binary translation: dispatcher lookups that did not, so the block was translated (BT_LOOKUP each)") \
  X(bt_chained,             "binary translation: block-to-block transfers along a chain made earlier (free: no lookup)") \
  X(bt_invalidations,       "binary translation: guest pages holding translated code that were written (store or DMA), their blocks dropped") \
  X(bt_blocks_invalidated,  "binary translation: blocks dropped by those invalidations") \
  X(bt_evictions,           "binary translation: blocks evicted (oldest first) to make room in a full translation cache") \
  X(bt_callouts,            "binary translation: privileged and sensitive guest-kernel instructions run by a direct call into the VMM instead of a trap (by instruction: bt_callouts_by_op)") \
  X(bt_inline,              "binary translation: of those, the ones translated inline on the virtual CPU (BT_INLINE instead of BT_CALLOUT)") \
  X(bt_adaptive_stores,     "binary translation: page-table stores done by a callout after adaptive re-translation (no write-protect trap)")
// clang-format on

struct VmmCounters {
#define TRAPEZE_VMM_COUNTER_FIELD(name, doc) uint64_t name = 0;
  TRAPEZE_VMM_COUNTERS(TRAPEZE_VMM_COUNTER_FIELD)
#undef TRAPEZE_VMM_COUNTER_FIELD
  std::array<uint64_t, 256> emulated_by_op = {};                          // by opcode
  std::array<uint64_t, machine::kNumCauseCodes> reflected_by_cause = {};  // by cause code
  std::array<uint64_t, 256> bt_callouts_by_op = {};                       // by opcode
  bool operator==(const VmmCounters&) const = default;
};

// The counter of one hypercall number (hc_unknown for a number not in the table).
inline uint64_t VmmCounters::*hypercall_counter(uint32_t number) {
  switch (isa::Hypercall(number)) {
    case isa::Hypercall::CONSOLE_WRITE: return &VmmCounters::hc_console_write;
    case isa::Hypercall::GET_PSW: return &VmmCounters::hc_get_psw;
    case isa::Hypercall::SET_PSW: return &VmmCounters::hc_set_psw;
    case isa::Hypercall::SET_PTR: return &VmmCounters::hc_set_ptr;
    case isa::Hypercall::MMU_UPDATE: return &VmmCounters::hc_mmu_update;
    case isa::Hypercall::SET_TVEC: return &VmmCounters::hc_set_tvec;
    case isa::Hypercall::IRET: return &VmmCounters::hc_iret;
    case isa::Hypercall::SET_TIMER: return &VmmCounters::hc_set_timer;
    case isa::Hypercall::TLB_FLUSH: return &VmmCounters::hc_tlb_flush;
    case isa::Hypercall::IO_KICK: return &VmmCounters::hc_io_kick;
    case isa::Hypercall::YIELD: return &VmmCounters::hc_yield;
    case isa::Hypercall::HALT: return &VmmCounters::hc_halt;
  }
  return &VmmCounters::hc_unknown;
}

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
// `accounting` splits machine.cycles into guest, transitions and vmm
// (cycle_accounting.h), booked as they are charged, the same way for every strategy.
struct GuestCounters {
  machine::Counters machine;
  VmmCounters vmm;
  CycleAccounting accounting;
  bool operator==(const GuestCounters&) const = default;
};

}  // namespace trapeze::vmm
