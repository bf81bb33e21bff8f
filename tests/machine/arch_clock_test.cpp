// The architectural clock (Counters::arch_cycles) and the owner hooks the VMM
// added: the timer and devices run on architectural work only, so where an
// interrupt lands does not depend on TLB hits and misses; run() can stop on an
// architectural-cycle budget; the sensitive-but-unprivileged instructions run in
// user mode are counted and recorded; one TLB page can be dropped.
#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

namespace pte = isa::pte;
using isa::Cause;

// Paging on (identity, 32 pages), a timer leaving the loop 300 cycles per tick
// beyond the handler's own cost, a loop storing to 16 pages; the handler counts
// ticks, keeps the EPC of each, halts at the 20th.
void load_ticking(Machine& m) {
  const CostModel& c = m.cost_model();
  const uint32_t period =
      300 + c[CostEvent::TRAP_ENTRY] + c[CostEvent::INSN_SYSTEM] + c[CostEvent::RTI] + 8;
  PageTables pt(m, 0x40000);
  pt.identity(0, 0x20000, pte::P | pte::W);
  ProgramBuilder h(kHandler);
  h.op(Op::ADDI, 9, 9, 0, 1);
  h.op(Op::MFCR, 10, int(isa::ControlReg::EPC)).op(Op::ADD, 11, 11, 10);  // sum of EPCs
  h.op(Op::ADDI, 12, 0, 0, 20).br(Op::BEQ, 9, 12, "stop").op(Op::RTI);
  h.label("stop").op(Op::HALT);
  h.load(m);
  ProgramBuilder p(kCode);
  p.li(1, 0x40000).op(Op::LDPTR, 1).li(1, kHandler).op(Op::LDTVEC, 1);
  p.li(1, period).op(Op::LDTIMER, 1).op(Op::EI);
  p.label("loop").li(2, 0x10000).li(3, 16);
  p.label("page").op(Op::STW, 3, 2, 0, 0).op(Op::ADDI, 2, 2, 0, 0x1000).op(Op::ADDI, 3, 3, 0, -1);
  p.br(Op::BNE, 3, 0, "page").j(Op::JMP, "loop");
  p.load(m);
  m.set_pc(kCode);
}

TEST(ArchClock, InterruptsLandOnTheSameInstructionsWhateverTheTlb) {
  MachineConfig small, large;
  small.tlb.entries = 1;
  large.tlb.entries = 256;
  Machine a(small), b(large);
  load_ticking(a);
  load_ticking(b);
  ASSERT_EQ(a.run(1'000'000).reason, StopReason::Halted);
  ASSERT_EQ(b.run(1'000'000).reason, StopReason::Halted);
  EXPECT_GT(a.counters().walk_refs, 10 * b.counters().walk_refs);
  EXPECT_GT(a.counters().cycles, b.counters().cycles) << "walks cost cycles";
  EXPECT_EQ(a.counters().arch_cycles, b.counters().arch_cycles) << "but not architectural time";
  EXPECT_EQ(a.state(), b.state());  // r11: the sum of the EPCs the 20 ticks interrupted
  EXPECT_EQ(a.state_hash(), b.state_hash());
  EXPECT_EQ(a.counters().cycles - a.counters().arch_cycles,
            a.counters().walk_refs * a.cost_model()[CostEvent::WALK_REF]);
}

using ArchClockTest = MachineTest;

TEST_F(ArchClockTest, RunStopsOnAnArchitecturalCycleBudget) {
  load_ticking(m);
  const RunResult r = m.run(Machine::kNoLimit, Machine::kNoLimit, 1000);
  EXPECT_EQ(r.reason, StopReason::Budget);
  EXPECT_GE(r.arch_cycles, 1000u);
  EXPECT_LT(r.arch_cycles, 1000u + m.cost_model()[CostEvent::TRAP_ENTRY] + 100);
  EXPECT_EQ(r.arch_cycles, m.counters().arch_cycles);
  EXPECT_GT(r.cycles, r.arch_cycles);  // its TLB misses walked
}

// A timer deadline that passes while a trap is being entered is noticed before
// the handler's next instruction, however the run is sliced.
TEST(ArchClock, ADeadlinePassingDuringTrapEntryIsSeenAtOnce) {
  auto load = [](Machine& mm) {
    ProgramBuilder h(kHandler);
    h.op(Op::MFCR, 9, int(isa::ControlReg::CAUSE)).op(Op::MFCR, 10, int(isa::ControlReg::EPC));
    h.op(Op::HALT);
    h.load(mm);
    ProgramBuilder p(kCode);
    p.li(1, kHandler).op(Op::LDTVEC, 1).li(1, 50).op(Op::LDTIMER, 1).op(Op::EI);
    p.label("spin").j(Op::JMP, "spin");
    p.load(mm);
    mm.set_pc(kCode);
  };
  // The costs this test is about, whatever the defaults: a trap entry spanning two
  // more timer periods, cheap control-register reads.
  CostModel costs;
  costs[CostEvent::TRAP_ENTRY] = 100;
  costs[CostEvent::INSN_SYSTEM] = 5;
  Machine whole, stepped;
  whole.set_cost_model(costs);
  stepped.set_cost_model(costs);
  load(whole);
  load(stepped);
  whole.run(10'000);
  while (!stepped.halted()) stepped.run(1);
  EXPECT_EQ(whole.counters(), stepped.counters());
  EXPECT_EQ(whole.counters().timer_expiries, 3u);  // TRAP_ENTRY (100) spans two more periods
  EXPECT_EQ(whole.pending_interrupts(), Machine::cause_bit(Cause::TIMER));
}

TEST_F(ArchClockTest, SensitiveUnprivilegedInstructionsInUserModeAreRecorded) {
  ProgramBuilder p(kCode);
  p.op(Op::RDPSW, 1);  // kernel mode: not a hole
  p.li(1, isa::psw::U).op(Op::MTCR, 1, int(isa::ControlReg::EPSW));
  p.la(1, "user").op(Op::MTCR, 1, int(isa::ControlReg::EPC)).op(Op::RTI);
  p.label("user").op(Op::RDPSW, 2);
  p.label("wr").li(3, 0x0200).op(Op::WRPSW, 3);
  p.label("sp").op(Op::SPTR, 4);
  p.op(Op::HALT);  // PRIVILEGED: the halting handler
  run(p);
  EXPECT_EQ(m.counters().holes_in_user, 3u);
  const auto holes = m.recent_holes();
  // Oldest first; the empty slots (seq 0) come before them.
  const HoleRecord& a = holes[kHoleHistory - 3];
  const HoleRecord& b = holes[kHoleHistory - 2];
  const HoleRecord& c = holes[kHoleHistory - 1];
  EXPECT_EQ(holes[0].seq, 0u);
  EXPECT_EQ(a.seq, 1u);
  EXPECT_EQ(a.pc, p.addr("user"));
  EXPECT_EQ(isa::decode(a.word).op, Op::RDPSW);
  EXPECT_EQ(a.value & isa::psw::U, isa::psw::U);
  EXPECT_EQ(isa::decode(b.word).op, Op::WRPSW);
  EXPECT_EQ(b.value, 0x0200u);
  EXPECT_EQ(c.pc, p.addr("sp"));
  EXPECT_EQ(isa::decode(c.word).op, Op::SPTR);
}

TEST_F(ArchClockTest, OneTlbPageOfOneTagCanBeDropped) {
  PageTables pt(m, 0x40000);
  pt.identity(0, 0x10000, pte::P | pte::W);
  ProgramBuilder p(kCode);
  p.li(1, 0x40000)
      .op(Op::LDPTR, 1)
      .op(Op::LDW, 2, 0, 0, 0x5000)
      .op(Op::LDW, 2, 0, 0, 0x6000)
      .op(Op::HALT);
  run(p);
  auto cached = [&](uint32_t va) {
    for (const TlbEntry& e : m.tlb_entries())
      if (e.valid && e.vpn == va >> 12 && e.tag == 0) return true;
    return false;
  };
  ASSERT_TRUE(cached(0x5000));
  ASSERT_TRUE(cached(0x6000));
  m.invalidate_tlb_page(0x5123, 5);  // another tag: nothing
  EXPECT_TRUE(cached(0x5000));
  m.invalidate_tlb_page(0x5123, 0);
  EXPECT_FALSE(cached(0x5000));
  EXPECT_TRUE(cached(0x6000));
}

}  // namespace
}  // namespace trapeze::machine::testing
