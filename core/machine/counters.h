// The machine's counters: one struct of plain integers, always on, cheap to keep.
// Every field is documented in docs/machine.md ("Counters"); the CLI prints them.
#pragma once

#include <array>
#include <cstdint>

#include "isa/isa.h"

namespace trapeze::machine {

inline constexpr int kNumCauseCodes = 32;  // Cause values are < 32; traps[] is indexed by them

struct Counters {
  // Time and work.
  uint64_t cycles = 0;               // simulated cycles since reset (the cost model's sum)
  uint64_t instructions_user = 0;    // retired in user mode
  uint64_t instructions_kernel = 0;  // retired in kernel mode
  // Traps: every exception and interrupt the processor raised, by cause code,
  // whether delivered to the trap vector or intercepted by the owner.
  std::array<uint64_t, kNumCauseCodes> traps = {};
  uint64_t interrupts = 0;           // TIMER + DEVICE raised (also in traps[])
  uint64_t intercepted = 0;          // traps handed to the owner instead of the trap vector
  uint64_t raised_by_owner = 0;      // traps the owner delivered with Machine::raise()
  // MMU. A lookup is a search of the TLB for a virtual page (paging on only).
  // Data lookups: one per load/store (push/pop included). Instruction lookups:
  // one each time execution enters a page other than the latched fetch page.
  uint64_t dtlb_hits = 0, dtlb_misses = 0;
  uint64_t itlb_hits = 0, itlb_misses = 0;
  uint64_t walks = 0;                // page walks (every TLB miss, plus dirty-bit updates)
  uint64_t walk_refs = 0;            // page-table memory reads by the walker
  uint64_t ad_updates = 0;           // page-table entries written back to set A or D
  uint64_t tlb_flushes = 0;          // tlbflush instructions and owner flushes
  uint64_t tlb_invlpgs = 0;          // invlpg instructions
  // Decoded-instruction cache.
  uint64_t decoded_pages = 0;        // physical pages decoded (first fetch from a page)
  uint64_t code_writes = 0;          // stores/DMA into a page holding decoded code (re-decoded)
  // Port I/O.
  uint64_t port_in = 0, port_out = 0;
  // Devices.
  uint64_t timer_expiries = 0;       // timer periods elapsed (several may merge into one interrupt)
  uint64_t console_bytes = 0;        // bytes written to the console port (kept or dropped)
  uint64_t console_dropped = 0;      // bytes dropped because the console buffer was full
  uint64_t blk_requests = 0;         // block-device requests started via BLK_CMD
  uint64_t blk_errors = 0;           // requests that completed with status ERROR
  uint64_t blk_rejected = 0;         // BLK_CMD while busy (ignored)
  uint64_t blk_sectors_read = 0, blk_sectors_written = 0;  // both paths (port and ring)
  uint64_t ring_kicks = 0;
  uint64_t ring_requests = 0;        // descriptors completed through the ring
  uint64_t ring_batches = 0;         // batches completed (one DEVICE interrupt each)
  uint64_t ring_errors = 0;          // malformed rings or descriptors

  uint64_t instructions() const { return instructions_user + instructions_kernel; }
  uint64_t trap_count(isa::Cause c) const { return traps[size_t(c)]; }
  uint64_t tlb_hits() const { return dtlb_hits + itlb_hits; }
  uint64_t tlb_misses() const { return dtlb_misses + itlb_misses; }
  bool operator==(const Counters&) const = default;
};

}  // namespace trapeze::machine
