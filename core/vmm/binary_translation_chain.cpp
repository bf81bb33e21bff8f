// Binary translation's fast path: translated blocks chained inside one host run.
//
// run_block() runs a block's kept code with this strategy as the machine's block
// observer, so at the end of each block the machine calls block_end() without
// leaving its loop. It does what step(), enter() and run_block() would do next when
// that is a chain (the successor along a live chain whose block is still the code at
// that pc) or a lookup hit (a return's, jr's or callr's target already translated:
// charged, counted), then lets the run go on to the end of that block. Anything else
// stops the run right there (a miss, a callout, the idle loop, an unmapped pc, the
// turn's end), and the slow path, which is the specification, carries on from exactly
// that state (set_chain_in_run(false) runs it alone, for the tests). The simulated
// results are the same either way; only the host's work differs (one Machine::run per
// chain of blocks instead of per block).
#include "vmm/binary_translation.h"

namespace trapeze::vmm {

using machine::CostEvent;

// A block ending in a branch back to its own start, chained to itself: its next
// entries are what block_end() would do (same page, so no walk), counted by the
// machine itself.
machine::Machine::SelfLoop BinaryTranslation::self_loop(uint32_t slot) {
  machine::Machine::SelfLoop loop;
  Block& b = cache_.at(slot);
  if (b.successor[0] != b.gva && b.successor[1] != b.gva) return loop;  // most blocks: first
  // (with host time owed, its next entry goes through block_end(), which pays it)
  if (!chain_in_run_ || owed_ || b.has_callout() || b.kept == 0 || idle_loop(slot)) return loop;
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
  if (!chain_in_run_) return false;
  // Not this block's end (it stopped early), or its callout comes next.
  if (retired - block_start_ != f.kept || f.has_callout()) return false;
  // Within one host run the guest's tables cannot change (a store into one traps),
  // so a pc in the page of the block just run is in the same frame: the software
  // walk is needed only across pages.
  const auto frame_of_pc = [&] {
    return ((pc ^ f.gva) >> isa::kPageShift) == 0
               ? (f.gpa & ~(isa::kPageSize - 1)) | (pc & (isa::kPageSize - 1))
               : code_address(pc);
  };
  const int edge = f.successor[0] == pc ? 0 : f.successor[1] == pc ? 1 : -1;
  uint32_t to;
  if (edge >= 0) {  // a direct successor: along its chain (unchained: enter() links it)
    if (!cache_.alive(f.link[edge])) return false;
    to = f.link[edge].slot;
    const Block& t = cache_.at(to);
    if (t.gva != pc || t.gpa != frame_of_pc()) return false;
  } else {  // jr, callr, ret: enter()'s dispatcher lookup; a miss is translated there
    const uint32_t gpa = frame_of_pc();
    if (gpa == ~0u) return false;
    to = cache_.find(gpa, pc);
    if (to == ~0u) return false;
  }
  Block& t = cache_.at(to);
  if (t.kept == 0) return false;                                            // a callout first
  if (t.kept == 1 && t.successor[0] == pc && idle_loop(to)) return false;  // run_block's
  // The VMM's loop would look at its budget here, the host time charged since this
  // run's limits were computed included: the run's cycle budget pays that now (if
  // nothing would be left, the loop ends the turn: stop here).
  if (owed_ && !m_.spend_cycles(owed_)) return false;
  owed_ = 0;
  if (edge >= 0) {
    ++guest_.counters.vmm.bt_chained;
  } else {  // the lookup, charged as enter() charges it (paid at the next look)
    owed_ = charge(CostEvent::BT_LOOKUP);
    ++guest_.counters.vmm.bt_hits;
  }
  // step() with enter(): the block just finished (from_) is left behind at once,
  // as entering the next one forgets it.
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
