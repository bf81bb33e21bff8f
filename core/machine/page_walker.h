// The two-level page-table walk (isa.h, "Paging"), done in simulated physical
// memory and counting every memory reference.
//
// Nested paging (guest mode with VMCB_FLAG_NESTED) is a second walk for every
// guest-physical address the first one forms: walk_nested() in nested_walk.cpp
// (Bhargava et al., ASPLOS 2008: n*m + n + m references for n guest and m host
// levels, 8 for Trapeze's 2x2).
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
  // walk_nested only: a guest-physical address the nested table does not map
  // (or maps read-only for a write): the VMM's business, not the guest's.
  bool nested_fault = false;
  uint32_t gpa = 0;        // the guest-physical address that faulted
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

// Both walks' last step: A in the L1 entry and A (D on a write) in the L2 entry, at
// the addresses (in `mem`) the walk read them from; only bits that change are
// written and counted (r.ad_updates); r.dirty as the L2 entry now says.
void set_accessed_dirty(const MemoryRegion& mem, uint32_t l1_addr, uint32_t l1, uint32_t l2_addr,
                        uint32_t l2, bool write, WalkResult& r);

// The two-dimensional walk of nested paging, in host-physical memory `host`:
// `guest_root` (guest-physical; 0 = the guest's paging is off, its virtual
// addresses are guest-physical) is walked as walk_page_tables does, and every
// guest-physical address it forms — each guest table entry's and the final
// frame's — is translated through `nested_root` (host-physical two-level table,
// guest-physical -> host-physical). Every memory reference of either dimension
// counts in refs: 2 with the guest's paging off, 8 with it on.
//   The nested table's entries must be present (and writable for a write, and for
// A/D updates to the guest's tables when `writeback` is set); its own A/D bits are
// not maintained and its U bit is ignored. A failure there is a nested fault
// (nested_fault, gpa); a failure in the guest's table is a guest fault, as in
// walk_page_tables. On success pfn is the host frame and writable/user/dirty the
// guest's effective bits (with the guest's paging off: user, dirty, and writable
// as the nested table says).
WalkResult walk_nested(const MemoryRegion& host, uint32_t nested_root, uint32_t guest_root,
                       uint32_t va, Access access, bool user_mode, bool writeback);

}  // namespace trapeze::machine
