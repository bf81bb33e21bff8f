// The TLB: an architectural model (configurable size and associativity, FIFO
// replacement, entries tagged with an address-space id) with a host-side
// direct-mapped "fast slot" array in front of it that the interpreter's load/store
// hit path reads inline.
//
// Inclusion: every valid fast slot is a copy of a valid architectural entry, so a
// fast-slot hit is an architectural hit. Evicting or invalidating an entry clears
// its fast slot. Replacement is FIFO, so hits need no bookkeeping and the fast path
// stays a compare and a load.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace trapeze::machine {

struct TlbConfig {
  uint32_t entries = 64;  // 1..1024
  uint32_t ways = 0;      // 0 = fully associative; otherwise entries/ways must be a power of two
  bool operator==(const TlbConfig&) const = default;
};

inline constexpr uint32_t kMaxTlbEntries = 1024;
inline constexpr uint32_t kMaxAddressSpaceTag = 2047;  // TLB tags (address-space ids) 0..2047

struct TlbEntry {
  bool valid = false;
  uint16_t tag = 0;      // address-space id set by the machine's owner
  uint32_t vpn = 0;      // virtual page number
  uint32_t pfn = 0;      // physical frame number
  bool writable = false; // effective W (both levels)
  bool user = false;     // effective U (both levels)
  bool dirty = false;    // D was set in the L2 entry when this entry was filled/updated
  bool operator==(const TlbEntry&) const = default;
};

class Tlb {
 public:
  static constexpr uint32_t kFastSlots = 1024;
  static constexpr uint32_t kInvalidKey = 0xFFFFFFFFu;
  // A key joins the virtual page number (20 bits) and the tag (11 bits); bit 31 is
  // never set in a valid key.
  static constexpr uint32_t key(uint32_t vpn, uint32_t tag) { return vpn | (tag << 20); }

  // What the interpreter's inline hit path reads. Index [mode]: 0 kernel, 1 user.
  // A key is present only if that access is allowed without the slow path: reads
  // need U in user mode; writes also need W, D already set, and a frame without
  // decoded code.
  struct FastSlot {
    uint32_t read_key[2];
    uint32_t write_key[2];
    uint8_t* host;  // the frame in host memory
  };

  explicit Tlb(TlbConfig config = {});
  const TlbConfig& config() const { return config_; }
  static bool valid_config(const TlbConfig& c);

  // Architectural lookup: index of the entry for (vpn, tag), or -1.
  int find(uint32_t vpn, uint32_t tag) const;
  // Inserts an entry (the caller has checked there is none for its vpn/tag):
  // fills an invalid way of its set, else evicts the set's FIFO victim.
  int insert(const TlbEntry& e);
  TlbEntry& entry(int index) { return entries_[index]; }
  std::span<const TlbEntry> entries() const { return entries_; }

  // Copies entry `index` into its fast slot. `code_frame`: the frame holds decoded
  // code, so writes must take the slow path.
  void fill_fast(int index, uint8_t* host, bool code_frame);
  const FastSlot* fast_slots() const { return fast_; }
  // The slow paths' first try: the fast slot's frame if it allows this access.
  bool fast_lookup(uint32_t vpn, uint32_t tag, bool user, bool write, uint32_t* pfn) const {
    const uint32_t i = slot_of(vpn);
    const uint32_t k = key(vpn, tag);
    if ((write ? fast_[i].write_key[user] : fast_[i].read_key[user]) != k) return false;
    *pfn = fast_pfn_[i];
    return true;
  }

  void flush_all();
  void flush_tag(uint32_t tag);
  void invalidate(uint32_t vpn, uint32_t tag);
  // Withdraws fast writes to a frame that has just become a code page.
  void revoke_fast_writes(uint32_t pfn);

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  void clear_fast_for(const TlbEntry& e);
  static uint32_t slot_of(uint32_t vpn) { return vpn & (kFastSlots - 1); }

  TlbConfig config_;
  uint32_t ways_, sets_;
  std::vector<TlbEntry> entries_;   // set s occupies [s*ways_, (s+1)*ways_)
  std::vector<uint32_t> fifo_;      // per set: next victim way
  FastSlot fast_[kFastSlots];
  uint32_t fast_pfn_[kFastSlots];   // frame of each fast slot, for revoke_fast_writes
};

}  // namespace trapeze::machine
