#include "machine/tlb.h"

namespace trapeze::machine {
namespace {
bool is_pow2(uint32_t v) { return v && !(v & (v - 1)); }
}  // namespace

bool Tlb::valid_config(const TlbConfig& c) {
  if (c.entries < 1 || c.entries > kMaxTlbEntries) return false;
  if (c.ways == 0) return true;
  return c.ways <= c.entries && c.entries % c.ways == 0 && is_pow2(c.entries / c.ways);
}

Tlb::Tlb(TlbConfig config) : config_(config) {
  if (!valid_config(config_)) config_ = TlbConfig{};
  ways_ = config_.ways ? config_.ways : config_.entries;
  sets_ = config_.entries / ways_;
  entries_.resize(config_.entries);
  fifo_.assign(sets_, 0);
  flush_all();
}

int Tlb::find(uint32_t vpn, uint32_t tag) const {
  const uint32_t set = vpn & (sets_ - 1);
  const TlbEntry* e = &entries_[set * ways_];
  for (uint32_t w = 0; w < ways_; ++w)
    if (e[w].valid && e[w].vpn == vpn && e[w].tag == tag) return int(set * ways_ + w);
  return -1;
}

int Tlb::insert(const TlbEntry& e) {
  const uint32_t set = e.vpn & (sets_ - 1);
  TlbEntry* base = &entries_[set * ways_];
  uint32_t way = ways_;
  for (uint32_t w = 0; w < ways_; ++w)
    if (!base[w].valid) { way = w; break; }
  if (way == ways_) {  // all valid: FIFO victim
    way = fifo_[set];
    fifo_[set] = (way + 1) % ways_;
    clear_fast_for(base[way]);
  }
  base[way] = e;
  base[way].valid = true;
  return int(set * ways_ + way);
}

void Tlb::fill_fast(int index, uint8_t* host, bool code_frame) {
  const TlbEntry& e = entries_[index];
  const uint32_t k = key(e.vpn, e.tag);
  FastSlot& s = fast_[slot_of(e.vpn)];
  const bool can_write = e.writable && e.dirty && !code_frame;
  s.read_key[0] = k;
  s.read_key[1] = e.user ? k : kInvalidKey;
  s.write_key[0] = can_write ? k : kInvalidKey;
  s.write_key[1] = can_write && e.user ? k : kInvalidKey;
  s.host = host;
  fast_pfn_[slot_of(e.vpn)] = e.pfn;
}

void Tlb::clear_fast_for(const TlbEntry& e) {
  if (!e.valid) return;
  FastSlot& s = fast_[slot_of(e.vpn)];
  if (s.read_key[0] == key(e.vpn, e.tag))
    s.read_key[0] = s.read_key[1] = s.write_key[0] = s.write_key[1] = kInvalidKey;
}

void Tlb::flush_all() {
  for (TlbEntry& e : entries_) e.valid = false;
  for (uint32_t& f : fifo_) f = 0;
  for (FastSlot& s : fast_) s = FastSlot{{kInvalidKey, kInvalidKey}, {kInvalidKey, kInvalidKey}, nullptr};
  for (uint32_t& p : fast_pfn_) p = 0;
}

void Tlb::flush_tag(uint32_t tag) {
  for (TlbEntry& e : entries_)
    if (e.valid && e.tag == tag) {
      clear_fast_for(e);
      e.valid = false;
    }
}

void Tlb::invalidate(uint32_t vpn, uint32_t tag) {
  const int i = find(vpn, tag);
  if (i < 0) return;
  clear_fast_for(entries_[i]);
  entries_[i].valid = false;
}

void Tlb::revoke_fast_writes(uint32_t pfn) {
  for (uint32_t i = 0; i < kFastSlots; ++i)
    if (fast_[i].read_key[0] != kInvalidKey && fast_pfn_[i] == pfn)
      fast_[i].write_key[0] = fast_[i].write_key[1] = kInvalidKey;
}

}  // namespace trapeze::machine
