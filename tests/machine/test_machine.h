// A test fixture: a machine whose trap vector halts, and helpers to run snippets.
#pragma once

#include <gtest/gtest.h>

#include "machine/machine.h"
#include "machine/program_builder.h"

namespace trapeze::machine::testing {

inline constexpr uint32_t kCode = 0x1000;     // where snippets are loaded
inline constexpr uint32_t kHandler = 0x3000;  // the trap vector: `halt`
inline constexpr uint32_t kData = 0x8000;     // scratch data

class MachineTest : public ::testing::Test {
 protected:
  explicit MachineTest(MachineConfig config = {}) : m(config) {}

  void SetUp() override { install_halting_handler(); }

  void install_halting_handler(uint32_t at = kHandler) {
    ProgramBuilder h(at);
    h.op(Op::HALT);
    h.load(m);
    CpuState s = m.state();
    s.tvec = at;
    m.set_state(s);
  }

  // Loads `p`, sets pc to its origin (and user mode if asked) and runs until halt.
  RunResult run(const ProgramBuilder& p, bool user_mode = false, uint64_t limit = 1'000'000) {
    p.load(m);
    CpuState s = m.state();
    s.pc = p.origin();
    if (user_mode) s.psw |= isa::psw::U;
    m.set_state(s);
    m.clear_halted();
    return m.run(limit);
  }

  // Runs one instruction (followed by halt) with the given registers set first.
  RunResult exec1(const isa::Decoded& insn, std::initializer_list<std::pair<int, uint32_t>> regs,
                  bool user_mode = false) {
    ProgramBuilder p(kCode);
    for (auto [reg, v] : regs) p.li(reg, v);
    p.label("insn");
    p.op(insn.op, insn.a, insn.b, insn.c, insn.imm);
    p.op(Op::HALT);
    insn_pc = p.addr("insn");
    if (user_mode) {
      // Enter user mode right before the instruction: set EPSW.U and rti to it.
      ProgramBuilder q(kCode);
      for (auto [reg, v] : regs) q.li(reg, v);
      q.li(13, isa::psw::U);
      q.op(Op::MTCR, 13, int(isa::ControlReg::EPSW));
      q.la(13, "insn");
      q.op(Op::MTCR, 13, int(isa::ControlReg::EPC));
      q.li(13, regs.size() ? 0 : 0);
      for (auto [reg, v] : regs)
        if (reg == 13) q.li(13, v);
      q.op(Op::RTI);
      q.label("insn");
      q.op(insn.op, insn.a, insn.b, insn.c, insn.imm);
      q.op(Op::HALT);
      insn_pc = q.addr("insn");
      return run(q);
    }
    return run(p);
  }

  uint32_t reg(int r) const { return m.state().r[r]; }
  isa::Cause cause() const { return isa::Cause(m.state().cause() & 0xFF); }
  uint32_t cause_detail() const { return m.state().cause() & ~0xFFu; }
  uint32_t traps() const {
    uint64_t t = 0;
    for (uint64_t c : m.counters().traps) t += c;
    return uint32_t(t);
  }

  Machine m;
  uint32_t insn_pc = 0;
};

}  // namespace trapeze::machine::testing
