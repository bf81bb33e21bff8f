// Each strategy's own structures, saved exactly (vmm_state.h): its shadow page
// tables' bookkeeping (the tables themselves are in host memory), binary
// translation's cache and chains, the hardware-assisted strategy's entry state, a
// bare-metal guest's whole machine. Rebuilding them instead would count misses and
// translations the uninterrupted run never made.
#include <algorithm>

#include "machine/machine_state.h"
#include "vmm/binary_translation.h"
#include "vmm/deprivileged_strategy.h"
#include "vmm/guest_engine.h"
#include "vmm/hardware_assisted.h"
#include "vmm/native.h"
#include "vmm/shadow_page_table.h"
#include "vmm/vmm_state.h"

namespace trapeze::vmm {
namespace {

using machine::StateArchive;

void archive_link(StateArchive& a, BlockLink& l) {
  a.u32(l.slot);
  a.u64(l.serial);
}

}  // namespace

void StateAccess::strategy(StateArchive& a, Strategy& s) {
  a.tag("STRA");
  switch (s.kind()) {
    case StrategyKind::NATIVE: return native(a, static_cast<NativeStrategy&>(s));
    case StrategyKind::TRAP:
    case StrategyKind::PV: return deprivileged(a, static_cast<DeprivilegedStrategy&>(s));
    case StrategyKind::BT: return binary_translation(a, static_cast<BinaryTranslation&>(s));
    case StrategyKind::HW:
    case StrategyKind::HW_NESTED: return hardware(a, static_cast<HardwareAssisted&>(s));
  }
}

void StateAccess::shadows(StateArchive& a, ShadowPageTables& t) {
  a.tag("SHAD");
  const uint32_t pages = uint32_t(t.refs_.size());
  const uint32_t pool_end = t.place_.pool_base + kShadowPoolPages * isa::kPageSize;
  auto in_pool = [&](uint32_t hpa) {
    return hpa >= t.place_.pool_base && hpa < pool_end && (hpa & (isa::kPageSize - 1)) == 0;
  };
  for (ShadowPageTables::Space& s : t.spaces_) {
    a.flag(s.used);
    a.u32(s.guest_root);
    for (uint32_t& r : s.root) {
      a.u32(r);
      if (a.loading() && s.used && !in_pool(r)) a.fail("bad shadow root " + std::to_string(r));
    }
    a.u64(s.last_use);
    a.u32s(s.l2_source, 1024, "shadow L1 slots");
    for (uint32_t g : s.l2_source)
      if (a.loading() && g > pages) a.fail("bad shadow source page " + std::to_string(g));
  }
  a.u32s(t.free_, kShadowPoolPages, "free shadow pages");
  for (uint32_t hpa : t.free_)
    if (a.loading() && !in_pool(hpa)) a.fail("bad free shadow page " + std::to_string(hpa));
  a.expect(pages, "guest pages");
  for (uint16_t& r : t.refs_) a.u16(r);
  for (uint8_t& c : t.code_) a.u8(c);
  for (auto& d : t.derived_) {
    a.u32s(d, 2u * 1024 * kShadowSpaces, "derived shadow slots");
    for (uint16_t code : d)
      if (a.loading() && code >= kShadowSpaces * 1024) a.fail("bad derived shadow slot");
  }
  for (auto& w : t.writers_) {
    a.u32s(w.at, 1u << 20, "shadow writers");
    a.u32(w.prune_at);
  }
  for (ShadowPageTables::PoolPage& p : t.pool_) {
    uint8_t space = uint8_t(p.space);
    a.u8(space);
    p.space = int8_t(space);
    a.u8(p.view);
    a.u16(p.slot);
    a.u16(p.present);
    if (a.loading() && (p.space < -1 || p.space >= int(kShadowSpaces) || p.view > 1 || p.slot >= 1024))
      a.fail("bad shadow pool page");
  }
  a.i32(t.cur_);
  if (a.loading() && (t.cur_ < -1 || t.cur_ >= int(kShadowSpaces)))
    a.fail("bad current shadow " + std::to_string(t.cur_));
  a.flag(t.cur_user_);
  a.flag(t.single_view_);
  a.u64(t.use_clock_);
}

void StateAccess::engine(StateArchive& a, GuestEngine& e) {
  a.tag("TRAP");
  shadows(a, e.shadows);
  a.u32s(e.dma_pages, 1u << 20, "DMA pages");
  a.flag(e.pending_);
  a.flag(e.pending_user_);
  machine::archive_state(a, e.pending_since_);
  a.u32(e.stuck_pc_);
  a.u32(e.stuck_va_);
  a.u32(e.stuck_count_);
}

void StateAccess::deprivileged(StateArchive& a, DeprivilegedStrategy& s) { engine(a, s.run_.e_); }

void StateAccess::translation_cache(StateArchive& a, TranslationCache& c) {
  a.tag("TCAC");
  a.expect(c.capacity_, "translation-cache capacity");
  const size_t max_slots = size_t(c.capacity_) + 1;
  a.sequence(c.slots_, max_slots, 40, "translation slots", [](StateArchive& x, Block& b) {
    x.u32(b.gva);
    x.u32(b.gpa);
    x.sequence(b.insns, kMaxBlockLength + 1, 9, "translated instructions",
               [](StateArchive& y, TranslatedInsn& i) {
                 y.u32(i.pc);
                 y.u32(i.word);
                 y.enumeration(i.form, Translated::StoreCallout, "translation form");
               });
    x.u32(b.kept);
    if (x.loading() && b.kept > b.insns.size()) x.fail("bad translated block");
    for (uint32_t& s : b.successor) x.u32(s);
    for (BlockLink& l : b.link) archive_link(x, l);
    x.u64(b.serial);
    x.u64(b.chain.runs);
  });
  const uint32_t slots = uint32_t(c.slots_.size());
  a.u32s(c.free_, max_slots, "free translation slots");
  // The page index, in page order (a hash map's own order is not the same in two processes).
  std::vector<uint32_t> pages;
  if (a.saving()) {
    for (const auto& [page, list] : c.by_page_) pages.push_back(page);
    std::sort(pages.begin(), pages.end());
  }
  a.u32s(pages, max_slots, "translated pages");
  if (a.loading()) c.by_page_.clear();
  for (uint32_t page : pages) {
    std::vector<uint32_t>& list = c.by_page_[page];
    a.u32s(list, max_slots, "translations of a page");
  }
  a.sequence(c.order_, 4 * size_t(c.capacity_) + max_slots, 12, "translation order", archive_link);
  a.u32(c.used_);
  a.u64(c.next_serial_);
  if (!a.loading() || !a.ok()) return;
  auto bad_slot = [&](uint32_t s) { return s >= slots; };
  if (std::any_of(c.free_.begin(), c.free_.end(), bad_slot)) return a.fail("bad free translation slot");
  for (const auto& [page, list] : c.by_page_)
    if (std::any_of(list.begin(), list.end(), bad_slot)) return a.fail("bad translation slot");
  // The block index follows from the live slots.
  c.index_.clear();
  for (uint32_t s = 0; s < slots; ++s) {
    if (c.slots_[s].serial == 0) continue;
    c.index_[c.key(c.slots_[s].gpa, c.slots_[s].gva)] = s;
    c.describe_to_machine(s);
  }
}

void StateAccess::binary_translation(StateArchive& a, BinaryTranslation& s) {
  deprivileged(a, s);
  a.tag("BT  ");
  translation_cache(a, s.cache_);
  std::vector<uint32_t> adaptive(s.adaptive_.begin(), s.adaptive_.end());
  std::sort(adaptive.begin(), adaptive.end());
  a.u32s(adaptive, 1u << 22, "adaptive stores");
  if (a.loading()) s.adaptive_ = {adaptive.begin(), adaptive.end()};
  archive_link(a, s.current_);
  archive_link(a, s.from_);
  a.u32(s.offset_);
  a.u64(s.reflected_);
}

void StateAccess::hardware(StateArchive& a, HardwareAssisted& s) {
  engine(a, s.e_);
  a.tag("HW  ");
  a.u32(s.controls_);
  machine::archive_state(a, s.accounted_);
  a.u64(s.accounted_transitions_);
  a.u32(s.inject_);
  a.u32(s.inject_badaddr_);
  a.flag(s.window_);
  a.flag(s.resync_);
}

void StateAccess::native(StateArchive& a, NativeStrategy& s) {
  a.tag("NATV");
  machine::archive_state(a, s.machine_);
  a.u64(s.spin_);
}

}  // namespace trapeze::vmm
