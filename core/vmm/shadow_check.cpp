// ShadowPageTables::check(): the shadow tables' invariants, for the consistency
// checker (consistency.h). Read-only.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "machine/page_walker.h"
#include "vmm/shadow_page_table.h"

namespace trapeze::vmm {

namespace pte = isa::pte;
using isa::kPageShift;
using isa::kPageSize;

namespace {
std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}
}  // namespace

std::string ShadowPageTables::check() const {
  // Straight from host memory (the fuzzers run this after every slice); every
  // address read is inside the pool, checked before it is followed.
  const uint8_t* mem = host_.memory().data();
  auto peek = [mem](uint32_t addr) { return machine::load_le32(mem + addr); };
  const uint32_t pool_end = place_.pool_base + kShadowPoolPages * kPageSize;
  auto in_pool = [&](uint32_t a) { return a >= place_.pool_base && a < pool_end && !(a & 0xFFF); };
  // Pool accounting: each page is free, a shadow root, or one L1 slot's L2 table.
  std::vector<bool> owned(kShadowPoolPages, false);
  auto claim = [&](uint32_t page, auto who) -> std::string {
    if (!in_pool(page)) return who() + " at " + hex(page) + " is not a page of its shadow pool";
    if (owned[(page - place_.pool_base) / kPageSize])
      return "shadow pool page " + hex(page) + " is used twice, once as " + who();
    owned[(page - place_.pool_base) / kPageSize] = true;
    return "";
  };
  for (uint32_t page : free_)
    if (std::string e = claim(page, [] { return std::string("a free page"); }); !e.empty())
      return e;

  std::vector<uint16_t> refs(refs_.size(), 0);
  auto count_ref = [&](uint32_t gframe) {
    if (gframe < refs.size()) ++refs[gframe];
  };
  for (int s = 0; s < int(kShadowSpaces); ++s) {
    const Space& sp = spaces_[s];
    if (!sp.used) continue;
    auto space = [&] { return "shadow of root " + hex(sp.guest_root); };
    count_ref(sp.guest_root >> kPageShift);
    for (int v = 0; v < 2; ++v) {
      auto view = [&] { return space() + (v ? " (user view)" : " (kernel view)"); };
      if (std::string e = claim(sp.root[v], [&] { return view() + " root"; }); !e.empty())
        return e;
      for (uint32_t i = 0; i < 1024; ++i) {
        const uint32_t l1 = peek(sp.root[v] + 4 * i);
        if (!(l1 & pte::P)) continue;
        auto slot = [&] { return view() + " L1[" + std::to_string(i) + "]"; };
        if (std::string e = claim(l1 & pte::FRAME, slot); !e.empty()) return e;
        if (!sp.l2_source[i]) return slot() + " is present with no guest L2 table behind it";
        const uint32_t guest_l1 = guest_.contains(sp.guest_root + 4 * i, 4)
                                      ? guest_.read32(sp.guest_root + 4 * i)
                                      : 0;
        if (!(guest_l1 & pte::P) || (guest_l1 >> kPageShift) != sp.l2_source[i] - 1)
          return slot() + " was built from guest frame " + hex((sp.l2_source[i] - 1) << kPageShift) +
                 " but the guest's L1 entry is now " + hex(guest_l1);
        for (uint32_t j = 0; j < 1024; ++j) {
          const uint32_t e = peek((l1 & pte::FRAME) + 4 * j);
          if (!(e & pte::P)) continue;
          const uint32_t va = (i << 22) | (j << 12);
          auto entry = [&] { return view() + " entry for " + hex(va); };
          const uint32_t frame = e & pte::FRAME;
          if (frame < place_.region_base || frame - place_.region_base >= place_.region_size)
            return entry() + " maps host frame " + hex(frame) + " outside the guest's region";
          // What the guest's own table says now (no A/D bits set).
          const machine::WalkResult w = machine::walk_page_tables(
              guest_, sp.guest_root, va, machine::Access::Read, v == 1, /*writeback=*/false);
          if (!w.ok) return entry() + " is present; the guest's table does not grant it";
          const auto hf = host_frame(w.pfn);
          if (!hf || (*hf << kPageShift) != frame)
            return entry() + " maps " + hex(frame) + "; the guest's table says guest frame " +
                   hex(w.pfn << kPageShift);
          if (e & pte::W) {
            if (!w.writable || !w.dirty)
              return entry() + " is writable; the guest's entry is read-only or not dirty";
            if (is_table_page(w.pfn))
              return entry() + " is writable but maps one of the guest's page tables";
          }
        }
      }
    }
    for (uint32_t i = 0; i < 1024; ++i)
      if (sp.l2_source[i]) count_ref(sp.l2_source[i] - 1);
  }
  for (uint32_t p = place_.pool_base; p < pool_end; p += kPageSize)
    if (!owned[(p - place_.pool_base) / kPageSize]) return "shadow pool page " + hex(p) + " is lost (neither free nor used)";
  for (uint32_t g = 0; g < refs.size(); ++g)
    if (refs[g] != refs_[g])
      return "guest frame " + hex(g << kPageShift) + " is counted as a page table " +
             std::to_string(refs_[g]) + " times, used " + std::to_string(refs[g]) + " times";
  if (cur_ >= int(kShadowSpaces) || (cur_ >= 0 && !spaces_[cur_].used))
    return "the current shadow is not a cached one";
  if (std::string e = check_reverse_maps(); !e.empty()) return e;

  // The host's TLB holds nothing the tables it was filled from do not say now.
  const uint32_t guest_pages = place_.region_size / kPageSize;
  for (const machine::TlbEntry& t : host_.tlb_entries()) {
    if (!t.valid || t.tag < place_.tag_base || t.tag >= place_.tag_base + kTagsPerGuest) continue;
    auto what = [&] {
      return "TLB entry for " + hex(t.vpn << kPageShift) + " (tag " + std::to_string(t.tag) + ")";
    };
    if (t.tag == place_.tag_base) {  // the physical map
      if (t.vpn >= guest_pages || t.pfn != (place_.region_base >> kPageShift) + t.vpn)
        return what() + " in the physical map's space maps " + hex(t.pfn << kPageShift);
      continue;
    }
    const int s = int(t.tag - place_.tag_base - 1) / 2, v = int(t.tag - place_.tag_base - 1) % 2;
    if (!spaces_[s].used) return what() + " belongs to a shadow that no longer exists";
    const uint32_t l1 = peek(spaces_[s].root[v] + 4 * (t.vpn >> 10));
    const uint32_t e = (l1 & pte::P) ? peek((l1 & pte::FRAME) + 4 * (t.vpn & 1023)) : 0;
    if (!(e & pte::P) || (e >> kPageShift) != t.pfn)
      return what() + " maps " + hex(t.pfn << kPageShift) + "; its shadow entry is " + hex(e);
    if (t.writable && !(e & pte::W))
      return what() + " is writable; its shadow entry is read-only";
  }
  return "";
}

// The reverse maps agree with the tables: what a from-scratch rebuild of them
// from the shadows would give (derived_ and pool_ exactly; writers_ at least).
std::string ShadowPageTables::check_reverse_maps() const {
  const uint8_t* mem = host_.memory().data();
  auto peek = [mem](uint32_t addr) { return machine::load_le32(mem + addr); };
  std::vector<std::vector<uint16_t>> derived(derived_.size());
  std::array<PoolPage, kShadowPoolPages> pool{};
  for (int s = 0; s < int(kShadowSpaces); ++s) {
    const Space& sp = spaces_[s];
    if (!sp.used) continue;
    for (uint32_t i = 0; i < 1024; ++i) {
      if (sp.l2_source[i] && sp.l2_source[i] - 1 < derived.size())
        derived[sp.l2_source[i] - 1].push_back(slot_code(s, i));
      for (int v = 0; v < 2; ++v) {
        const uint32_t l1 = peek(sp.root[v] + 4 * i);
        if (!(l1 & pte::P)) continue;
        PoolPage& p = pool[pool_index(l1 & pte::FRAME)];
        p = PoolPage{int8_t(s), uint8_t(v), uint16_t(i), 0};
        for (uint32_t j = 0; j < 1024; ++j) {
          const uint32_t at = (l1 & pte::FRAME) + 4 * j;
          const uint32_t e = peek(at);
          if (!(e & pte::P)) continue;
          ++p.present;
          if (!(e & pte::W)) continue;
          const uint32_t gframe = ((e & pte::FRAME) - place_.region_base) >> kPageShift;
          const std::vector<uint32_t>& w = writers_[gframe].at;
          if (std::find(w.begin(), w.end(), at) == w.end())
            return "the writable shadow entry at " + hex(at) + " for " + hex((i << 22) | (j << 12)) +
                   " is missing from guest frame " + hex(gframe << kPageShift) + "'s reverse map";
        }
      }
    }
  }
  for (uint32_t g = 0; g < derived.size(); ++g) {
    std::vector<uint16_t> have = derived_[g];
    std::sort(have.begin(), have.end());
    std::sort(derived[g].begin(), derived[g].end());
    if (have != derived[g])
      return "the reverse map of guest frame " + hex(g << kPageShift) + " lists " +
             std::to_string(have.size()) + " shadow slots built from it; the shadows have " +
             std::to_string(derived[g].size());
  }
  for (uint32_t k = 0; k < kShadowPoolPages; ++k) {
    const PoolPage& a = pool_[k];
    const PoolPage& b = pool[k];
    if (a.space != b.space || (b.space >= 0 && (a.view != b.view || a.slot != b.slot || a.present != b.present)))
      return "shadow pool page " + hex(place_.pool_base + k * kPageSize) +
             " is recorded as another table than it is, or with " + std::to_string(a.present) +
             " present entries for " + std::to_string(b.present);
  }
  return "";
}

}  // namespace trapeze::vmm
