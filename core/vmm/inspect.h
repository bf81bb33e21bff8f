// Read-only views of the VMM for the frontend (and tests): the lecture's three
// tables side by side for one virtual address —
//
//   guest table    guest-virtual  -> guest-physical   the guest's own, in its memory
//   physical map   guest-physical -> host-physical    the VMM's
//   shadow table   guest-virtual  -> host-physical    the composition the MMU walks
//
// — each walked step by step (which entry of which table), without side effects:
// no A/D bit is set and no counter moves. Also what the frontend's panels read of
// a guest whatever its strategy: the TLB that serves it, its addresses translated,
// its memory. The frontend goes through this file and never names a strategy class
// (tests/frontend/include_rule.cmake checks it).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "machine/physical_memory.h"
#include "machine/tlb.h"
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

// Nested paging's two-dimensional walk for one guest-virtual address, as the
// machine's MMU does it (machine/page_walker.h: walk_nested), step by step: every guest-physical address the guest's walk needs — each
// level's entry, then the data — is itself translated through the VMM's table
// (guest-physical -> host-physical). With two levels in each dimension that is
// up to (2+1)(2+1)-1 = 8 memory references: 2 nested + 1 guest entry per guest
// level, then 2 nested for the data.
struct NestedStep {
  const char* what = "";    // "guest L1 entry", "guest L2 entry", "data"
  uint32_t gpa = 0;         // the guest-physical address translated at this step
  TableWalk nested;         // gpa -> host-physical through the VMM's table
  bool read_entry = false;  // a guest entry was read (not for the data)
  uint32_t entry = 0;       // its value
};

struct NestedWalk {
  bool exists = false;  // the guest runs on the host (it has a VMM's table)
  uint32_t va = 0;
  uint32_t guest_root = 0;   // guest-physical (0: guest paging off)
  uint32_t nested_root = 0;  // host-physical
  int count = 0;             // steps made (0..3)
  NestedStep steps[3];
  int references = 0;  // memory references made (nested entries + guest entries)
  bool ok = false;
  uint32_t output = 0;                  // host-physical
  bool writable = false, user = false;  // the guest's permissions, when ok
  std::string note;
};

// The two-dimensional walk of `va` in `host`: the guest's table at guest-physical
// `guest_root` (0: paging off, guest-virtual = guest-physical) and the VMM's table
// at host-physical `nested_root`. Reads only.
NestedWalk walk_nested(const machine::MemoryRegion& host, uint32_t guest_root, uint32_t nested_root,
                       uint32_t va);

// Guest i's walk of `va` as nested paging makes it (through the VMM's physical map),
// whatever strategy it runs under now; for a native guest `exists` is false.
NestedWalk walk_nested(const Vmm& vmm, size_t guest, uint32_t va);

// Walks `root`'s two-level table in `mem` for `address`, reading only.
TableWalk walk_table(const machine::MemoryRegion& mem, uint32_t root, uint32_t address);

// The three tables for guest i at guest-virtual address va. For a native guest only
// `guest` applies (its machine has no VMM).
ThreeTables walk_tables(const Vmm& vmm, size_t guest, uint32_t va);

// The guest-physical address of guest i's guest-virtual `va` through its own page
// table (identity while its paging is off); nullopt if its table does not map it.
std::optional<uint32_t> guest_physical(const Vmm& vmm, size_t guest, uint32_t va);

// Guest i's memory from `address` (guest-physical, or guest-virtual translated page
// by page through its own table) into `out`; false, with `out` unspecified, if a
// byte is unmapped or outside its memory.
bool read_guest(const Vmm& vmm, size_t guest, uint32_t address, bool is_virtual, std::span<uint8_t> out);
// A 32-bit little-endian word, as read_guest reads it.
std::optional<uint32_t> read_guest_word(const Vmm& vmm, size_t guest, uint32_t address, bool is_virtual);

// One valid TLB entry: its slot, its contents and the guest it belongs to.
struct TlbRow {
  size_t slot = 0;
  machine::TlbEntry entry;
  int owner = -1;  // guest index (by the entry's address-space tag); -1: none
};

// The TLB that translates guest i's addresses now, whatever its strategy: a guest on
// bare metal has its own machine's TLB (every entry its own), the virtualized guests
// share the host's (each entry owned by the guest whose tags it carries).
struct TlbContents {
  bool own_machine = false;  // the guest's own machine's TLB, not the host's
  size_t capacity = 0;       // entries, valid or not
  std::vector<TlbRow> valid;  // the valid entries, in slot order
};
TlbContents tlb_contents(const Vmm& vmm, size_t guest);

}  // namespace trapeze::vmm
