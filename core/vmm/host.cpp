#include "vmm/host.h"

namespace trapeze::vmm {

namespace pte = isa::pte;
using isa::kPageSize;

uint32_t physical_map_pages(uint32_t memory_bytes) {
  const uint32_t pages = memory_bytes / kPageSize;
  return 1 + (pages + 1023) / 1024;
}

uint32_t place_guests(const std::vector<uint32_t>& sizes, std::vector<GuestPlacement>* out) {
  out->clear();
  uint64_t next = kPageSize;  // page 0: the VMM's own
  for (size_t i = 0; i < sizes.size(); ++i) {
    GuestPlacement p;
    p.physmap_base = uint32_t(next);
    p.physmap_pages = physical_map_pages(sizes[i]);
    next += uint64_t(p.physmap_pages) * kPageSize;
    p.pool_base = uint32_t(next);
    next += uint64_t(kShadowPoolPages) * kPageSize;
    p.control_block = uint32_t(next);
    next += kPageSize;
    p.tag_base = uint16_t(1 + i * kTagsPerGuest);  // tag 0 stays the VMM's
    out->push_back(p);
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    (*out)[i].region_base = uint32_t(next);
    (*out)[i].region_size = sizes[i];
    next += sizes[i];
  }
  if (next > machine::kMaxMemoryBytes) return 0;
  return uint32_t(next);
}

void build_physical_map(machine::Machine& host, const GuestPlacement& p) {
  const uint32_t pages = p.region_size / kPageSize;
  const uint32_t l2_tables = p.physmap_pages - 1;
  for (uint32_t t = 0; t < l2_tables; ++t) {
    const uint32_t l2 = p.physmap_base + (1 + t) * kPageSize;
    host.poke32(p.physmap_base + 4 * t, l2 | pte::P | pte::W | pte::U | pte::A);
    for (uint32_t k = 0; k < 1024; ++k) {
      const uint32_t n = t * 1024 + k;
      if (n >= pages) break;
      host.poke32(l2 + 4 * k,
                  (p.region_base + n * kPageSize) | pte::P | pte::W | pte::U | pte::A | pte::D);
    }
  }
}

}  // namespace trapeze::vmm
