// Nested paging's two-dimensional walk (page_walker.h, walk_nested): the guest's
// table walked in guest-physical addresses, each one translated through the VMM's
// nested table first (Bhargava et al., ASPLOS 2008; Spike's s2xlate does the same
// for RISC-V's two-stage translation).
#include "machine/page_walker.h"

namespace trapeze::machine {
namespace {

namespace pte = isa::pte;

// One guest-physical -> host-physical translation through the nested table: two
// references. False (with r.nested_fault, r.gpa) if the nested table does not map
// `gpa` (for a write: writable).
bool nested_translate(const MemoryRegion& host, uint32_t nested_root, uint32_t gpa, bool write,
                      WalkResult& r, uint32_t* hpa, bool* writable = nullptr) {
  auto fail = [&] {
    r.nested_fault = true;
    r.gpa = gpa;
    return false;
  };
  const uint32_t l1_at = (nested_root & pte::FRAME) + 4 * isa::l1_index(gpa);
  if (!host.contains(l1_at, 4)) return fail();
  const uint32_t l1 = host.read32(l1_at);
  ++r.refs;
  if (!(l1 & pte::P)) return fail();
  const uint32_t l2_at = (l1 & pte::FRAME) + 4 * isa::l2_index(gpa);
  if (!host.contains(l2_at, 4)) return fail();
  const uint32_t l2 = host.read32(l2_at);
  ++r.refs;
  const bool w = (l1 & l2 & pte::W) != 0;
  if (!(l2 & pte::P) || (write && !w)) return fail();
  const uint32_t frame = l2 & pte::FRAME;
  if (!host.contains(frame, isa::kPageSize)) return fail();
  *hpa = frame | (gpa & (isa::kPageSize - 1));
  if (writable) *writable = w;
  return true;
}

}  // namespace

WalkResult walk_nested(const MemoryRegion& host, uint32_t nested_root, uint32_t guest_root,
                       uint32_t va, Access access, bool user_mode, bool writeback) {
  WalkResult r;
  const bool write = access == Access::Write;
  uint32_t hpa = 0;
  bool nested_w = false;
  if ((guest_root & pte::FRAME) == 0) {  // the guest's paging is off: va is guest-physical
    if (!nested_translate(host, nested_root, va, write, r, &hpa, &nested_w)) return r;
    r.ok = true;
    r.pfn = hpa >> isa::kPageShift;
    r.writable = nested_w;
    r.user = true;
    r.dirty = true;
    return r;
  }

  // The guest's L1 entry, then its L2 entry, each at a guest-physical address.
  uint32_t l1_at, l2_at;
  if (!nested_translate(host, nested_root, (guest_root & pte::FRAME) + 4 * isa::l1_index(va),
                        writeback, r, &l1_at))
    return r;
  const uint32_t l1 = host.read32(l1_at);
  ++r.refs;
  if (!(l1 & pte::P)) return r;
  if (!nested_translate(host, nested_root, (l1 & pte::FRAME) + 4 * isa::l2_index(va), writeback, r,
                        &l2_at))
    return r;
  const uint32_t l2 = host.read32(l2_at);
  ++r.refs;
  if (!(l2 & pte::P)) return r;
  // The frame: a guest-physical page the VMM does not map is its fault (a bare
  // machine would say "not present" for a frame past its memory; the VMM decides).
  if (!nested_translate(host, nested_root, (l2 & pte::FRAME) | (va & (isa::kPageSize - 1)), write,
                        r, &hpa, &nested_w))
    return r;

  r.writable = (l1 & l2 & pte::W) != 0 && nested_w;
  r.user = (l1 & l2 & pte::U) != 0;
  if ((user_mode && !r.user) || (write && !(l1 & l2 & pte::W))) {
    r.fault = isa::fault::PROTECTION;
    return r;
  }
  r.ok = true;
  r.pfn = hpa >> isa::kPageShift;
  r.dirty = (l2 & pte::D) != 0;
  // The guest's A/D bits, set by the hardware as on bare metal.
  if (writeback) set_accessed_dirty(host, l1_at, l1, l2_at, l2, write, r);
  return r;
}

}  // namespace trapeze::machine
