#include "vmm/shadow_page_table.h"

#include <algorithm>

#include "machine/page_walker.h"

namespace trapeze::vmm {

namespace pte = isa::pte;
using isa::kPageShift;
using isa::kPageSize;

ShadowPageTables::ShadowPageTables(machine::Machine& host, const GuestPlacement& place,
                                   VmmCounters& counters, LogFn log)
    : host_(host),
      place_(place),
      guest_{host.region().mem, place.region_base, place.region_size},
      counters_(counters),
      log_(std::move(log)),
      refs_(place.region_size / kPageSize, 0),
      code_(place.region_size / kPageSize, 0),
      derived_(place.region_size / kPageSize),
      writers_(place.region_size / kPageSize) {
  // A stack, so the lowest page is handed out first (deterministic, readable dumps).
  for (uint32_t i = kShadowPoolPages; i-- > 0;) free_.push_back(place_.pool_base + i * kPageSize);
}

// ---------------------------------------------------------------------------------
// Selection

ShadowPageTables::Hardware ShadowPageTables::current() const {
  if (cur_ < 0) return {place_.physmap_base, place_.tag_base};
  return {spaces_[cur_].root[view()], tag(cur_, view())};
}

ShadowPageTables::Hardware ShadowPageTables::select(uint32_t guest_root, bool user) {
  guest_root &= pte::FRAME;
  cur_user_ = user;
  if (guest_root == 0) {
    cur_ = -1;
    return current();
  }
  int s = find(guest_root);
  if (s < 0) s = create(guest_root);
  spaces_[s].last_use = ++use_clock_;
  cur_ = s;
  return current();
}

int ShadowPageTables::find(uint32_t guest_root) const {
  for (int s = 0; s < int(kShadowSpaces); ++s)
    if (spaces_[s].used && spaces_[s].guest_root == guest_root) return s;
  return -1;
}

int ShadowPageTables::create(uint32_t guest_root) {
  int slot = -1;
  for (int s = 0; s < int(kShadowSpaces) && slot < 0; ++s)
    if (!spaces_[s].used) slot = s;
  if (slot < 0) {  // evict the least recently used (never the current one)
    for (int s = 0; s < int(kShadowSpaces); ++s)
      if (s != cur_ && (slot < 0 || spaces_[s].last_use < spaces_[slot].last_use)) slot = s;
    evict(slot);
  }
  if (free_.size() < 2) {
    reset(ShadowReset::POOL_FULL);
    slot = 0;
  }
  Space& sp = spaces_[slot];
  sp = Space{};
  sp.used = true;
  sp.guest_root = guest_root;
  sp.root = {alloc_page(), alloc_page()};
  sp.l2_source.assign(1024, 0);
  host_.flush_tlb_tag(tag(slot, 0));  // entries of the slot's previous occupant
  host_.flush_tlb_tag(tag(slot, 1));
  track(guest_root >> kPageShift);
  ++counters_.shadow_tables;
  if (log_) log_(EventKind::SHADOW_TABLE, guest_root, sp.root[0], sp.root[1]);
  return slot;
}

void ShadowPageTables::evict(int s) {
  Space& sp = spaces_[s];
  if (!sp.used) return;
  // Every present L1 slot has a source (check() holds it), so dropping the slots
  // with one frees every L2 page.
  for (uint32_t i = 0; i < 1024; ++i)
    if (sp.l2_source[i]) drop_slot(s, i);
  for (int v = 0; v < 2; ++v) {
    free_page(sp.root[v]);
    host_.flush_tlb_tag(tag(s, v));
  }
  untrack(sp.guest_root >> kPageShift);
  sp = Space{};
  if (cur_ == s) cur_ = -1;
}

void ShadowPageTables::reset(ShadowReset reason) {
  const bool any = !empty();
  for (int s = 0; s < int(kShadowSpaces); ++s) evict(s);
  host_.flush_tlb_tag(place_.tag_base);
  cur_ = -1;
  if (!any) return;
  ++counters_.shadow_resets;
  if (log_) log_(EventKind::SHADOW_RESET, payload(reason), 0, 0);
}

bool ShadowPageTables::empty() const {
  return std::none_of(spaces_.begin(), spaces_.end(), [](const Space& s) { return s.used; });
}

uint32_t ShadowPageTables::alloc_page() {
  if (free_.empty()) return 0;
  const uint32_t hpa = free_.back();
  free_.pop_back();
  static const std::array<uint8_t, kPageSize> kZero{};
  host_.poke(hpa, kZero);
  return hpa;
}

// ---------------------------------------------------------------------------------
// Which guest pages are page tables (write-protected in every shadow)

void ShadowPageTables::track(uint32_t gframe) {
  if (gframe >= refs_.size()) return;  // outside its memory: the walk finds nothing there
  if (refs_[gframe]++ == 0) revoke_writes(gframe);
}

void ShadowPageTables::untrack(uint32_t gframe) {
  if (gframe < refs_.size() && refs_[gframe]) --refs_[gframe];
}

// A page has just become a page table (or holds translated code): no shadow may
// map it writable any more. Only the entries its writers_ records name are looked
// at; while it stays protected no fill makes a new writable one, so the list
// empties.
void ShadowPageTables::revoke_writes(uint32_t gframe) {
  const auto hf = host_frame(gframe);
  if (!hf) return;
  Writers& w = writers_[gframe];
  for (const uint32_t at : w.at) {
    const PoolPage* owner = live_writer(at, *hf);
    if (!owner) continue;  // dropped, refilled read-only, or already revoked
    poke(at, peek(at) & ~(pte::W | pte::D));
    const uint32_t j = (at & (kPageSize - 1)) >> 2;
    host_.invalidate_tlb_page((uint32_t(owner->slot) << 22) | (j << 12),
                              tag(owner->space, owner->view));
    ++counters_.shadow_updates;
  }
  w = Writers{};
}

const ShadowPageTables::PoolPage* ShadowPageTables::live_writer(uint32_t at, uint32_t hf) const {
  const PoolPage& p = pool_[pool_index(at)];
  if (p.space < 0) return nullptr;  // free, or a root: the entry is gone
  const uint32_t e = peek(at);
  if (!(e & pte::P) || !(e & pte::W) || (e >> kPageShift) != hf) return nullptr;
  return &p;
}

void ShadowPageTables::add_writer(uint32_t gframe, uint32_t at) {
  Writers& w = writers_[gframe];
  w.at.push_back(at);
  if (w.at.size() < w.prune_at) return;
  // Drop the records that no longer name a writable entry for this frame (and
  // duplicates): amortized, the list stays within twice the live entries.
  const auto hf = host_frame(gframe);
  std::sort(w.at.begin(), w.at.end());
  w.at.erase(std::unique(w.at.begin(), w.at.end()), w.at.end());
  std::erase_if(w.at, [&](uint32_t a) { return !hf || !live_writer(a, *hf); });
  w.prune_at = std::max<uint32_t>(16, 2 * uint32_t(w.at.size()));
}

void ShadowPageTables::add_derived(uint32_t gframe, int space, uint32_t slot) {
  if (gframe < derived_.size()) derived_[gframe].push_back(slot_code(space, slot));
}

void ShadowPageTables::remove_derived(uint32_t gframe, int space, uint32_t slot) {
  if (gframe >= derived_.size()) return;
  std::vector<uint16_t>& d = derived_[gframe];
  const auto it = std::find(d.begin(), d.end(), slot_code(space, slot));
  if (it == d.end()) return;
  *it = d.back();
  d.pop_back();
}

std::optional<uint32_t> ShadowPageTables::physmap_entry(uint32_t gframe) const {
  if (gframe >= refs_.size()) return std::nullopt;
  const uint32_t l1 = peek(place_.physmap_base + 4 * (gframe >> 10));
  if (!(l1 & pte::P)) return std::nullopt;
  return (l1 & pte::FRAME) + 4 * (gframe & 1023);
}

std::optional<uint32_t> ShadowPageTables::host_frame(uint32_t gframe) const {
  // Through the VMM's physical map, as the hardware would walk it.
  const auto at = physmap_entry(gframe);
  if (!at) return std::nullopt;
  const uint32_t l2 = peek(*at);
  if (!(l2 & pte::P)) return std::nullopt;
  return l2 >> kPageShift;
}

void ShadowPageTables::protect_code(uint32_t gframe) {
  if (gframe >= code_.size() || code_[gframe]) return;
  code_[gframe] = 1;
  if (!is_table_page(gframe)) revoke_writes(gframe);
  // Paging off: the hardware walks the physical map, so it loses W there too.
  if (const auto at = physmap_entry(gframe)) {
    poke(*at, peek(*at) & ~pte::W);
    host_.invalidate_tlb_page(gframe << kPageShift, place_.tag_base);
  }
}

void ShadowPageTables::unprotect_code(uint32_t gframe) {
  if (!is_code_page(gframe)) return;
  code_[gframe] = 0;
  // Shadow entries stay read-only until a write faults and refills them writable.
  if (const auto at = physmap_entry(gframe)) {
    poke(*at, peek(*at) | pte::W);
    host_.invalidate_tlb_page(gframe << kPageShift, place_.tag_base);
  }
}

// ---------------------------------------------------------------------------------
// Faults

ShadowPageTables::FaultResult ShadowPageTables::handle_fault(uint32_t va, machine::Access access) {
  FaultResult r;
  // Paging off: the physical map maps all of the guest's memory, so only an
  // address past it faults — "not present", as on a bare machine of that size —
  // or a write to translated code, which the map holds read-only.
  if (cur_ < 0) {
    if (access == machine::Access::Write && is_code_page(va >> kPageShift)) {
      r.outcome = Outcome::WriteProtected;
      r.gpa = va;
    }
    return r;
  }
  // A fill needs at most one page: make sure there is one.
  if (free_.empty()) {
    const uint32_t root = spaces_[cur_].guest_root;
    reset(ShadowReset::POOL_FULL);
    select(root, cur_user_);
  }
  Space& sp = spaces_[cur_];
  const machine::WalkResult w =
      machine::walk_page_tables(guest_, sp.guest_root, va, access, cur_user_, /*writeback=*/true);
  if (!w.ok) {
    r.fault = w.fault;
    return r;
  }
  const uint32_t i = isa::l1_index(va), j = isa::l2_index(va);

  // Tie the shadow's L1 slot to the guest L2 table it is built from (and protect it).
  const uint32_t gl2 =
      guest_.read32(sp.guest_root + 4 * i) >> kPageShift;  // present: the walk succeeded
  if (sp.l2_source[i] != gl2 + 1) {
    if (sp.l2_source[i]) drop_slot(cur_, i);  // cannot happen while write protection holds
    sp.l2_source[i] = gl2 + 1;
    add_derived(gl2, cur_, i);
    track(gl2);
  }
  const uint32_t l1_at = sp.root[view()] + 4 * i;
  uint32_t l1 = peek(l1_at);
  if (!(l1 & pte::P)) {
    l1 = alloc_page() | pte::P | pte::W | pte::U | pte::A;
    poke(l1_at, l1);
    pool_[pool_index(l1 & pte::FRAME)] = PoolPage{int8_t(cur_), uint8_t(view()), uint16_t(i), 0};
  }

  const uint32_t gframe = w.pfn;
  if (access == machine::Access::Write && is_protected(gframe)) {
    r.outcome = Outcome::WriteProtected;
    r.gpa = (gframe << kPageShift) | (va & (kPageSize - 1));
    return r;
  }
  const auto hf = host_frame(gframe);
  if (!hf) return r;  // cannot happen: the walk checked the frame is in its memory
  // Writable only once the guest's D bit is set, and never for a page table or
  // translated code.
  const bool writable = w.writable && w.dirty && !is_protected(gframe);
  // Two views: everything the guest maps is U=1 (its kernel runs in user mode too).
  // One view: the guest's own U, which the hardware then enforces in both modes.
  const bool user = !single_view_ || w.user;
  const uint32_t entry =
      (*hf << kPageShift) | pte::P | pte::A | (user ? pte::U : 0) | (writable ? pte::W | pte::D : 0);
  const uint32_t at = (l1 & pte::FRAME) + 4 * j;
  if (!(peek(at) & pte::P)) ++pool_[pool_index(at)].present;
  poke(at, entry);
  if (writable) add_writer(gframe, at);
  host_.invalidate_tlb_page(va, tag(cur_, view()));
  ++counters_.shadow_updates;
  r.outcome = Outcome::Filled;
  r.host_frame = *hf;
  return r;
}

uint32_t ShadowPageTables::drop_slot(int s, uint32_t i) {
  Space& sp = spaces_[s];
  uint32_t dropped = 0;
  for (int v = 0; v < 2; ++v) {
    const uint32_t l1 = peek(sp.root[v] + 4 * i);
    if (!(l1 & pte::P)) continue;
    dropped += pool_[pool_index(l1 & pte::FRAME)].present;
    free_page(l1 & pte::FRAME);
    poke(sp.root[v] + 4 * i, 0);
    host_.flush_tlb_tag(tag(s, v));  // a whole 4 MiB of its entries may be cached
  }
  if (sp.l2_source[i]) {
    remove_derived(sp.l2_source[i] - 1, s, i);
    untrack(sp.l2_source[i] - 1);
  }
  sp.l2_source[i] = 0;
  return dropped;
}

uint32_t ShadowPageTables::table_written(uint32_t gpa) {
  const uint32_t gframe = gpa >> kPageShift;
  const uint32_t word = (gpa & (kPageSize - 1)) >> 2;
  if (!is_table_page(gframe)) return 0;  // nothing was built from it
  uint32_t dropped = 0;
  // As a root: the L1 slot the word is (first, so derived_ below is final).
  for (int s = 0; s < int(kShadowSpaces); ++s) {
    const Space& sp = spaces_[s];
    if (sp.used && (sp.guest_root >> kPageShift) == gframe && sp.l2_source[word])
      dropped += drop_slot(s, word);
  }
  // As an L2 table: the entry for the word in each slot built from it.
  for (const uint16_t code : derived_[gframe]) {
    const int s = code / 1024;
    const uint32_t i = code % 1024;
    for (int v = 0; v < 2; ++v) {
      const uint32_t l1 = peek(spaces_[s].root[v] + 4 * i);
      if (!(l1 & pte::P)) continue;
      const uint32_t at = (l1 & pte::FRAME) + 4 * word;
      if (!(peek(at) & pte::P)) continue;
      poke(at, 0);
      --pool_[pool_index(at)].present;
      host_.invalidate_tlb_page((i << 22) | (word << 12), tag(s, v));
      ++dropped;
    }
  }
  counters_.shadow_updates += dropped;
  return dropped;
}

void ShadowPageTables::page_overwritten(uint32_t gframe) {
  if (!is_table_page(gframe)) return;
  // The slots built from it, by space and then slot (the order pages go back to
  // the pool in, and so the order they are handed out again).
  std::vector<uint16_t> slots = derived_[gframe];
  std::sort(slots.begin(), slots.end());
  auto next = slots.begin();
  for (int s = 0; s < int(kShadowSpaces); ++s) {
    const auto end = std::find_if(next, slots.end(), [s](uint16_t c) { return c / 1024 > s; });
    const auto mine = next;
    next = end;
    Space& sp = spaces_[s];
    if (!sp.used) continue;
    if ((sp.guest_root >> kPageShift) == gframe) {
      const bool was_current = s == cur_;
      const uint32_t root = sp.guest_root;
      evict(s);
      if (was_current) select(root, cur_user_);
      continue;
    }
    for (auto it = mine; it != end; ++it)
      if (sp.l2_source[*it % 1024] == gframe + 1)
        counters_.shadow_updates += drop_slot(s, *it % 1024);
  }
}

// ---------------------------------------------------------------------------------
// TLB operations

void ShadowPageTables::flush_tlb() {
  host_.flush_tlb_tag(place_.tag_base);
  for (int s = 0; s < int(kShadowSpaces); ++s) {
    if (!spaces_[s].used) continue;
    host_.flush_tlb_tag(tag(s, 0));
    host_.flush_tlb_tag(tag(s, 1));
  }
}

void ShadowPageTables::invalidate_page(uint32_t va) {
  if (cur_ < 0) {
    host_.invalidate_tlb_page(va, place_.tag_base);
    return;
  }
  host_.invalidate_tlb_page(va, tag(cur_, 0));
  host_.invalidate_tlb_page(va, tag(cur_, 1));
}

std::optional<std::array<uint32_t, 2>> ShadowPageTables::shadow_roots(uint32_t guest_root) const {
  const int s = find(guest_root & pte::FRAME);
  if (s < 0) return std::nullopt;
  return spaces_[s].root;
}

}  // namespace trapeze::vmm
