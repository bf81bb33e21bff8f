// Read-only views of the VMM for the frontend (and tests): the lecture's three
// tables side by side for one virtual address —
//
//   guest table    guest-virtual  -> guest-physical   the guest's own, in its memory
//   physical map   guest-physical -> host-physical    the VMM's
//   shadow table   guest-virtual  -> host-physical    the composition the MMU walks
//
// — each walked step by step (which entry of which table), without side effects:
// no A/D bit is set and no counter moves.
#pragma once

#include <cstdint>
#include <string>

#include "machine/physical_memory.h"
#include "vmm/vmm.h"

namespace trapeze::vmm {

struct WalkStep {
  uint32_t table = 0;  // address of the table (in that table's address space)
  uint32_t index = 0;  // entry index
  uint32_t entry = 0;  // the entry's value
};

struct TableWalk {
  bool exists = false;  // the table applies (a shadow exists; the guest has paging on...)
  uint32_t root = 0;
  int levels = 0;  // steps read (0..2)
  WalkStep steps[2];
  bool ok = false;                      // the address translates
  uint32_t output = 0;                  // the translated address
  bool writable = false, user = false;  // effective permissions when ok
  std::string note;                     // what a reader should know ("paging off: identity")
};

struct ThreeTables {
  uint32_t va = 0;
  TableWalk guest;    // va -> guest-physical
  TableWalk physmap;  // that guest-physical address -> host-physical
  TableWalk shadow;   // va -> host-physical, in the view of the guest's current mode
};

// Walks `root`'s two-level table in `mem` for `address`, reading only.
TableWalk walk_table(const machine::MemoryRegion& mem, uint32_t root, uint32_t address);

// The three tables for guest i at guest-virtual address va. For a native guest only
// `guest` applies (its machine has no VMM).
ThreeTables walk_tables(const Vmm& vmm, size_t guest, uint32_t va);

}  // namespace trapeze::vmm
