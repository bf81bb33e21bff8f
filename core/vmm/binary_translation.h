// Binary translation (VMware's software VMM; Adams & Agesen, ASPLOS 2006): the way
// out of the U/K-bit problem without changing the guest.
//
// The guest's USER mode runs untranslated on the host, exactly as under
// trap-and-emulate (the strategy holds a DeprivilegedRun, deprivileged_run.h:
// shadow paging, reflection; its run loop's step is this strategy's). Its KERNEL mode runs block by block from a translation cache
// (translation_cache.h): each block is translated from the guest's code, fetched
// through the guest's own page tables in software, and
//   innocuous instructions            kept: identical
//   privileged and sensitive ones     a CALLOUT: the VMM applies the instruction to
//     (rdpsw, wrpsw, sptr included)   the virtual CPU directly — no trap, no decode —
//                                     so a kernel's rdpsw reads U = 0 as on bare metal
//   call                              lr = original pc + 4, then the target's block
//   jr, callr, ret, rti               a dispatcher lookup
//
// How the simulator runs a block: the kept instructions behave identically
// wherever they run, so they run IN PLACE on the host machine (in user mode, on the
// shadow's kernel view), with an instruction limit of the block's kept length;
// traps in the middle (page faults, divide by zero, ...) are handled exactly as
// under trap-and-emulate. Then the VMM runs the block's callout, if any. Blocks
// chained to each other run in ONE host run: the strategy is the machine's block
// observer (binary_translation_chain.cpp), entering each successor along its chain
// (or found by a lookup that hits) at the block's end inside the machine's loop, and
// linking that edge for the loop to follow by itself for the rest of the run
// (machine/block_chain.h); it stops the run wherever the VMM has more to do (the
// slow path, step()/enter()/run_block(), is the specification: the results are the
// same either way, tested).
// So the kept code costs what it costs natively, and the translation decides where control
// returns to the VMM and what that costs: BT_CALLOUT (BT_INLINE for a virtual
// register access) instead of TRAP_ENTRY + VMM_EMULATE; BT_LOOKUP for a dispatcher
// lookup; BT_TRANSLATE per instruction translated. Chained jumps (a direct
// successor already linked) are free.
//
// Pages holding translated code are write-protected (ShadowPageTables::protect_code):
// a store into one traps, is emulated, and invalidates the page's blocks; DMA into
// one invalidates them too. A store in translated code that traps because it hits a
// page table makes the VMM re-translate its block with that store as a callout
// (adaptive translation): the next time it runs, the VMM does the store and the
// shadow update without a trap.
//
// Time: the guest's virtual clock advances exactly as under trap-and-emulate (each
// callout by its instruction's native cost), so interrupts land on the same
// instructions as on bare metal; the VMM's work is charged to the guest, never to
// its virtual clock.
#pragma once

#include <unordered_set>
#include <vector>

#include "vmm/deprivileged_strategy.h"
#include "vmm/translation_cache.h"

namespace trapeze::vmm {

class BinaryTranslation final : public DeprivilegedStrategy,
                                private machine::Machine::BlockObserver {
 public:
  // `capacity`: translated instructions the cache holds (GuestConfig::tc_capacity).
  BinaryTranslation(Host& host, Guest& guest, const GuestPlacement& place, uint32_t capacity);

  StrategyKind kind() const override { return StrategyKind::BT; }
  // Off: no chain is followed inside a host run, every block ends in the slow path
  // (step(), enter(), run_block()), the specification the fast path must match
  // exactly; tests compare the two. On by default.
  void set_chain_in_run(bool on) { chain_in_run_ = on; }
  const TranslationCache* translation_cache() const override { return &cache_; }

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  // The run loop's step: user mode untranslated, kernel mode block by block.
  Flow step(DeprivilegedRun& run, const Limits& limits) override;
  void store_emulated(uint32_t pc, uint32_t word, bool table) override;
  // A guest page holding translated code was written: its translations are stale.
  void code_written(uint32_t gframe, CodeWrite how);

  // The guest-physical address of the guest-kernel instruction at `va`, through
  // its own tables (no side effects); ~0u if fetching it would fault.
  uint32_t code_address(uint32_t va) const;
  // The block to run at `pc` (guest-physical `gpa`): along a chain, or by a lookup
  // (translating on a miss).
  uint32_t enter(uint32_t pc, uint32_t gpa);
  uint32_t translate(uint32_t pc, uint32_t gpa);
  Flow run_block(uint32_t slot, const Limits& limits);
  // The machine's block observer while the kept code runs: at the end of the block
  // the machine is in (its chain_run().at), enters its successor along a live chain
  // as step() and enter() would, and links it for the machine's loop to follow by
  // itself for the rest of the run; or stops the run for them
  // (binary_translation_chain.cpp).
  bool block_end(uint32_t pc, uint64_t retired, uint64_t& observe_at) override;
  // The run stopped: where it stopped (current_, block_start_), the chains and
  // lookups the machine's loop did by itself counted and charged, every link undone.
  void run_stopped() override;
  bool idle_loop(uint32_t slot) const;
  Flow callout(const Block& b, const Limits& limits);
  Flow adaptive_store(const isa::Decoded& d, uint32_t pc, uint32_t word, const Limits& limits);
  // Where translated execution stands is no longer known (a trap was reflected,
  // the mode changed, a block vanished): the next block is found by a lookup.
  void lose_position() { current_ = from_ = BlockLink{}; }

  // The run it holds, and short names for what its code uses of it.
  using Entry = DeprivilegedRun::Entry;
  Flow run_on_host(uint64_t n, const Limits& l) { return run_.run_on_host(n, l); }
  Flow handle_trap(const machine::TrapEvent& t) { return run_.handle_trap(t); }
  void sync_hardware() { run_.sync_hardware(); }
  void fold_host_counters() { e_.fold_host_counters(); }
  bool virtual_user() const { return e_.virtual_user(); }
  uint64_t charge(machine::CostEvent e, uint64_t times = 1) { return e_.charge(e, times); }
  void log(EventKind kind, uint32_t pc, uint32_t word = 0, uint32_t a = 0, uint32_t b = 0,
           uint32_t c = 0, isa::Cause cause = isa::Cause::NONE) {
    e_.log(kind, pc, word, a, b, c, cause);
  }

  GuestEngine& e_;
  Guest& guest_;
  machine::Machine& m_;
  ShadowPageTables& shadows_;
  TranslationCache cache_;
  std::unordered_set<uint32_t> adaptive_;  // guest-physical addresses of stores made callouts
  // The block being run and how far (offset = rows done), and the block just
  // finished (whose successors are chained); valid while `reflected_` is the guest's
  // reflected count (a reflected trap or interrupt leaves translated code).
  BlockLink current_, from_;
  uint32_t offset_ = 0;
  uint64_t reflected_ = 0;
  // After a host run: the run's retired count where `current_` began (0 - offset_
  // for the block it started in), so offset_ comes out exact wherever it stopped.
  uint64_t block_start_ = 0;
  // The blocks linked for the machine's loop in the run in progress (run_stopped()
  // unlinks them).
  std::vector<machine::ChainedBlock*> linked_;
  bool chain_in_run_ = true;
  // vmm_cycles at step(): the VMM's host time charged since (a lookup, a translation)
  // the run's cycle budget has not paid yet (ChainRun::owed: the machine takes it
  // from the budget where the VMM's loop would have looked at it).
  uint64_t step_vmm_cycles_ = 0;
};

}  // namespace trapeze::vmm
