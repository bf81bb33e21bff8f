// The two-level page-table walk (isa.h, "Paging"), done in simulated physical
// memory and counting every memory reference.
//
// Written so that nested paging (a later issue) can add a second stage: each
// page-table address the walk forms goes through table_address(), which is where
// a guest-physical -> host-physical walk of the VMM's table slots in (Bhargava et
// al., ASPLOS 2008: n*m + n + m references for n guest and m host levels).
#pragma once

#include <cstdint>

#include "machine/physical_memory.h"

namespace trapeze::machine {

enum class Access : uint8_t { Read, Write, Exec };

struct WalkResult {
  bool ok = false;
  uint32_t pfn = 0;        // on success: the physical frame
  bool writable = false;   // effective W (AND of both levels)
  bool user = false;       // effective U (AND of both levels)
  bool dirty = false;      // D in the L2 entry after the walk
  uint32_t fault = 0;      // on failure: isa::fault::PROTECTION or 0 (not present)
  uint32_t refs = 0;       // page-table memory reads made
  uint32_t ad_updates = 0; // page-table entries written back (A/D)
};

// Walks the tables rooted at `root` for virtual address `va`, in `mem`: the
// machine's whole physical memory, or (for a VMM) one guest's region, whose
// addresses are then guest-physical and bounded by the guest's memory size.
//   Fault rules: an entry without P, or a table or frame outside physical memory,
//   is "not present"; user access to a page whose effective U is 0, or a write to
//   a page whose effective W is 0 (in any mode), is a PROTECTION fault.
//   On success, if `writeback` is set, sets A in both entries and D in the L2
//   entry on a write (only bits that change are written, through the region's
//   coherent write path). Nothing is written on a fault. Without writeback the
//   walk has no side effects at all (the debugger's translate()).
WalkResult walk_page_tables(const MemoryRegion& mem, uint32_t root, uint32_t va, Access access,
                            bool user_mode, bool writeback);

}  // namespace trapeze::machine
