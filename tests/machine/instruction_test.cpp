// Semantics of every unprivileged instruction: ALU (register and immediate forms),
// r0, sign/zero extension, shift masking, division corner cases, loads and stores,
// the stack, branches and jumps.
#include <climits>

#include "machine/test_machine.h"

namespace trapeze::machine::testing {
namespace {

using isa::Cause;

class MachineInstruction : public MachineTest {
 protected:
  // rd (r3) = op r1, r2
  uint32_t r3op(Op op, uint32_t x, uint32_t y) {
    const RunResult res = exec1({op, 3, 1, 2, 0}, {{1, x}, {2, y}});
    EXPECT_EQ(res.reason, StopReason::Halted);
    EXPECT_EQ(traps(), 0u) << isa::info(op).mnemonic;
    return reg(3);
  }
  // rd (r3) = op r1, imm
  uint32_t riop(Op op, uint32_t x, int32_t imm) {
    const RunResult res = exec1({op, 3, 1, 0, imm}, {{1, x}});
    EXPECT_EQ(res.reason, StopReason::Halted);
    EXPECT_EQ(traps(), 0u) << isa::info(op).mnemonic;
    return reg(3);
  }
};

TEST_F(MachineInstruction, RegisterAlu) {
  EXPECT_EQ(r3op(Op::ADD, 7, 5), 12u);
  EXPECT_EQ(r3op(Op::ADD, 0xFFFFFFFF, 2), 1u);  // wraps
  EXPECT_EQ(r3op(Op::SUB, 5, 7), uint32_t(-2));
  EXPECT_EQ(r3op(Op::AND, 0xF0F0, 0xFF00), 0xF000u);
  EXPECT_EQ(r3op(Op::OR, 0xF0F0, 0x0F00), 0xFFF0u);
  EXPECT_EQ(r3op(Op::XOR, 0xFF00, 0x0FF0), 0xF0F0u);
  EXPECT_EQ(r3op(Op::MUL, 0x10001, 0x10001), 0x00020001u);  // low 32 bits
  EXPECT_EQ(r3op(Op::MUL, uint32_t(-3), 7), uint32_t(-21));
  EXPECT_EQ(r3op(Op::SLT, uint32_t(-1), 1), 1u);
  EXPECT_EQ(r3op(Op::SLT, 1, uint32_t(-1)), 0u);
  EXPECT_EQ(r3op(Op::SLTU, uint32_t(-1), 1), 0u);
  EXPECT_EQ(r3op(Op::SLTU, 1, uint32_t(-1)), 1u);
  EXPECT_EQ(r3op(Op::SLT, 5, 5), 0u);
}

TEST_F(MachineInstruction, ShiftsMaskTheAmountTo5Bits) {
  EXPECT_EQ(r3op(Op::SHL, 1, 4), 16u);
  EXPECT_EQ(r3op(Op::SHL, 1, 33), 2u);  // 33 & 31 = 1
  EXPECT_EQ(r3op(Op::SHL, 1, 32), 1u);
  EXPECT_EQ(r3op(Op::SHR, 0x80000000, 31), 1u);
  EXPECT_EQ(r3op(Op::SHR, 0x80000000, 63), 1u);
  EXPECT_EQ(r3op(Op::SAR, 0x80000000, 31), 0xFFFFFFFFu);
  EXPECT_EQ(r3op(Op::SAR, 0x80000000, 36), 0xF8000000u);
  EXPECT_EQ(r3op(Op::SAR, 0x40000000, 30), 1u);
  EXPECT_EQ(riop(Op::SHLI, 3, 2), 12u);
  EXPECT_EQ(riop(Op::SHLI, 3, 34), 12u);
  EXPECT_EQ(riop(Op::SHRI, 0xF0000000, 28), 0xFu);
  EXPECT_EQ(riop(Op::SARI, 0xF0000000, 28), 0xFFFFFFFFu);
  EXPECT_EQ(riop(Op::SARI, 0xF0000000, 60), 0xFFFFFFFFu);
}

TEST_F(MachineInstruction, Division) {
  EXPECT_EQ(r3op(Op::DIV, uint32_t(-7), 2), uint32_t(-3));  // truncates toward zero
  EXPECT_EQ(r3op(Op::REM, uint32_t(-7), 2), uint32_t(-1));  // sign of the dividend
  EXPECT_EQ(r3op(Op::DIVU, uint32_t(-7), 2), 0x7FFFFFFCu);
  EXPECT_EQ(r3op(Op::REMU, uint32_t(-7), 2), 1u);
  EXPECT_EQ(r3op(Op::DIV, 100, 7), 14u);
  EXPECT_EQ(r3op(Op::REM, 100, 7), 2u);
  // INT_MIN / -1 is defined: the quotient wraps to INT_MIN, the remainder is 0.
  EXPECT_EQ(r3op(Op::DIV, 0x80000000, 0xFFFFFFFF), 0x80000000u);
  EXPECT_EQ(r3op(Op::REM, 0x80000000, 0xFFFFFFFF), 0u);
  EXPECT_EQ(r3op(Op::DIVU, 0x80000000, 0xFFFFFFFF), 0u);
}

TEST_F(MachineInstruction, DivisionByZeroRaisesDivzeroAndChangesNothing) {
  for (Op op : {Op::DIV, Op::DIVU, Op::REM, Op::REMU}) {
    m.reset();
    install_halting_handler();
    exec1({op, 3, 1, 2, 0}, {{1, 42}, {2, 0}, {3, 99}});
    EXPECT_EQ(cause(), Cause::DIVZERO) << isa::info(op).mnemonic;
    EXPECT_EQ(m.state().epc(), insn_pc);
    EXPECT_EQ(reg(3), 99u) << "destination unchanged";
    EXPECT_EQ(m.counters().trap_count(Cause::DIVZERO), 1u);
  }
}

TEST_F(MachineInstruction, ImmediatesAreSignOrZeroExtendedPerTheTable) {
  EXPECT_EQ(riop(Op::ADDI, 10, -1), 9u);             // sext
  EXPECT_EQ(riop(Op::ADDI, 10, 0x7FFF), 10u + 0x7FFF);
  EXPECT_EQ(riop(Op::ANDI, 0xFFFFFFFF, 0xFFFF), 0xFFFFu);  // zext
  EXPECT_EQ(riop(Op::ORI, 0x12340000, 0x8001), 0x12348001u);
  EXPECT_EQ(riop(Op::XORI, 0xFFFFFFFF, 0x8000), 0xFFFF7FFFu);
  EXPECT_EQ(riop(Op::MULI, 6, -7), uint32_t(-42));
  EXPECT_EQ(riop(Op::SLTI, uint32_t(-5), -4), 1u);
  EXPECT_EQ(riop(Op::SLTI, 3, -4), 0u);
  // sltiu compares against the sign-extended immediate as unsigned.
  EXPECT_EQ(riop(Op::SLTIU, 5, -1), 1u);  // 5 < 0xFFFFFFFF
  EXPECT_EQ(riop(Op::SLTIU, 5, 3), 0u);
  exec1({Op::LUI, 3, 0, 0, 0xABCD}, {});
  EXPECT_EQ(reg(3), 0xABCD0000u);
}

TEST_F(MachineInstruction, RegisterZeroReadsZeroAndIgnoresWrites) {
  exec1({Op::ADDI, 0, 0, 0, 5}, {});
  EXPECT_EQ(reg(0), 0u);
  exec1({Op::ADD, 3, 0, 0, 0}, {{3, 77}});
  EXPECT_EQ(reg(3), 0u);
  // A load into r0 still performs the access (and may fault) but writes nothing.
  m.poke32(kData, 0x12345678);
  exec1({Op::LDW, 0, 1, 0, 0}, {{1, kData}});
  EXPECT_EQ(reg(0), 0u);
  EXPECT_EQ(traps(), 0u);
  exec1({Op::LDW, 0, 1, 0, 0}, {{1, kData + 2}});
  EXPECT_EQ(cause(), Cause::MISALIGNED);
}

TEST_F(MachineInstruction, LoadsAndStores) {
  m.poke32(kData, 0x80FF7F01);
  exec1({Op::LDW, 3, 1, 0, 8}, {{1, kData - 8}});
  EXPECT_EQ(reg(3), 0x80FF7F01u);
  exec1({Op::LDB, 3, 1, 0, 3}, {{1, kData}});
  EXPECT_EQ(reg(3), 0x80u) << "ldb zero-extends";
  exec1({Op::LDB, 3, 1, 0, -1}, {{1, kData + 2}});
  EXPECT_EQ(reg(3), 0x7Fu) << "negative offsets";
  exec1({Op::STW, 2, 1, 0, 4}, {{1, kData}, {2, 0xCAFEBABE}});
  EXPECT_EQ(m.peek32(kData + 4), 0xCAFEBABEu);
  exec1({Op::STB, 2, 1, 0, 9}, {{1, kData}, {2, 0x1234}});
  EXPECT_EQ(m.peek32(kData + 8), 0x3400u) << "stb stores the low byte, little-endian";
}

TEST_F(MachineInstruction, MisalignedWordAccessFaultsWithBadaddr) {
  for (Op op : {Op::LDW, Op::STW}) {
    exec1({op, 2, 1, 0, 1}, {{1, kData}, {2, 5}});
    EXPECT_EQ(cause(), Cause::MISALIGNED);
    EXPECT_EQ(m.state().badaddr(), kData + 1);
    EXPECT_EQ(m.state().epc(), insn_pc);
    EXPECT_EQ(m.peek32(kData), 0u);
  }
  // Bytes may be anywhere.
  exec1({Op::STB, 2, 1, 0, 1}, {{1, kData}, {2, 5}});
  EXPECT_EQ(m.peek32(kData), 0x500u);
}

TEST_F(MachineInstruction, PushAndPop) {
  exec1({Op::PUSH, 2, 0, 0, 0}, {{isa::kRegSp, kData + 0x100}, {2, 0xAA55}});
  EXPECT_EQ(reg(isa::kRegSp), kData + 0xFC);
  EXPECT_EQ(m.peek32(kData + 0xFC), 0xAA55u);
  exec1({Op::POP, 3, 0, 0, 0}, {{isa::kRegSp, kData + 0xFC}});
  EXPECT_EQ(reg(3), 0xAA55u);
  EXPECT_EQ(reg(isa::kRegSp), kData + 0x100);
  // The table's order of effects: push sp stores the decremented sp; pop sp
  // loads sp and then adds 4.
  exec1({Op::PUSH, isa::kRegSp, 0, 0, 0}, {{isa::kRegSp, kData + 0x200}});
  EXPECT_EQ(m.peek32(kData + 0x1FC), kData + 0x1FC);
  m.poke32(kData + 0x300, 0x5000);
  exec1({Op::POP, isa::kRegSp, 0, 0, 0}, {{isa::kRegSp, kData + 0x300}});
  EXPECT_EQ(reg(isa::kRegSp), 0x5004u);
  // A misaligned sp faults before anything changes.
  exec1({Op::PUSH, 2, 0, 0, 0}, {{isa::kRegSp, kData + 2}, {2, 1}});
  EXPECT_EQ(cause(), Cause::MISALIGNED);
  EXPECT_EQ(reg(isa::kRegSp), kData + 2);
}

TEST_F(MachineInstruction, ConditionalBranches) {
  struct Case { Op op; uint32_t x, y; bool taken; };
  const Case cases[] = {
      {Op::BEQ, 5, 5, true},   {Op::BEQ, 5, 6, false},
      {Op::BNE, 5, 6, true},   {Op::BNE, 5, 5, false},
      {Op::BLT, uint32_t(-1), 0, true}, {Op::BLT, 0, uint32_t(-1), false},
      {Op::BGE, 0, uint32_t(-1), true}, {Op::BGE, 3, 3, true}, {Op::BGE, uint32_t(-1), 0, false},
      {Op::BLTU, 0, uint32_t(-1), true}, {Op::BLTU, uint32_t(-1), 0, false},
      {Op::BGEU, uint32_t(-1), 0, true}, {Op::BGEU, 3, 3, true}, {Op::BGEU, 0, 1, false},
  };
  for (const Case& c : cases) {
    ProgramBuilder p(kCode);
    p.li(1, c.x).li(2, c.y).li(3, 0);
    p.br(c.op, 1, 2, "yes");
    p.op(Op::ADDI, 3, 0, 0, 1).op(Op::HALT);
    p.label("yes").op(Op::ADDI, 3, 0, 0, 2).op(Op::HALT);
    run(p);
    EXPECT_EQ(reg(3), c.taken ? 2u : 1u) << isa::info(c.op).mnemonic << " " << c.x << "," << c.y;
  }
}

TEST_F(MachineInstruction, BackwardBranchesAndJumps) {
  ProgramBuilder p(kCode);
  p.li(1, 0).li(2, 10);
  p.label("loop").op(Op::ADDI, 1, 1, 0, 1).br(Op::BNE, 1, 2, "loop");
  p.j(Op::JMP, "over");
  p.op(Op::ADDI, 1, 0, 0, 0);  // skipped
  p.label("over").op(Op::HALT);
  run(p);
  EXPECT_EQ(reg(1), 10u);
}

TEST_F(MachineInstruction, CallReturnAndRegisterJumps) {
  ProgramBuilder p(kCode);
  p.li(5, 0);
  p.j(Op::CALL, "f");                      // lr = next
  p.label("after_call");
  p.la(6, "g");
  p.op(Op::CALLR, 6);                      // lr = next, pc = g
  p.label("after_callr");
  p.la(7, "end");
  p.op(Op::JR, 7);
  p.op(Op::ADDI, 5, 5, 0, 100);            // skipped
  p.label("end").op(Op::HALT);
  p.label("f").op(Op::ADDI, 5, 5, 0, 1).op(Op::ADD, 8, 15, 0).op(Op::RET);
  p.label("g").op(Op::ADDI, 5, 5, 0, 10).op(Op::ADD, 9, 15, 0).op(Op::RET);
  run(p);
  EXPECT_EQ(reg(5), 11u);
  EXPECT_EQ(reg(8), p.addr("after_call"));
  EXPECT_EQ(reg(9), p.addr("after_callr"));
}

TEST_F(MachineInstruction, JumpsToMisalignedTargetsFaultAtTheJump) {
  for (Op op : {Op::JR, Op::CALLR, Op::RET}) {
    exec1({op, 1, 0, 0, 0}, {{1, kCode + 0x102}, {15, kCode + 0x102}});
    EXPECT_EQ(cause(), Cause::MISALIGNED) << isa::info(op).mnemonic;
    EXPECT_EQ(m.state().epc(), insn_pc);
    EXPECT_EQ(m.state().badaddr(), kCode + 0x102u);
    EXPECT_EQ(reg(15), kCode + 0x102u) << "callr did not write lr";
  }
}

TEST_F(MachineInstruction, SensitiveUnprivilegedInstructionsInKernelMode) {
  exec1({Op::RDPSW, 3}, {});
  EXPECT_EQ(reg(3), 0u);
  exec1({Op::WRPSW, 1}, {{1, isa::psw::IE | 0x3400 | 0xF0000}});
  EXPECT_EQ(m.state().psw, isa::psw::IE | 0x3400) << "kernel mode writes U, IE, FLAGS only";
  CpuState s = m.state();
  s.ptr = 0;
  m.set_state(s);
  exec1({Op::SPTR, 3}, {});
  EXPECT_EQ(reg(3), 0u);
}

TEST_F(MachineInstruction, InstructionsAreCountedAndCostCycles) {
  ProgramBuilder p(kCode);
  p.op(Op::ADDI, 1, 0, 0, 1).op(Op::MUL, 2, 1, 1).op(Op::DIVU, 3, 1, 1);
  p.op(Op::STW, 1, 0, 0, 0x4000).op(Op::BEQ, 0, 0, 0, 0).op(Op::HALT);
  const RunResult res = run(p);
  EXPECT_EQ(res.instructions, 6u);
  EXPECT_EQ(m.counters().instructions_kernel, 6u);
  const CostModel& c = m.cost_model();
  const uint64_t expect = c[CostEvent::INSN_ALU] + c[CostEvent::INSN_MUL] + c[CostEvent::INSN_DIV] +
                          c[CostEvent::INSN_MEM] + c[CostEvent::INSN_BRANCH] + c[CostEvent::INSN_SYSTEM];
  EXPECT_EQ(res.cycles, expect);
  EXPECT_EQ(m.counters().cycles, expect);
}

}  // namespace
}  // namespace trapeze::machine::testing
