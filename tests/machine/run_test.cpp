// The run loop: budgets and slices, determinism, the state hash, self-modifying
// code and the decoded cache, breakpoints, configuration.
#include <fstream>
#include <sstream>

#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

using isa::Cause;
using isa::Port;
namespace pte = isa::pte;

TEST(MachineRun, AnInfiniteLoopReturnsAtTheBudget) {
  Machine m;
  ProgramBuilder p(kCode);
  p.label("self").j(Op::JMP, "self");
  p.load(m);
  m.set_pc(kCode);
  RunResult r = m.run(1'000'000);
  EXPECT_EQ(r.reason, StopReason::Budget);
  EXPECT_EQ(r.instructions, 1'000'000u);
  r = m.run(0);
  EXPECT_EQ(r.reason, StopReason::Budget);
  EXPECT_EQ(r.instructions, 0u);
  r = m.run(Machine::kNoLimit, 12345);  // a cycle budget
  EXPECT_EQ(r.reason, StopReason::Budget);
  EXPECT_EQ(r.cycles, 12345u);
}

TEST(MachineRun, ATrapStormStillReturns) {
  Machine m;  // trap vector 0, memory all zero: every instruction is ILLEGAL
  const RunResult r = m.run(1000);
  EXPECT_EQ(r.reason, StopReason::Budget);
  EXPECT_EQ(r.instructions, 0u);
  EXPECT_EQ(m.counters().trap_count(Cause::ILLEGAL), 1000u);
}

// A workload touching everything that could make slicing or repetition differ:
// paging with TLB misses, user/kernel switches by syscall, a timer, the block
// device and the ring, port I/O, stores into a page holding code.
MachineConfig workload_config() {
  MachineConfig c;
  c.tlb.entries = 8;  // fewer than the 16 data pages: capacity misses
  return c;
}

void load_workload(Machine& m) {
  PageTables pt(m, 0x40000);
  pt.identity(0, 0x30000, pte::P | pte::W | pte::U);
  // Kernel: handler counts interrupts/syscalls and acknowledges the device.
  ProgramBuilder h(kHandler);
  h.op(Op::MFCR, 11, int(isa::ControlReg::CAUSE)).op(Op::ANDI, 11, 11, 0, 0xFF);
  h.op(Op::ADDI, 12, 0, 0, int32_t(Cause::SYSCALL)).br(Op::BNE, 11, 12, "irq");
  h.op(Op::ADDI, 9, 9, 0, 1);  // syscalls
  h.op(Op::OUT, 9, 0, 0, int(Port::CONSOLE));
  h.op(Op::RTI);
  h.label("irq").op(Op::ADDI, 10, 10, 0, 1);  // interrupts
  h.op(Op::OUT, 0, 0, 0, int(Port::BLK_STATUS));
  h.li(1, 3).op(Op::OUT, 1, 0, 0, int(Port::BLK_SECTOR));
  h.li(1, 0x9000).op(Op::OUT, 1, 0, 0, int(Port::BLK_ADDR));
  h.li(1, 1).op(Op::OUT, 1, 0, 0, int(Port::BLK_COUNT)).op(Op::OUT, 1, 0, 0, int(Port::BLK_CMD));
  h.op(Op::RTI);
  h.load(m);
  ProgramBuilder p(kCode);
  p.li(1, 0x40000).op(Op::LDPTR, 1);
  p.li(1, kHandler).op(Op::LDTVEC, 1);
  p.li(1, 199999).op(Op::LDTIMER, 1);
  // Ring with one request.
  m.poke32(0x20000, 4);
  m.poke32(0x20004, 1);
  const uint32_t desc[4] = {1, 5, 0xA000, 1};
  for (uint32_t k = 0; k < 4; ++k) m.poke32(0x20010 + 4 * k, desc[k]);
  p.li(1, 0x20000).op(Op::OUT, 1, 0, 0, int(Port::RING_BASE)).op(Op::OUT, 0, 0, 0, int(Port::RING_KICK));
  // Drop to user mode with interrupts on.
  p.li(1, isa::psw::U | isa::psw::IE).op(Op::MTCR, 1, int(isa::ControlReg::EPSW));
  p.la(1, "user").op(Op::MTCR, 1, int(isa::ControlReg::EPC)).op(Op::RTI);
  p.label("user").li(2, 0x10000).li(3, 40000);
  p.label("loop");
  p.op(Op::STW, 3, 2, 0, 0).op(Op::LDW, 4, 2, 0, 0).op(Op::ADD, 5, 5, 4);
  p.op(Op::ADDI, 2, 2, 0, 0x404);                       // walk through 16 pages of data
  p.op(Op::ANDI, 2, 2, 0, 0xFFFC).op(Op::ORI, 2, 2, 0, 0x0);
  p.li(6, 0x10000).op(Op::OR, 2, 2, 6);
  p.op(Op::ANDI, 7, 3, 0, 1023).br(Op::BNE, 7, 0, "nosys").op(Op::SYSCALL);
  p.label("nosys");
  p.la(8, "patch").li(7, isa::encode({Op::ADDI, 5, 5, 0, 3}).value()).op(Op::STW, 7, 8, 0, 0);
  p.label("patch").op(Op::ADDI, 5, 5, 0, 1);
  p.op(Op::ADDI, 3, 3, 0, -1).br(Op::BNE, 3, 0, "loop");
  p.op(Op::HALT);  // PRIVILEGED in user mode: the handler treats it as an interrupt... then loops
  p.load(m);
  m.set_pc(kCode);
}

TEST(MachineRun, DeterministicCountersAndStateHash) {
  Machine a(workload_config()), b(workload_config());
  load_workload(a);
  load_workload(b);
  a.run(2'000'000);
  b.run(2'000'000);
  EXPECT_EQ(a.counters(), b.counters());
  EXPECT_EQ(a.state(), b.state());
  EXPECT_EQ(a.state_hash(), b.state_hash());
  EXPECT_EQ(a.console(), b.console());
  // The workload really exercised what it claims to.
  const Counters& c = a.counters();
  EXPECT_GT(c.trap_count(Cause::TIMER), 10u);
  EXPECT_GT(c.trap_count(Cause::SYSCALL), 10u);
  EXPECT_GT(c.trap_count(Cause::DEVICE), 5u);
  EXPECT_GT(c.dtlb_misses, 16u);
  EXPECT_GT(c.code_writes, 1000u);
  EXPECT_GT(c.instructions_user, 100000u);
  EXPECT_GT(c.instructions_kernel, 100u);
  EXPECT_EQ(c.ring_requests, 1u);
}

TEST(MachineRun, SlicingGivesTheSameResultAsOneLongRun) {
  Machine whole(workload_config());
  load_workload(whole);
  const uint64_t total = 600'000;
  ASSERT_EQ(whole.run(total).reason, StopReason::Budget);
  for (uint64_t slice : {1ull, 7ull, 1000ull, 99'991ull}) {
    Machine m(workload_config());
    load_workload(m);
    uint64_t done = 0;
    while (done < total) {
      const uint64_t want = std::min(slice, total - done);
      const RunResult r = m.run(want);
      ASSERT_EQ(r.reason, StopReason::Budget);
      // Executed instructions = retired + faulted; this workload does not fault.
      done += want;
      if (slice == 1 && done > 200'000) break;  // keep the suite fast
    }
    if (slice == 1) continue;
    EXPECT_EQ(m.counters(), whole.counters()) << "slice " << slice;
    EXPECT_EQ(m.state_hash(), whole.state_hash()) << "slice " << slice;
  }
  // Slice of 1 instruction compared against a whole run of the same length.
  Machine a(workload_config()), b(workload_config());
  load_workload(a);
  load_workload(b);
  a.run(200'001);
  for (int i = 0; i < 200'001; ++i) b.run(1);
  EXPECT_EQ(a.counters(), b.counters());
  EXPECT_EQ(a.state_hash(), b.state_hash());
}

TEST(MachineRun, CycleSlicesGiveTheSameResultToo) {
  Machine whole(workload_config()), sliced(workload_config());
  load_workload(whole);
  load_workload(sliced);
  whole.run(Machine::kNoLimit, 3'000'000);
  while (sliced.counters().cycles < 3'000'000)
    sliced.run(Machine::kNoLimit, std::min<uint64_t>(77'777, 3'000'000 - sliced.counters().cycles));
  EXPECT_EQ(whole.counters().cycles, sliced.counters().cycles);
  EXPECT_EQ(whole.counters(), sliced.counters());
  EXPECT_EQ(whole.state_hash(), sliced.state_hash());
}

TEST(MachineRun, StateHashIsTheDocumentedFnv1a) {
  MachineConfig c;
  c.memory_bytes = 4096;
  Machine m(c);
  m.set_reg(1, 0x01020304);
  m.poke32(8, 0xAABBCCDD);
  uint64_t h = 0xcbf29ce484222325ull;
  auto byte = [&](uint8_t b) { h = (h ^ b) * 0x100000001b3ull; };
  auto word = [&](uint32_t w) { for (int i = 0; i < 4; ++i) byte(uint8_t(w >> (8 * i))); };
  const CpuState& s = m.state();
  for (uint32_t r : s.r) word(r);
  word(s.pc); word(s.psw); word(s.ptr); word(s.tvec);
  for (uint32_t cr : s.cr) word(cr);
  word(s.timer_period);
  std::vector<uint8_t> mem(4096);
  m.peek(0, mem);
  for (uint8_t b : mem) byte(b);
  EXPECT_EQ(m.state_hash(), h);
  m.poke32(12, 1);
  EXPECT_NE(m.state_hash(), h);
}

TEST(MachineRun, SelfModifyingCodeIsSeen) {
  for (bool paging : {false, true}) {
    Machine m;
    PageTables pt(m, 0x40000);
    pt.identity(0, 0x20000, pte::P | pte::W);
    ProgramBuilder p(kCode);
    p.li(1, 0).li(2, 2);
    // The first pass runs "addi r1, r1, 1" and rewrites it to "addi r1, r1, 100".
    p.label("loop").label("patch").op(Op::ADDI, 1, 1, 0, 1);
    p.la(3, "patch").li(4, isa::encode({Op::ADDI, 1, 1, 0, 100}).value()).op(Op::STW, 4, 3, 0, 0);
    p.op(Op::ADDI, 2, 2, 0, -1).br(Op::BNE, 2, 0, "loop");
    // A byte store into the next instruction's immediate: addi r1, r1, 0 -> 7.
    p.la(3, "p3").li(4, 7).op(Op::STB, 4, 3, 0, 0);
    p.label("p3").op(Op::ADDI, 1, 1, 0, 0);
    // And the one after becomes halt.
    p.la(3, "p4").li(4, isa::encode({Op::HALT}).value()).op(Op::STW, 4, 3, 0, 0);
    p.label("p4").op(Op::ADDI, 1, 1, 0, 1000);
    p.op(Op::ILLEGAL);
    p.load(m);
    CpuState s;
    s.pc = kCode;
    if (paging) s.ptr = 0x40000;
    m.set_state(s);
    const RunResult r = m.run(1000);
    EXPECT_EQ(r.reason, StopReason::Halted) << paging;
    EXPECT_EQ(m.state().pc, p.addr("p4") + 4) << paging;
    EXPECT_EQ(m.state().r[1], 1u + 100u + 7u) << paging;
    EXPECT_EQ(m.counters().code_writes, 4u) << paging;
  }
}

TEST(MachineRun, DmaIntoCodeIsSeen) {
  // The block device reads sector 0 over the next instruction: its first word is 0
  // (ILLEGAL), so executing it traps where the old code would have halted.
  Machine m;
  ProgramBuilder h(kHandler);
  h.op(Op::HALT);
  h.load(m);
  ProgramBuilder p(kCode);
  p.li(1, kHandler).op(Op::LDTVEC, 1);
  p.li(1, 0).op(Op::OUT, 1, 0, 0, int(Port::BLK_SECTOR));
  p.la(1, "target").op(Op::OUT, 1, 0, 0, int(Port::BLK_ADDR));
  p.li(1, 1).op(Op::OUT, 1, 0, 0, int(Port::BLK_COUNT)).op(Op::OUT, 1, 0, 0, int(Port::BLK_CMD));
  p.li(2, uint32_t(BlockStatus::Busy));
  p.label("poll").op(Op::IN, 3, 0, 0, int(Port::BLK_STATUS)).br(Op::BEQ, 3, 2, "poll");
  p.label("target").op(Op::HALT);
  p.load(m);
  m.set_pc(kCode);
  m.run(100000);
  EXPECT_EQ(Cause(m.state().cause() & 0xFF), Cause::ILLEGAL);
  EXPECT_EQ(m.state().epc(), p.addr("target"));
}

TEST(MachineRun, BreakpointsStopBeforeTheInstruction) {
  Machine m;
  ProgramBuilder p(kCode);
  p.li(1, 0).label("loop").op(Op::ADDI, 1, 1, 0, 1).label("bp").op(Op::ADDI, 2, 2, 0, 1);
  p.li(3, 3).br(Op::BNE, 1, 3, "loop").op(Op::HALT);
  p.load(m);
  m.set_pc(kCode);
  m.add_breakpoint(p.addr("bp"));
  for (uint32_t i = 1; i <= 3; ++i) {
    const RunResult r = m.run(1000);
    ASSERT_EQ(r.reason, StopReason::Breakpoint);
    EXPECT_EQ(m.state().pc, p.addr("bp"));
    EXPECT_EQ(m.state().r[1], i);
    EXPECT_EQ(m.state().r[2], i - 1);
  }
  m.clear_breakpoints();
  EXPECT_EQ(m.run(1000).reason, StopReason::Halted);
  EXPECT_EQ(m.state().r[2], 3u);
}

TEST(MachineRun, InterceptedTimerIsTakenEvenWithInterruptsOff) {
  Machine m;
  m.set_intercept(Machine::cause_bit(Cause::TIMER));
  ProgramBuilder p(kCode);
  p.li(1, 1000).op(Op::LDTIMER, 1);
  p.label("spin").j(Op::JMP, "spin");
  p.load(m);
  m.set_pc(kCode);
  const RunResult r = m.run(100000);
  ASSERT_EQ(r.reason, StopReason::Trap);
  EXPECT_EQ(r.trap.cause, Cause::TIMER);
  EXPECT_EQ(r.trap.pc, p.addr("spin"));
  EXPECT_EQ(r.trap.epc, p.addr("spin"));
  EXPECT_EQ(m.state().psw, 0u) << "nothing delivered";
  EXPECT_EQ(m.pending_interrupts(), 0u);
  // The next period stops it again.
  EXPECT_EQ(m.run(100000).reason, StopReason::Trap);
  EXPECT_EQ(m.counters().trap_count(Cause::TIMER), 2u);
}

TEST(MachineRun, CostModelChangesAtRunTime) {
  Machine m;
  ProgramBuilder p(kCode);
  p.op(Op::ADD, 1, 1, 1).op(Op::ADD, 1, 1, 1).op(Op::HALT);
  p.load(m);
  m.set_pc(kCode);
  m.set_cost(CostEvent::INSN_ALU, 10);
  m.set_cost(CostEvent::INSN_SYSTEM, 0);  // clamped: every instruction takes a cycle
  const RunResult r = m.run(100);
  EXPECT_EQ(r.cycles, 21u);
  EXPECT_EQ(parse_cost_event("trap_entry"), CostEvent::TRAP_ENTRY);
  EXPECT_FALSE(parse_cost_event("nope").has_value());
}

TEST(MachineRun, ConfigurationIsValidated) {
  MachineConfig c;
  EXPECT_EQ(validate(c), "");
  c.memory_bytes = 64u << 20;
  EXPECT_EQ(validate(c), "");
  Machine big(c);
  EXPECT_EQ(big.memory_size(), 64u << 20);
  EXPECT_TRUE(big.poke32((64u << 20) - 4, 1));
  EXPECT_FALSE(big.poke32(64u << 20, 1));
  c.memory_bytes = 1000;
  EXPECT_NE(validate(c), "");
  c = MachineConfig{};
  c.tlb = {12, 4};  // 3 sets: not a power of two
  EXPECT_NE(validate(c), "");
  c.tlb = {1024, 0};
  EXPECT_EQ(validate(c), "");
  c.tlb = {2048, 0};
  EXPECT_NE(validate(c), "");
}

// docs/machine.md's cost table names every row of cost_model.h with its default.
TEST(MachineDocs, CostTableMatchesTheCostModel) {
  std::ifstream in(std::string(TRAPEZE_SOURCE_DIR) + "/docs/machine.md");
  ASSERT_TRUE(in) << "docs/machine.md missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  for (const CostEventInfo& e : kCostEvents) {
    const std::string row = "| " + std::string(e.name) + " | " + std::to_string(e.default_cycles) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/machine.md lacks the row: " << row;
  }
}

}  // namespace
}  // namespace trapeze::machine::testing
