// The interpreter runs inside a page from the page's decoded slots and finds the
// page's end by a sentinel slot: code that falls through, branches, calls and jumps
// across page boundaries (and off the end of memory) must do exactly what running
// it one instruction per run() call does, where every instruction is fetched anew.
#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

using isa::Cause;
namespace pte = isa::pte;

TEST(MachinePages, NoInstructionWordDecodesToThePageEndSentinel) {
  for (uint32_t opcode = 0; opcode < 256; ++opcode)
    for (uint32_t low : {0u, 0x00FFFFFFu, 0x00123456u})
      EXPECT_NE(isa::decode(opcode << 24 | low).op, kPageEndOp) << opcode;
}

TEST(MachinePages, CrossingPagesMatchesSingleSteps) {
  for (bool paging : {false, true}) {
    Machine whole, steps;
    // Code spread over three pages: the last words of 0x1000, 0x2000's start, a
    // routine at the end of 0x2000 that falls into 0x3000, and one at 0x1F00. The loop
    // crosses the boundaries backwards and forwards by fall-through, branch, call,
    // callr, ret and jr.
    for (Machine* m : {&whole, &steps}) {
      if (paging) {
        PageTables pt(*m, 0x40000);
        pt.identity(0, 0x20000, pte::P | pte::W);
      }
      ProgramBuilder q(0x1F00);
      q.op(Op::ADDI, 8, 8, 0, 1).op(Op::RET);
      q.load(*m);
      ProgramBuilder p(0x1FE8);
      p.li(1, 0).li(2, 5);
      p.label("loop").op(Op::ADDI, 1, 1, 0, 3);
      p.op(Op::XOR, 1, 1, 2);
      p.op(Op::ADDI, 2, 2, 0, -1);
      p.j(Op::CALL, "far");
      p.li(5, 0x1F00).op(Op::CALLR, 5);
      p.br(Op::BNE, 2, 0, "loop");
      p.la(6, "done").op(Op::JR, 6);
      for (int i = 0; i < 500; ++i) p.op(Op::ADDI, 7, 7, 0, 1);  // skipped
      p.label("far").op(Op::SHLI, 3, 1, 0, 1);
      while (p.here() < 0x2FFC) p.op(Op::ADDI, 3, 3, 0, 1);
      p.op(Op::ADDI, 3, 3, 0, 2);
      p.op(Op::ADD, 4, 4, 3);
      p.op(Op::RET);
      p.label("done").op(Op::HALT);
      p.load(*m);
      CpuState s;
      s.pc = 0x1FE8;
      if (paging) s.ptr = 0x40000;
      m->set_state(s);
    }
    const RunResult r = whole.run(1'000'000);
    ASSERT_EQ(r.reason, StopReason::Halted) << paging;
    uint64_t n = 0;
    while (!steps.halted() && n < 1'000'000) n += steps.run(1).instructions;
    EXPECT_EQ(n, r.instructions) << paging;
    EXPECT_EQ(whole.state_hash(), steps.state_hash()) << paging;
    EXPECT_EQ(whole.counters().cycles, steps.counters().cycles) << paging;
    EXPECT_EQ(whole.counters().instructions_kernel, steps.counters().instructions_kernel) << paging;
    EXPECT_EQ(whole.state().r[7], 0u) << paging;      // the skipped block never ran
    EXPECT_EQ(whole.state().r[8], 5u) << paging;      // the routine in page 1, once a pass
    EXPECT_EQ(whole.state().r[2], 0u) << paging;
    EXPECT_NE(whole.state().r[4], 0u) << paging;      // page 3's add ran every pass
    // Five passes, each through the ~500 words between "far" and the end of page 2.
    EXPECT_GT(r.instructions, 5u * 450u) << paging;
  }
}

TEST_F(MachineTest, FallingOffTheLastPageOfMemoryIsAFetchFault) {
  // The last word of memory is an addi; the next fetch is outside memory.
  const uint32_t last = m.memory_size() - 4;
  ProgramBuilder p(last);
  p.op(Op::ADDI, 1, 1, 0, 9);
  const RunResult r = run(p);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(reg(1), 9u);
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(m.state().epc(), m.memory_size());
  EXPECT_EQ(m.state().badaddr(), m.memory_size());
}

TEST_F(MachineTest, FallingIntoAnUnmappedPageFaultsAtItsFirstAddress) {
  PageTables pt(m, 0x40000);
  pt.identity(0, 0x2000, pte::P | pte::W);         // 0x2000 unmapped
  pt.identity(kHandler, kHandler + isa::kPageSize, pte::P | pte::W);
  ProgramBuilder p(0x1FF8);
  p.op(Op::ADDI, 1, 1, 0, 1).op(Op::ADDI, 1, 1, 0, 2);
  p.load(m);
  CpuState s = m.state();
  s.pc = 0x1FF8;
  s.ptr = 0x40000;
  m.set_state(s);
  const RunResult r = m.run(100);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(reg(1), 3u);
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(m.state().epc(), 0x2000u);
  EXPECT_EQ(m.state().badaddr(), 0x2000u);
}

}  // namespace
}  // namespace trapeze::machine::testing
