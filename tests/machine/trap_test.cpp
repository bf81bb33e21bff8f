// Traps: every cause with CAUSE, EPC, EPSW, BADADDR and the PSW after entry; rti;
// the privileged and sensitive instructions against the table (the Popek–Goldberg
// check of issue 3); and the owner's hooks (intercept, reflect, halt).
#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

using isa::Cause;
namespace psw = isa::psw;

class MachineTraps : public MachineTest {};

// Sets up operands so that no instruction faults by accident (aligned valid
// addresses, nonzero divisors, jump targets at the next instruction), runs `info`'s
// instruction once (in user or kernel mode) followed by `halt`, and says whether the
// instruction itself trapped.
bool trapped_at(MachineTest& t, Machine& m, const isa::InsnInfo& info, bool user_mode,
                uint32_t* insn_pc_out) {
  m.reset();
  ProgramBuilder h(kHandler);
  h.op(Op::HALT);
  h.load(m);
  CpuState s{};
  s.tvec = kHandler;
  m.set_state(s);
  (void)t;

  isa::Decoded d{info.op, 1, 2, 3, 0};
  switch (info.format) {
    case isa::Format::NONE: d = {info.op, 0, 0, 0, 0}; break;
    case isa::Format::RS: case isa::Format::RD: d = {info.op, 1, 0, 0, 0}; break;
    case isa::Format::CRR: case isa::Format::CRW: d = {info.op, 1, 4, 0, 0}; break;  // scratch0
    case isa::Format::PIN: case isa::Format::POUT: d = {info.op, 1, 0, 0, 0x7F}; break;  // unassigned port
    case isa::Format::IMM: d = {info.op, 0, 0, 0, 5}; break;
    case isa::Format::BR: case isa::Format::J: d.imm = 0; break;  // target = next instruction
    case isa::Format::RI: case isa::Format::RRI: d.imm = 1; break;
    case isa::Format::LOAD: case isa::Format::STORE: d = {info.op, 2, 1, 0, 4}; break;
    default: break;
  }
  ProgramBuilder p(kCode);
  const uint32_t insn_pc = kCode + 0x100;
  uint32_t r1 = kData;
  if (info.op == Op::JR || info.op == Op::CALLR) r1 = insn_pc + 4;
  if (info.op == Op::LDPTR || info.op == Op::LDTIMER || info.op == Op::WRPSW) r1 = 0;
  if (info.op == Op::LDTVEC) r1 = kHandler;
  if (info.op == Op::WRPSW && user_mode) r1 = 0xFF00;
  p.li(1, r1).li(2, 3).li(3, 5).li(isa::kRegSp, kData + 0x100).li(isa::kRegLr, insn_pc + 4);
  // Enter the instruction with rti: EPC = insn, EPSW = the mode.
  p.li(4, user_mode ? psw::U : 0).op(Op::MTCR, 4, int(isa::ControlReg::EPSW));
  p.li(4, insn_pc).op(Op::MTCR, 4, int(isa::ControlReg::EPC));
  if (info.op == Op::RTI && !user_mode) {
    // The instruction under test is itself an rti: prepare it to return to the halt.
    p.li(4, insn_pc + 4).op(Op::MTCR, 4, int(isa::ControlReg::EPC));
    p.la(5, "go").op(Op::JR, 5);
    while (p.here() < insn_pc) p.op(Op::HALT);
  } else {
    p.op(Op::RTI);
  }
  while (p.here() < insn_pc) p.op(Op::HALT);
  p.label("go");
  EXPECT_EQ(p.here(), insn_pc);
  p.op(d.op, d.a, d.b, d.c, d.imm);
  p.op(Op::HALT);
  p.load(m);
  m.set_pc(kCode);
  const RunResult r = m.run(10'000);
  EXPECT_EQ(r.reason, StopReason::Halted) << info.mnemonic;
  *insn_pc_out = insn_pc;
  const uint64_t traps = [&] {
    uint64_t n = 0;
    for (uint64_t c : m.counters().traps) n += c;
    return n;
  }();
  if (traps == 0) return false;  // kernel mode: ran into the halt
  EXPECT_EQ(traps, 1u) << info.mnemonic;
  const Cause c = Cause(m.state().cause() & 0xFF);
  // In user mode the following halt raises PRIVILEGED with EPC past the instruction.
  return !(c == Cause::PRIVILEGED && m.state().epc() == insn_pc + 4);
}

// Issue 3's requirement: the table's "traps in user mode" column is what the
// machine does, for every instruction.
TEST_F(MachineTraps, EveryInstructionTrapsInUserModeExactlyAsTheTableSays) {
  for (const isa::InsnInfo& info : isa::instructions()) {
    uint32_t pc = 0;
    const bool trapped = trapped_at(*this, m, info, /*user_mode=*/true, &pc);
    EXPECT_EQ(trapped, info.traps_in_user_mode()) << info.mnemonic;
    if (info.privileged()) {
      EXPECT_EQ(isa::Cause(m.state().cause() & 0xFF), Cause::PRIVILEGED) << info.mnemonic;
      EXPECT_EQ(m.state().epc(), pc) << info.mnemonic;
    }
  }
}

// And in kernel mode only the TRAP instructions trap. (vmrun enters guest mode:
// guest_mode_test.cpp and tests/guests/hypervisor_test.cpp.)
TEST_F(MachineTraps, InKernelModeOnlyTrapInstructionsTrap) {
  for (const isa::InsnInfo& info : isa::instructions()) {
    if (info.op == Op::VMRUN) continue;
    uint32_t pc = 0;
    const bool trapped = trapped_at(*this, m, info, /*user_mode=*/false, &pc);
    const bool expected = info.flags & isa::TRAP;
    EXPECT_EQ(trapped, expected) << info.mnemonic;
  }
}

TEST_F(MachineTraps, EntrySavesStateAndEntersKernelWithInterruptsOff) {
  // brk in user mode with IE and some FLAGS set.
  exec1({Op::BRK}, {}, /*user_mode=*/true);
  EXPECT_EQ(cause(), Cause::BREAKPOINT);
  EXPECT_EQ(m.state().epc(), insn_pc) << "brk saves its own pc";
  EXPECT_EQ(m.state().epsw() & psw::U, psw::U);
  EXPECT_EQ(m.state().psw & (psw::U | psw::IE), 0u);
  EXPECT_EQ(m.state().pc, kHandler + 4) << "halted after the handler's halt";

  // FLAGS survive trap entry; BADADDR is only written by address faults.
  CpuState s = m.state();
  s.badaddr() = 0xDEAD;
  m.set_state(s);
  ProgramBuilder p(kCode);
  p.li(1, psw::IE | 0x5A00).op(Op::WRPSW, 1);
  p.label("sys").op(Op::SYSCALL);
  run(p);
  EXPECT_EQ(cause(), Cause::SYSCALL);
  EXPECT_EQ(m.state().epc(), p.addr("sys") + 4) << "syscall saves the next pc";
  EXPECT_EQ(m.state().epsw(), psw::IE | 0x5A00u);
  EXPECT_EQ(m.state().psw, 0x5A00u);
  EXPECT_EQ(m.state().badaddr(), 0xDEADu);
  EXPECT_EQ(m.counters().trap_count(Cause::SYSCALL), 1u);
}

TEST_F(MachineTraps, IllegalInstructions) {
  ProgramBuilder p(kCode);
  p.label("zero").word(0);  // the all-zero word
  run(p);
  EXPECT_EQ(cause(), Cause::ILLEGAL);
  EXPECT_EQ(m.state().epc(), p.addr("zero"));

  ProgramBuilder q(kCode);
  q.label("bad").word(0xFF000000);  // an unassigned opcode
  run(q);
  EXPECT_EQ(cause(), Cause::ILLEGAL);
  EXPECT_EQ(m.state().epc(), q.addr("bad"));

  // mfcr/mtcr of a control register that does not exist.
  ProgramBuilder r(kCode);
  r.label("cr").word(uint32_t(Op::MFCR) << 24 | 1u << 20 | 9u << 16);
  run(r);
  EXPECT_EQ(cause(), Cause::ILLEGAL);
  EXPECT_EQ(m.state().epc(), r.addr("cr"));
}

TEST_F(MachineTraps, HypercallIsIllegalOnBareHardware) {
  exec1({Op::HYPERCALL, 0, 0, 0, 42}, {});
  EXPECT_EQ(cause(), Cause::ILLEGAL);
  EXPECT_EQ(m.state().epc(), insn_pc);
  EXPECT_EQ(m.counters().trap_count(Cause::ILLEGAL), 1u);
  EXPECT_EQ(m.counters().trap_count(Cause::HYPERCALL), 0u);
}

TEST_F(MachineTraps, VmrunIsIllegalInKernelModeForNow) {
  exec1({Op::VMRUN, 1}, {{1, kData}});
  EXPECT_EQ(cause(), Cause::ILLEGAL);
}

TEST_F(MachineTraps, AccessBeyondPhysicalMemoryIsANotPresentPageFault) {
  exec1({Op::LDW, 3, 1, 0, 0}, {{1, 0x00100000}}, /*user_mode=*/true);  // 1 MiB machine
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), isa::fault::USER);
  EXPECT_EQ(m.state().badaddr(), 0x00100000u);
  exec1({Op::STB, 3, 1, 0, 0}, {{1, 0xFFFFFFFF}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), isa::fault::WRITE);
  // Jumping there faults on the fetch, with EPC = BADADDR = the target.
  exec1({Op::JR, 1}, {{1, 0x00200000}});
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), isa::fault::EXEC);
  EXPECT_EQ(m.state().epc(), 0x00200000u);
  EXPECT_EQ(m.state().badaddr(), 0x00200000u);
}

TEST_F(MachineTraps, RtiRestoresPcAndPsw) {
  ProgramBuilder p(kCode);
  p.li(1, psw::U | psw::IE | 0x1100).op(Op::MTCR, 1, int(isa::ControlReg::EPSW));
  p.la(1, "user").op(Op::MTCR, 1, int(isa::ControlReg::EPC));
  p.op(Op::RTI);
  p.label("user").op(Op::RDPSW, 2).op(Op::SYSCALL);
  run(p);
  EXPECT_EQ(reg(2), psw::U | psw::IE | 0x1100u);
  EXPECT_EQ(m.counters().instructions_user, 2u);  // rdpsw, syscall
  // A misaligned EPC makes rti itself fault.
  ProgramBuilder q(kCode);
  q.li(1, kCode + 2).op(Op::MTCR, 1, int(isa::ControlReg::EPC));
  q.label("rti").op(Op::RTI);
  run(q);
  EXPECT_EQ(cause(), Cause::MISALIGNED);
  EXPECT_EQ(m.state().epc(), q.addr("rti"));
  EXPECT_EQ(m.state().badaddr(), kCode + 2);
}

TEST_F(MachineTraps, ControlRegistersReadAndWrite) {
  ProgramBuilder p(kCode);
  for (int cr = 0; cr < isa::kNumControlRegs; ++cr) p.li(1, 0x100u + cr).op(Op::MTCR, 1, cr);
  p.op(Op::MFCR, 7, int(isa::ControlReg::SCRATCH1)).op(Op::MFCR, 8, int(isa::ControlReg::EPC));
  p.li(1, kHandler + 0x10 + 3).op(Op::LDTVEC, 1);
  p.op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(7), 0x105u);
  EXPECT_EQ(reg(8), 0x100u);
  EXPECT_EQ(m.state().tvec, kHandler + 0x10) << "the trap vector's low two bits are zero";
}

TEST_F(MachineTraps, SensitiveInstructionsInUserModeAreTheDocumentedHoles) {
  // rdpsw shows U = 1 and the real IE.
  ProgramBuilder p(kCode);
  p.li(1, psw::U | psw::IE).op(Op::MTCR, 1, int(isa::ControlReg::EPSW));
  p.la(1, "user").op(Op::MTCR, 1, int(isa::ControlReg::EPC)).op(Op::RTI);
  p.label("user");
  p.op(Op::RDPSW, 2);
  p.li(3, 0xAB00).op(Op::WRPSW, 3);  // tries to clear U and IE: silently kept
  p.op(Op::RDPSW, 4);
  p.op(Op::SPTR, 5);
  p.op(Op::HALT);  // PRIVILEGED: still in user mode
  // Paging on with an identity map the user may use, so sptr has something to reveal.
  PageTables pt(m, 0x20000);
  pt.identity(0, 0x10000, isa::pte::P | isa::pte::W | isa::pte::U);
  CpuState s = m.state();
  s.ptr = pt.root();
  m.set_state(s);
  run(p);
  EXPECT_EQ(reg(2), psw::U | psw::IE);
  EXPECT_EQ(reg(4), psw::U | psw::IE | 0xAB00u) << "FLAGS changed, U and IE kept";
  EXPECT_EQ(reg(5), 0x20000u) << "sptr reveals PTR";
  EXPECT_EQ(cause(), Cause::PRIVILEGED) << "the halt trapped: wrpsw did not leave user mode";
  EXPECT_EQ(m.counters().traps[size_t(Cause::PRIVILEGED)], 1u);
}

TEST_F(MachineTraps, HaltStopsAndStaysHalted) {
  ProgramBuilder p(kCode);
  p.op(Op::ADDI, 1, 0, 0, 1).label("h").op(Op::HALT).op(Op::ADDI, 1, 1, 0, 1).op(Op::HALT);
  RunResult r = run(p);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(r.instructions, 2u);
  EXPECT_EQ(m.state().pc, p.addr("h") + 4);
  EXPECT_TRUE(m.halted());
  r = m.run(100);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(r.instructions, 0u);
  m.clear_halted();
  r = m.run(100);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(reg(1), 2u);
}

// ---------------------------------------------------------------------------------
// The owner's hooks

TEST_F(MachineTraps, InterceptedSyscallStopsRunWithPreciseState) {
  m.set_intercept(Machine::cause_bit(Cause::SYSCALL));
  ProgramBuilder p(kCode);
  p.op(Op::ADDI, 1, 0, 0, 7).label("sys").op(Op::SYSCALL).op(Op::ADDI, 1, 1, 0, 1).op(Op::HALT);
  const uint32_t epc_before = m.state().epc();
  RunResult r = run(p);
  ASSERT_EQ(r.reason, StopReason::Trap);
  EXPECT_EQ(r.trap.cause, Cause::SYSCALL);
  EXPECT_EQ(r.trap.pc, p.addr("sys"));
  EXPECT_EQ(r.trap.epc, p.addr("sys") + 4);
  EXPECT_EQ(r.trap.insn.op, Op::SYSCALL);
  EXPECT_EQ(r.trap.word, uint32_t(Op::SYSCALL) << 24);
  EXPECT_EQ(m.state().pc, p.addr("sys")) << "as if the syscall had not executed";
  EXPECT_EQ(m.state().epc(), epc_before) << "nothing delivered";
  EXPECT_EQ(r.instructions, 1u) << "the syscall did not retire";
  EXPECT_EQ(m.counters().trap_count(Cause::SYSCALL), 1u);
  EXPECT_EQ(m.counters().intercepted, 1u);
  // The owner emulates it and continues after it.
  m.set_reg(1, 100);
  m.set_pc(r.trap.epc);
  r = m.run(100);
  EXPECT_EQ(r.reason, StopReason::Halted);
  EXPECT_EQ(reg(1), 101u);
}

TEST_F(MachineTraps, InterceptedHypercallCarriesItsNumber) {
  m.set_intercept(Machine::cause_bit(Cause::HYPERCALL));
  const RunResult r = exec1({Op::HYPERCALL, 0, 0, 0, 0x1234}, {{1, 5}}, /*user_mode=*/true);
  ASSERT_EQ(r.reason, StopReason::Trap);
  EXPECT_EQ(r.trap.cause, Cause::HYPERCALL);
  EXPECT_EQ(r.trap.detail, 0x1234u);
  EXPECT_EQ(r.trap.pc, insn_pc);
  EXPECT_EQ(r.trap.epc, insn_pc + 4);
  EXPECT_TRUE(r.trap.user);
  EXPECT_EQ(m.counters().trap_count(Cause::ILLEGAL), 0u);
}

TEST_F(MachineTraps, InterceptedPrivilegedInstructionCanBeEmulated) {
  m.set_intercept(Machine::cause_bit(Cause::PRIVILEGED));
  RunResult r = exec1({Op::IN, 3, 0, 0, 0x14}, {}, /*user_mode=*/true);
  ASSERT_EQ(r.reason, StopReason::Trap);
  EXPECT_EQ(r.trap.cause, Cause::PRIVILEGED);
  EXPECT_EQ(r.trap.insn.op, Op::IN);
  EXPECT_EQ(r.trap.insn.a, 3);
  EXPECT_EQ(r.trap.insn.imm, 0x14);
  EXPECT_EQ(m.state().pc, insn_pc);
  m.set_reg(3, 0x77);  // emulate: the "device" answers 0x77
  m.set_pc(insn_pc + 4);
  r = m.run(100);  // then the user-mode halt: PRIVILEGED again
  ASSERT_EQ(r.reason, StopReason::Trap);
  EXPECT_EQ(r.trap.insn.op, Op::HALT);
  EXPECT_EQ(reg(3), 0x77u);
}

TEST_F(MachineTraps, InterceptedFaultIsPreciseAndCanBeReflected) {
  m.set_intercept(Machine::cause_bit(Cause::PAGE_FAULT));
  RunResult r = exec1({Op::STW, 2, 1, 0, 0}, {{1, 0x00300000}, {2, 9}});
  ASSERT_EQ(r.reason, StopReason::Trap);
  EXPECT_EQ(r.trap.cause, Cause::PAGE_FAULT);
  EXPECT_EQ(r.trap.detail, isa::fault::WRITE);
  EXPECT_EQ(r.trap.badaddr, 0x00300000u);
  EXPECT_EQ(r.trap.epc, insn_pc);
  // Reflect it: delivered exactly as the hardware would have.
  m.reflect(r.trap);
  EXPECT_EQ(m.state().pc, kHandler);
  EXPECT_EQ(cause(), Cause::PAGE_FAULT);
  EXPECT_EQ(cause_detail(), isa::fault::WRITE);
  EXPECT_EQ(m.state().epc(), insn_pc);
  EXPECT_EQ(m.state().badaddr(), 0x00300000u);
  EXPECT_EQ(m.counters().raised_by_owner, 1u);
  r = m.run(10);
  EXPECT_EQ(r.reason, StopReason::Halted);
}

TEST_F(MachineTraps, RaiseDeliversThroughTheVector) {
  CpuState s = m.state();
  s.pc = 0x1234;
  s.psw = psw::U | psw::IE;
  m.set_state(s);
  m.raise(Cause::DIVZERO, 0, 0, 0x1234);
  EXPECT_EQ(m.state().pc, kHandler);
  EXPECT_EQ(m.state().epc(), 0x1234u);
  EXPECT_EQ(m.state().epsw(), psw::U | psw::IE);
  EXPECT_EQ(m.state().psw, 0u);
  EXPECT_EQ(cause(), Cause::DIVZERO);
}

}  // namespace
}  // namespace trapeze::machine::testing
