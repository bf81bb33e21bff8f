// The machine's counters: one struct of plain integers, always on, cheap to keep.
//
// Every scalar counter is a row of ONE table (TRAPEZE_MACHINE_COUNTERS: name and
// meaning); the struct's fields, the element-wise sum and difference the VMM uses
// to charge a guest for its share of the host, and any printer that wants "every
// counter" (JSON, the frontend) are derived from it. docs/machine.md ("Counters")
// explains them at more length; the CLI prints them.
#pragma once

#include <array>
#include <cstdint>

#include "isa/isa.h"

namespace trapeze::machine {

inline constexpr int kNumCauseCodes = 32;  // Cause values are < 32; traps[] is indexed by them
inline constexpr int kNumExitCodes = 16;   // isa::vmcb::ExitReason values are < 16; vm_exits_by_reason[]

// clang-format off
#define TRAPEZE_MACHINE_COUNTERS(X) \
  /* time and work */ \
  X(cycles,              "simulated cycles since reset: the whole cost model, memory-system timing (page walks) included") \
  X(arch_cycles,         "the architectural clock: cycles of architectural work only (instruction classes, trap entries); page walks excluded. The timer and the devices run on it") \
  X(instructions_user,   "instructions retired in user mode") \
  X(instructions_kernel, "instructions retired in kernel mode") \
  /* traps (traps[] below counts them by cause) */ \
  X(interrupts,          "TIMER + DEVICE raised (also in traps[])") \
  X(intercepted,         "traps handed to the owner instead of the trap vector") \
  X(raised_by_owner,     "traps the owner delivered with Machine::raise()") \
  X(holes_in_user,       "sensitive-but-unprivileged instructions (rdpsw, wrpsw, sptr) executed in user mode: they did not trap, so an owner cannot see them") \
  /* MMU: a lookup is a search of the TLB for a virtual page (paging on only) */ \
  X(dtlb_hits,           "data TLB lookups that hit (one lookup per load/store, push/pop included)") \
  X(dtlb_misses,         "data TLB lookups that missed") \
  X(itlb_hits,           "instruction TLB lookups that hit (one each time execution enters a page other than the latched one)") \
  X(itlb_misses,         "instruction TLB lookups that missed") \
  X(walks,               "page walks (every TLB miss, plus dirty-bit updates)") \
  X(walk_refs,           "page-table memory reads by the walker") \
  X(ad_updates,          "page-table entries written back to set A or D") \
  X(tlb_flushes,         "tlbflush instructions and owner flushes") \
  X(tlb_invlpgs,         "invlpg instructions and owner page invalidations") \
  X(nested_walks,        "two-dimensional walks in nested guest mode (also in walks): the guest's table walked with every guest-physical reference translated through the nested table") \
  X(nested_walk_refs,    "memory references of two-dimensional walks (also in walk_refs): up to (2+1)*(2+1)-1 = 8 per TLB miss instead of 2") \
  /* hardware virtualization (guest mode) */ \
  X(vm_entries,          "VM entries (vmrun, or the owner's Machine::vm_enter)") \
  X(vm_exits,            "VM exits (by reason: vm_exits_by_reason[])") \
  X(vm_injections,       "events injected into the guest on VM entry (EVENT_INJECT)") \
  /* decoded-instruction cache */ \
  X(decoded_pages,       "physical pages decoded (first fetch from a page)") \
  X(code_writes,         "stores/DMA into a page holding decoded code (re-decoded)") \
  /* port I/O */ \
  X(port_in,             "in instructions") \
  X(port_out,            "out instructions") \
  /* devices */ \
  X(timer_expiries,      "timer periods elapsed (several may merge into one interrupt)") \
  X(console_bytes,       "bytes written to the console port (kept or dropped)") \
  X(console_dropped,     "bytes dropped because the console buffer was full") \
  X(blk_requests,        "block-device requests started via BLK_CMD") \
  X(blk_errors,          "block-device requests that completed with status ERROR") \
  X(blk_rejected,        "BLK_CMD while busy (ignored)") \
  X(blk_sectors_read,    "sectors read from the disk (block device and ring)") \
  X(blk_sectors_written, "sectors written to the disk (block device and ring)") \
  X(ring_kicks,          "RING_KICK writes") \
  X(ring_requests,       "descriptors completed through the ring") \
  X(ring_batches,        "ring batches completed (one DEVICE interrupt each)") \
  X(ring_errors,         "malformed rings or descriptors")
// clang-format on

struct Counters {
#define TRAPEZE_COUNTER_FIELD(name, doc) uint64_t name = 0;
  TRAPEZE_MACHINE_COUNTERS(TRAPEZE_COUNTER_FIELD)
#undef TRAPEZE_COUNTER_FIELD
  // Every exception and interrupt the processor raised, by cause code, whether
  // delivered to the trap vector or intercepted by the owner.
  std::array<uint64_t, kNumCauseCodes> traps = {};
  // VM exits by isa::vmcb::ExitReason code.
  std::array<uint64_t, kNumExitCodes> vm_exits_by_reason = {};

  uint64_t instructions() const { return instructions_user + instructions_kernel; }
  uint64_t trap_count(isa::Cause c) const { return traps[size_t(c)]; }
  uint64_t tlb_hits() const { return dtlb_hits + itlb_hits; }
  uint64_t tlb_misses() const { return dtlb_misses + itlb_misses; }
  bool operator==(const Counters&) const = default;

  // Element-wise, for "what happened between two snapshots" and for summing.
  Counters& operator+=(const Counters& o) {
#define TRAPEZE_COUNTER_ADD(name, doc) name += o.name;
    TRAPEZE_MACHINE_COUNTERS(TRAPEZE_COUNTER_ADD)
#undef TRAPEZE_COUNTER_ADD
    for (size_t i = 0; i < traps.size(); ++i) traps[i] += o.traps[i];
    for (size_t i = 0; i < vm_exits_by_reason.size(); ++i) vm_exits_by_reason[i] += o.vm_exits_by_reason[i];
    return *this;
  }
  Counters& operator-=(const Counters& o) {
#define TRAPEZE_COUNTER_SUB(name, doc) name -= o.name;
    TRAPEZE_MACHINE_COUNTERS(TRAPEZE_COUNTER_SUB)
#undef TRAPEZE_COUNTER_SUB
    for (size_t i = 0; i < traps.size(); ++i) traps[i] -= o.traps[i];
    for (size_t i = 0; i < vm_exits_by_reason.size(); ++i) vm_exits_by_reason[i] -= o.vm_exits_by_reason[i];
    return *this;
  }
  friend Counters operator-(Counters a, const Counters& b) { return a -= b; }
  // to += now - since, in one pass with no temporary: the VMM folds the host's
  // counters into a guest's this way at every trap (as `+= now - since` it cost
  // ~450 host instructions a trap: a copy, then two scalar passes). The three are
  // distinct objects (restrict: the compiler may then vectorize freely).
  static void add_difference(Counters& __restrict__ to, const Counters& __restrict__ now,
                             const Counters& __restrict__ since) {
#if defined(__EMSCRIPTEN__)
    to += now - since;  // in WebAssembly the unrolled form below cost ~540 bytes of the download
#else
#define TRAPEZE_COUNTER_ADD_DIFF(name, doc) to.name += now.name - since.name;
    TRAPEZE_MACHINE_COUNTERS(TRAPEZE_COUNTER_ADD_DIFF)
#undef TRAPEZE_COUNTER_ADD_DIFF
    for (size_t i = 0; i < to.traps.size(); ++i) to.traps[i] += now.traps[i] - since.traps[i];
    for (size_t i = 0; i < to.vm_exits_by_reason.size(); ++i)
      to.vm_exits_by_reason[i] += now.vm_exits_by_reason[i] - since.vm_exits_by_reason[i];
#endif
  }
};

// The rows of the table, for printers: name, doc and a pointer to the field.
struct CounterInfo {
  const char* name;
  const char* doc;
  uint64_t Counters::*field;
};
inline constexpr CounterInfo kCounterInfo[] = {
#define TRAPEZE_COUNTER_INFO(name, doc) CounterInfo{#name, doc, &Counters::name},
    TRAPEZE_MACHINE_COUNTERS(TRAPEZE_COUNTER_INFO)
#undef TRAPEZE_COUNTER_INFO
};

}  // namespace trapeze::machine
