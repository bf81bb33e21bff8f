// The instructions the interpreter loop does not execute inline: the deliberate
// traps, the sensitive and privileged instructions, port I/O, and the rare cases
// of inline instructions (divide by zero, jumps to misaligned targets).
//
// Bodies that change what the slice boundary looks at (PSW.IE, the timer, the
// devices) call recheck() so the loop checks at the next instruction boundary.
//
// The privileged and sensitive instructions' bodies are shared with the VMM's
// virtual CPU (system_semantics.h); SystemCpu below is what they act on here. The
// privilege check is the table's PRIV column (a test runs every instruction in
// user mode and compares).
#include "machine/machine.h"
#include "machine/system_semantics.h"

namespace trapeze::machine {

using isa::Cause;
using isa::Op;

// The machine's own state, for the shared bodies: every side effect exactly where
// the interpreter needs it (the TLB tag in guest mode, the fetch cache, recheck()).
struct Machine::SystemCpu {
  using Flow = Machine::Flow;
  Machine& m;

  uint32_t reg(int r) const { return m.state_.r[r]; }
  void set_reg(int r, uint32_t v) { m.write_reg(r, v); }
  bool user() const { return m.user(); }
  CpuState& control() { return m.state_; }
  Counters& counters() { return m.counters_; }
  uint32_t psw() const { return m.state_.psw; }
  void write_psw(uint32_t next) {
    if ((next ^ m.state_.psw) & isa::psw::U) m.invalidate_fetch();
    m.state_.psw = next;
  }
  uint32_t ptr() const { return m.state_.ptr; }
  void load_ptr(uint32_t p) {
    m.state_.ptr = p;
    if (m.vm_.active) m.tag_ = m.guest_tag();
    m.invalidate_fetch();  // paging may have been switched on or off
  }
  Flow retire(const isa::Decoded& d) { return m.retire(d); }
  Flow retire_to(const isa::Decoded& d, uint32_t next) { return m.retire_to(d, next); }
  Flow fault(Cause cause, const isa::Decoded& d, uint32_t badaddr) {
    return m.fault(cause, d, 0, badaddr);
  }
  void flush_tlb() {
    if (m.vm_.active) {  // a guest flushes its own address space only
      m.tlb_.flush_tag(m.vm_.asid);
      if (m.vm_.nested) m.tlb_.flush_tag(m.vm_.asid + 1);
    } else {
      m.tlb_.flush_all();
    }
    m.invalidate_fetch();
  }
  void invalidate_page(uint32_t va) {
    m.tlb_.invalidate(va >> isa::kPageShift, m.vm_.active ? m.vm_.asid : m.tag_);
    if (m.vm_.active && m.vm_.nested) m.tlb_.invalidate(va >> isa::kPageShift, m.vm_.asid + 1);
    m.invalidate_fetch();
  }
  uint32_t port_in(uint16_t port) { return m.bus_.in(port, m.counters_); }
  void port_out(uint16_t port, uint32_t v) {
    m.bus_.out(port, v, m.counters_.arch_cycles, m.cost_, m.all_, m.counters_);
  }
  void set_timer(uint32_t period) { m.bus_.set_timer(period, m.counters_.arch_cycles); }
  Flow halt(const isa::Decoded&) {
    m.halted_ = true;
    m.stop_reason_ = StopReason::Halted;
    return Flow::Stop;
  }
  Flow vmrun(const isa::Decoded& d) {  // in guest mode it always exits: no nested virtualization
    const uint32_t pa = m.state_.r[d.a];
    if ((pa & 3) || !m.mem_.contains(pa, isa::vmcb::SIZE)) return m.fault(Cause::ILLEGAL, d);
    m.retire(d);  // the host resumes after it, on exit
    m.enter_guest(pa, /*by_insn=*/true);
    return Flow::Next;
  }
  void note_hole(const isa::Decoded& d, uint32_t v) { m.note_hole(d, v); }
  void recheck() { m.recheck(); }
  // After a PSW change that may turn interrupts on (rti, ei): only an interrupt
  // already pending, or guest mode's interrupt-window exit, needs the boundary
  // before the next instruction (boundary(): nothing else there depends on the
  // PSW); rti moves no deadline, so the stop computed at the last boundary still
  // holds otherwise (and with breakpoints set every instruction stops anyway).
  // Saves a boundary per system-call return, and per `ei` in guest mode.
  void recheck_interrupts() {
    if (m.bus_.pending() || (m.vm_.active && (m.vm_.controls & isa::vmcb::EXIT_ON_INTR_WINDOW)))
      m.recheck();
  }
  void refetch() { m.invalidate_fetch(); }
};

Machine::Flow Machine::retire(const isa::Decoded& d) { return retire_to(d, state_.pc + 4); }

Machine::Flow Machine::retire_to(const isa::Decoded& d, uint32_t next) {
  ++(user() ? counters_.instructions_user : counters_.instructions_kernel);
  ++slice_.retired;
  charge(op_cost_[uint8_t(d.op)]);
  state_.pc = next;
  return Flow::Next;
}

Machine::Flow Machine::exec_slow(isa::Decoded d) {
  uint32_t* r = state_.r;
  switch (d.op) {
    case Op::LDW: case Op::LDB: case Op::STW: case Op::STB: case Op::PUSH: case Op::POP:
      return exec_memory(d);

    // The loop leaves division to us only when the divisor is zero.
    case Op::DIV: case Op::DIVU: case Op::REM: case Op::REMU: {
      const uint32_t x = r[d.b], y = r[d.c];
      if (y == 0) return fault(Cause::DIVZERO, d);
      const int32_t sx = int32_t(x), sy = int32_t(y);
      const bool overflow = sx == INT32_MIN && sy == -1;  // INT_MIN / -1 = INT_MIN, rem 0
      uint32_t v = 0;
      if (d.op == Op::DIV) v = overflow ? x : uint32_t(sx / sy);
      if (d.op == Op::DIVU) v = x / y;
      if (d.op == Op::REM) v = overflow ? 0 : uint32_t(sx % sy);
      if (d.op == Op::REMU) v = x % y;
      write_reg(d.a, v);
      return retire(d);
    }

    // ... and jumps only when the target is not word-aligned: MISALIGNED at the
    // jump (EPC = the jump, BADADDR = the target), nothing changed.
    case Op::JR: case Op::CALLR: case Op::RET: {
      const uint32_t target = d.op == Op::RET ? r[isa::kRegLr] : r[d.a];
      if (target & 3) return fault(Cause::MISALIGNED, d, 0, target);
      if (d.op == Op::CALLR) write_reg(isa::kRegLr, state_.pc + 4);
      return retire_to(d, target);
    }

    default:
      return exec_system(d);
  }
}

Machine::Flow Machine::exec_system(const isa::Decoded& d) {
  CpuState& s = state_;
  // Guest mode: the exit controls take some instructions to the VMM, precisely
  // (the instruction has not run; GUEST_PC is its pc). The rest run below, on the
  // guest's own state (guest_mode.cpp).
  if (vm_.active) {
    if (const isa::vmcb::ExitReason why = insn_exit(d); why != isa::vmcb::ExitReason::NONE) {
      VmExitInfo x;
      x.reason = why;
      x.word = isa::encode(d).value_or(0);
      x.qual = why == isa::vmcb::ExitReason::HYPERCALL ? uint32_t(d.imm) : x.word;
      return exit_guest(x);
    }
  }
  switch (d.op) {
    // ---- deliberate traps ----------------------------------------------------
    case Op::ILLEGAL:
      return fault(Cause::ILLEGAL, d);
    case Op::SYSCALL:  // completes: EPC = pc + 4
      return take_trap(Cause::SYSCALL, 0, 0, s.pc + 4, &d, /*retires=*/true);
    case Op::HYPERCALL:
      // Only a VMM understands it; bare hardware says ILLEGAL.
      if (intercept_ & cause_bit(Cause::HYPERCALL))
        return take_trap(Cause::HYPERCALL, uint32_t(d.imm), 0, s.pc + 4, &d);
      return fault(Cause::ILLEGAL, d);
    case Op::BRK:  // EPC = pc
      return fault(Cause::BREAKPOINT, d);

    default: {  // privileged and sensitive: their one body (system_semantics.h)
      SystemCpu cpu{*this};
      uint32_t value = 0;
      return execute_system(cpu, d, value);
    }
  }
}

}  // namespace trapeze::machine
