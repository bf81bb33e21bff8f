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
//
// Each edge it takes it also links for the machine (machine/block_chain.h): nothing
// it checked can change before the run returns, so the machine's loop takes that edge
// again by itself for the rest of the run, counting and charging as block_end() does,
// and run_stopped() takes over where it got to, counts and charges what it did, and
// unlinks every edge linked in the run.
#include "vmm/binary_translation.h"

namespace trapeze::vmm {

using machine::CostEvent;

bool BinaryTranslation::block_end(uint32_t pc, uint64_t retired, uint64_t& observe_at) {
  if (!chain_in_run_) return false;
  // (nothing changes the cache during a host run: the machine's block is live)
  machine::ChainRun& run = m_.chain_run();
  Block& f = cache_.at(run.at->tag);
  // Not this block's end (it stopped early), or its callout comes next.
  if (retired - m_.chain_start() != f.kept || f.has_callout()) return false;
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
  if (run.owed && !m_.spend_cycles(run.owed)) return false;
  run.owed = 0;
  if (edge >= 0) {
    ++guest_.counters.vmm.bt_chained;
    f.chain.next[edge] = &t.chain;
  } else {  // the lookup, charged as enter() charges it (paid at the next look)
    run.owed = run.lookup_cost = charge(CostEvent::BT_LOOKUP);
    ++guest_.counters.vmm.bt_hits;
    f.chain.exit_pc[machine::ChainedBlock::kIndirect] = pc;
    f.chain.next[machine::ChainedBlock::kIndirect] = &t.chain;
  }
  linked_.push_back(&f.chain);
  // step() with enter(): the block just finished (from_) is left behind at once, as
  // entering the next one forgets it (from_ is already empty in a run); current_,
  // offset_ and block_start_ follow when the run stops.
  ++t.chain.runs;
  run.at = &t.chain;
  observe_at = retired + t.kept;
  return true;
}

void BinaryTranslation::run_stopped() {
  if (linked_.empty()) return;  // no block entered: nothing moved
  machine::ChainRun& run = m_.chain_run();
  guest_.counters.vmm.bt_chained += run.followed[0];
  if (const uint64_t lookups = run.followed[1]) {
    charge(CostEvent::BT_LOOKUP, lookups);
    guest_.counters.vmm.bt_hits += lookups;
  }
  run.followed[0] = run.followed[1] = 0;
  for (machine::ChainedBlock* c : linked_) c->next[0] = c->next[1] = c->next[2] = nullptr;
  linked_.clear();
  // (a block entered in the run starts at offset 0, as block_end() entered it)
  const uint64_t start = m_.chain_start();
  if (start != block_start_) offset_ = 0;
  current_ = cache_.link_to(run.at->tag);
  block_start_ = start;
}

}  // namespace trapeze::vmm
