// The translation cache of binary translation (binary_translation.h): guest-kernel
// code, translated block by block, with each block's chains to its successors.
//
// A block is keyed by the guest-physical address of its first instruction AND its
// guest-virtual pc: the caller looks a pc up by first translating it through the
// guest's current tables, so a block made under another mapping is never found.
//
// A block runs from its first instruction to
//   - a branch, jump, call, return, rti or trap instruction (inclusive),
//   - or just before a privileged or sensitive instruction (isa.h: privileged(),
//     sensitive()), which becomes the block's last row: a callout into the VMM,
//   - or the end of its page, or kMaxBlockLength instructions.
// Every row keeps {guest pc, original word, translated form}, so the frontend can
// show the original and the translated code side by side (rows()).
//
// Capacity is counted in translated instructions. When a new block does not fit,
// the oldest blocks are evicted first (FIFO by block; Pin's and DynamoRIO's code
// caches offer the same policy; early VMware flushed everything instead). Chains are
// {slot, serial} pairs, so evicting or invalidating a block unlinks every chain into
// it at once: a chain whose serial no longer matches is dead.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "machine/block_chain.h"

namespace trapeze::vmm {

inline constexpr uint32_t kMaxBlockLength = 32;            // instructions
inline constexpr uint32_t kDefaultTcCapacity = 16384;      // translated instructions
inline constexpr uint32_t kMinTcCapacity = kMaxBlockLength;  // one block of the longest kind
inline constexpr uint32_t kMaxTcCapacity = 1u << 20;
inline constexpr uint32_t kNoPc = 1;  // no successor (a real pc is 4-byte aligned)

// How one guest instruction is translated.
enum class Translated : uint8_t {
  Kept,          // innocuous: identical (it runs in place)
  Jump,          // direct branch or jump: to the target's (and fall-through's) block
  Call,          // call: lr = original pc + 4, then the target's block
  Indirect,      // jr, callr, ret: a dispatcher lookup of the register's value
  Trap,          // syscall, brk, hypercall, an illegal word: traps as it would natively
  Callout,       // privileged or sensitive: a direct call into the VMM
  Inline,        // privileged or sensitive on a virtual-CPU register: inline code
  StoreCallout,  // adaptive: a store into a page table, done by a callout
};

struct TranslatedInsn {
  uint32_t pc = 0;    // guest-virtual
  uint32_t word = 0;  // the original instruction
  Translated form = Translated::Kept;
};

// A chain to a successor block (dead once that block is gone).
struct BlockLink {
  uint32_t slot = ~0u;
  uint64_t serial = 0;
};

struct Block {
  uint32_t gva = 0, gpa = 0;  // its first instruction
  std::vector<TranslatedInsn> insns;
  uint32_t kept = 0;  // rows run in place; a last row beyond them is the callout
  // Successor pcs: [0] taken (branch target, call target), [1] fall-through
  // (not-taken branch, after a callout, page end); kNoPc if none.
  uint32_t successor[2] = {kNoPc, kNoPc};
  BlockLink link[2];
  uint64_t serial = 0;  // 0: the slot is free
  // The machine's view of it: its length and successors (copies of `kept` and
  // `successor`, made when it is cached: neither changes), the links the
  // translator made for the machine's loop in the current run, and the times it
  // was entered (for the frontend's hot blocks).
  machine::ChainedBlock chain;
  bool has_callout() const { return kept < insns.size(); }
  const TranslatedInsn& callout() const { return insns[kept]; }
};

// Forms the block at guest-virtual `gva` (guest-physical `gpa`): `word(gpa)` reads
// the guest's code, `adaptive(gpa)` says whether the store at that address is to be
// a callout.
Block translate_block(uint32_t gva, uint32_t gpa, const std::function<uint32_t(uint32_t)>& word,
                      const std::function<bool(uint32_t)>& adaptive);

// The privileged and sensitive instructions translated inline (the ones that only
// read or write a virtual-CPU register); the others are callouts.
bool translated_inline(uint8_t opcode);

class TranslationCache {
 public:
  // Called when a guest page gets its first block (true) or loses its last (false):
  // the VMM write-protects pages holding translated code.
  using PageFn = std::function<void(uint32_t gframe, bool has_code)>;

  TranslationCache(uint32_t capacity, PageFn on_page);

  uint32_t capacity() const { return capacity_; }
  uint32_t used() const { return used_; }  // translated instructions held
  size_t block_count() const { return index_.size(); }

  // The slot of the block for (gpa, gva), or ~0u. A small direct-mapped memo by pc
  // answers most lookups (a return to the same few call sites) before the index; a
  // memo entry counts only while its slot holds a live block with that very key
  // (live blocks have distinct keys), so it needs no invalidation.
  uint32_t find(uint32_t gpa, uint32_t gva) const {
    const uint32_t m = memo_[(gva >> 2) & (kMemoSize - 1)];
    if (m < slots_.size()) {
      const Block& b = slots_[m];
      if (b.serial != 0 && b.gva == gva && b.gpa == gpa) return m;
    }
    return find_indexed(gpa, gva);
  }
  // Adds a block, evicting the oldest while it does not fit; returns its slot.
  // `evicted` receives how many blocks were evicted.
  uint32_t insert(Block block, uint32_t& evicted);
  Block& at(uint32_t slot) { return slots_[slot]; }
  const Block& at(uint32_t slot) const { return slots_[slot]; }
  bool alive(const BlockLink& l) const {
    return l.slot < slots_.size() && l.serial != 0 && slots_[l.slot].serial == l.serial;
  }
  BlockLink link_to(uint32_t slot) const { return {slot, slots_[slot].serial}; }
  // Drops every block on guest page `gframe`; returns how many.
  uint32_t invalidate_page(uint32_t gframe);
  // Drops one block.
  void remove(uint32_t slot);
  void clear();
  // Fills in the machine's view of the block in `slot` (Block::chain) from the block.
  void describe_to_machine(uint32_t slot);

  // ---- inspection (read-only) ----------------------------------------------------
  struct BlockInfo {
    uint64_t id = 0;  // its serial: stable while it lives
    uint32_t gva = 0, gpa = 0;
    uint32_t length = 0;  // rows
    uint32_t kept = 0;
    bool callout = false;
    uint32_t successor[2] = {kNoPc, kNoPc};
    bool chained[2] = {false, false};
    uint64_t runs = 0;
  };
  // Oldest first.
  std::vector<BlockInfo> blocks() const;
  struct Row {
    uint32_t pc = 0;
    uint32_t word = 0;
    std::string original;    // its disassembly
    std::string translated;  // what the translation does instead
  };
  // The rows of block `id` (empty if it is gone).
  std::vector<Row> rows(uint64_t id) const;

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  static uint64_t key(uint32_t gpa, uint32_t gva) { return (uint64_t(gpa) << 32) | gva; }
  void drop(uint32_t slot);
  uint32_t find_indexed(uint32_t gpa, uint32_t gva) const;  // through index_, memoized

  static constexpr uint32_t kMemoSize = 256;

  uint32_t capacity_;
  PageFn on_page_;
  std::vector<Block> slots_;
  std::vector<uint32_t> free_;
  std::unordered_map<uint64_t, uint32_t> index_;                  // key -> slot
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_page_;  // guest frame -> slots
  std::deque<BlockLink> order_;                                   // insertion order (FIFO)
  mutable std::array<uint32_t, kMemoSize> memo_ = filled_memo();  // pc -> slot, see find()
  static constexpr std::array<uint32_t, kMemoSize> filled_memo() {
    std::array<uint32_t, kMemoSize> a{};
    for (uint32_t& x : a) x = ~0u;
    return a;
  }
  uint32_t used_ = 0;
  uint64_t next_serial_ = 1;
};

}  // namespace trapeze::vmm
