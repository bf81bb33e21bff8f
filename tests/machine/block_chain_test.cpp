// The block observer and the links the loop follows by itself (machine/block_chain.h):
// a linked edge is taken without calling the observer, with the same effect on the
// run as the observer taking it (instructions, cycles, the budget, what is owed).
#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

constexpr uint64_t kLookupCost = 7;

// An observer for a one-block loop at kCode: it enters the loop again whenever the
// block ends at kCode (charging a lookup if the loop ends in an indirect jump), and
// links that edge for the loop if `link`.
class LoopObserver final : public Machine::BlockObserver {
 public:
  LoopObserver(Machine& m, ChainedBlock& loop, bool indirect, bool link)
      : m_(m), loop_(loop), indirect_(indirect), link_(link) {}

  bool block_end(uint32_t pc, uint64_t retired, uint64_t& observe_at) override {
    ++calls;
    ChainRun& run = m_.chain_run();
    if (pc != kCode || retired - m_.chain_start() != run.at->length) return false;
    if (run.owed && !m_.spend_cycles(run.owed)) return false;
    run.owed = 0;
    if (indirect_) {
      run.owed = run.lookup_cost = kLookupCost;
      ++lookups;
      if (link_) {
        run.at->exit_pc[ChainedBlock::kIndirect] = pc;
        run.at->next[ChainedBlock::kIndirect] = &loop_;
      }
    } else {
      ++chained;
      if (link_) run.at->next[0] = &loop_;
    }
    ++loop_.runs;
    run.at = &loop_;
    observe_at = retired + loop_.length;
    return true;
  }
  void run_stopped() override {
    ++stops;
    const ChainRun& run = m_.chain_run();
    chained += run.followed[0];
    lookups += run.followed[1];
    loop_.next[0] = loop_.next[1] = loop_.next[2] = nullptr;
  }

  int calls = 0, stops = 0;
  uint64_t chained = 0, lookups = 0;

 private:
  Machine& m_;
  ChainedBlock& loop_;
  bool indirect_, link_;
};

struct Outcome {
  RunResult result;
  uint32_t counter = 0;
  uint64_t runs = 0, chained = 0, lookups = 0;
  int calls = 0, stops = 0;
};

// Runs the one-block loop `addi r1, r1, -1` + (`bne r1, r0, loop` or `jr r2`, r2 =
// the loop) from r1 = 100 with the observer, for at most `cycles` cycles.
Outcome run_loop_block(bool indirect, bool link, uint64_t cycles) {
  Machine m;
  ProgramBuilder p(kCode);
  p.label("loop").op(Op::ADDI, 1, 1, 0, -1);
  if (indirect)
    p.op(Op::JR, 2);
  else
    p.br(Op::BNE, 1, 0, "loop");
  p.op(Op::HALT);
  p.load(m);
  CpuState s = m.state();
  s.pc = kCode;
  s.r[1] = 100;
  s.r[2] = kCode;
  m.set_state(s);

  ChainedBlock loop;
  loop.length = 2;
  if (!indirect) {
    loop.exit_pc[0] = kCode;      // taken
    loop.exit_pc[1] = kCode + 8;  // fall-through
  }
  LoopObserver observer(m, loop, indirect, link);
  m.set_block_observer(&observer, loop.length, &loop);
  Outcome o;
  o.result = m.run(Machine::kNoLimit, cycles);
  m.set_block_observer(nullptr, 0, nullptr);
  o.counter = m.state().r[1];
  o.runs = loop.runs;
  o.chained = observer.chained;
  o.lookups = observer.lookups;
  o.calls = observer.calls;
  o.stops = observer.stops;
  return o;
}

TEST(BlockChain, TheLoopFollowsALinkedChainWithoutCallingTheObserver) {
  const Outcome linked = run_loop_block(/*indirect=*/false, /*link=*/true, Machine::kNoLimit);
  const Outcome called = run_loop_block(false, false, Machine::kNoLimit);
  // 100 turns: 99 entries after the first, then the exit (the pc after the loop).
  EXPECT_EQ(called.calls, 100);
  EXPECT_EQ(linked.calls, 2);  // the first end (which links) and the exit
  for (const Outcome* o : {&linked, &called}) {
    EXPECT_EQ(o->result.reason, StopReason::Budget);  // the observer stopped it
    EXPECT_EQ(o->result.instructions, 200u);
    EXPECT_EQ(o->counter, 0u);
    EXPECT_EQ(o->runs, 99u);
    EXPECT_EQ(o->chained, 99u);
    EXPECT_EQ(o->stops, 1);  // told once, when the run returned
  }
  EXPECT_EQ(linked.result.cycles, called.result.cycles);
}

TEST(BlockChain, AFollowedLookupIsOwedAndPaidFromTheBudgetAsTheObserverPaysIt) {
  // Each lookup owes kLookupCost cycles, paid from the run's budget at the next block
  // end: a budget that runs out part-way stops both runs at the same instruction.
  const uint64_t budgets[] = {50, 173, 301, 1000};
  for (uint64_t budget : budgets) {
    SCOPED_TRACE(budget);
    const Outcome linked = run_loop_block(/*indirect=*/true, /*link=*/true, budget);
    const Outcome called = run_loop_block(true, false, budget);
    EXPECT_EQ(linked.result.instructions, called.result.instructions);
    EXPECT_EQ(linked.result.cycles, called.result.cycles);
    EXPECT_EQ(linked.counter, called.counter);
    EXPECT_EQ(linked.runs, called.runs);
    EXPECT_EQ(linked.lookups, called.lookups);
    EXPECT_GT(linked.lookups, 2u);
    EXPECT_LT(linked.calls, called.calls);  // the loop took the linked lookups itself
    EXPECT_EQ(linked.stops, 1);
  }
}

}  // namespace
}  // namespace trapeze::machine::testing
