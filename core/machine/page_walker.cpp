#include "machine/page_walker.h"

namespace trapeze::machine {
namespace {

// The physical address of a page-table entry. Identity here; nested paging makes
// this a walk of the second-stage table (counting its references too).
bool table_address(const MemoryRegion& mem, uint32_t addr, uint32_t* out) {
  if (!mem.contains(addr, 4)) return false;
  *out = addr;
  return true;
}

}  // namespace

WalkResult walk_page_tables(const MemoryRegion& mem, uint32_t root, uint32_t va, Access access,
                            bool user_mode, bool writeback) {
  namespace pte = isa::pte;
  WalkResult r;
  uint32_t l1_addr, l2_addr;
  if (!table_address(mem, (root & pte::FRAME) + 4 * isa::l1_index(va), &l1_addr)) return r;
  const uint32_t l1 = mem.read32(l1_addr);
  ++r.refs;
  if (!(l1 & pte::P)) return r;
  if (!table_address(mem, (l1 & pte::FRAME) + 4 * isa::l2_index(va), &l2_addr)) return r;
  const uint32_t l2 = mem.read32(l2_addr);
  ++r.refs;
  if (!(l2 & pte::P)) return r;
  const uint32_t frame = l2 & pte::FRAME;
  if (!mem.contains(frame, isa::kPageSize)) return r;  // no such frame: not present

  r.writable = (l1 & l2 & pte::W) != 0;
  r.user = (l1 & l2 & pte::U) != 0;
  const bool write = access == Access::Write;
  if ((user_mode && !r.user) || (write && !r.writable)) {
    r.fault = isa::fault::PROTECTION;
    return r;
  }
  r.ok = true;
  r.pfn = frame >> isa::kPageShift;
  r.dirty = (l2 & pte::D) != 0;
  if (writeback) set_accessed_dirty(mem, l1_addr, l1, l2_addr, l2, write, r);
  return r;
}

void set_accessed_dirty(const MemoryRegion& mem, uint32_t l1_addr, uint32_t l1, uint32_t l2_addr,
                        uint32_t l2, bool write, WalkResult& r) {
  namespace pte = isa::pte;
  if (!(l1 & pte::A)) {
    mem.write32(l1_addr, l1 | pte::A);
    ++r.ad_updates;
  }
  const uint32_t new_l2 = l2 | pte::A | (write ? pte::D : 0);
  if (new_l2 != l2) {
    mem.write32(l2_addr, new_l2);
    ++r.ad_updates;
  }
  r.dirty = (new_l2 & pte::D) != 0;
}

}  // namespace trapeze::machine
