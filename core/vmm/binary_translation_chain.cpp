// Binary translation's fast path: translated blocks chained inside one host run.
//
// run_block() runs a block's kept code with this strategy as the machine's block
// observer, so at the end of each block the machine calls block_end() without
// leaving its loop. It does what step(), enter() and run_block() would do next on
// the CHAINED path — and only that: the successor along a live chain whose block is
// still the code at that pc — then lets the run go on to the end of that block.
// Anything else stops the run right there (a lookup, a miss, a callout, the idle
// loop, an unmapped pc), and the slow path, which is the specification, carries on
// from exactly that state. The simulated results are the same either way; only the
// host's work differs (one Machine::run per chain of blocks instead of per block).
#include "vmm/binary_translation.h"

namespace trapeze::vmm {

// A block ending in a branch back to its own start, chained to itself: its next
// entries are what block_end() would do (same page, so no walk), counted by the
// machine itself.
machine::Machine::SelfLoop BinaryTranslation::self_loop(uint32_t slot) {
  machine::Machine::SelfLoop loop;
  Block& b = cache_.at(slot);
  if (b.has_callout() || b.kept == 0 || idle_loop(slot)) return loop;
  for (int e = 0; e < 2; ++e) {
    if (b.successor[e] != b.gva) continue;  // (the first edge that matches, as enter())
    if (cache_.alive(b.link[e]) && b.link[e].slot == slot) {
      loop.pc = b.gva;
      loop.length = b.kept;
      loop.chained = &guest_.counters.vmm.bt_chained;
      loop.entries = &b.runs;
      loop.start = &block_start_;
    }
    break;
  }
  return loop;
}

bool BinaryTranslation::block_end(uint32_t pc, uint64_t retired, uint64_t& observe_at,
                                  machine::Machine::SelfLoop& loop) {
  // (nothing changes the cache during a host run: `running_` is `current_`'s block)
  const Block& f = *running_;
  // Not this block's end (it stopped early), or its callout comes next.
  if (retired - block_start_ != f.kept || f.has_callout()) return false;
  const int edge = f.successor[0] == pc ? 0 : f.successor[1] == pc ? 1 : -1;
  if (edge < 0 || !cache_.alive(f.link[edge])) return false;
  const uint32_t to = f.link[edge].slot;
  Block& t = cache_.at(to);
  if (t.gva != pc || t.kept == 0) return false;
  if (t.kept == 1 && t.successor[0] == pc && idle_loop(to)) return false;  // run_block's
  // Within one host run the guest's tables cannot change (a store into one traps),
  // so a pc in the page of the block just run is in the same frame: the software
  // walk is needed only across pages.
  const uint32_t gpa = ((pc ^ f.gva) >> isa::kPageShift) == 0
                           ? (f.gpa & ~(isa::kPageSize - 1)) | (pc & (isa::kPageSize - 1))
                           : code_address(pc);
  if (t.gpa != gpa) return false;
  // step() with enter()'s chain: the block just finished (from_) is left behind
  // at once, as entering the next one forgets it.
  ++guest_.counters.vmm.bt_chained;
  current_ = cache_.link_to(to);
  from_ = BlockLink{};
  offset_ = 0;
  ++t.runs;
  running_ = &t;
  block_start_ = retired;
  observe_at = retired + t.kept;
  loop = t.successor[0] == pc || t.successor[1] == pc ? self_loop(to) : machine::Machine::SelfLoop{};
  return true;
}

}  // namespace trapeze::vmm
