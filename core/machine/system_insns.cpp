// The instructions the interpreter loop does not execute inline: the deliberate
// traps, the sensitive and privileged instructions, port I/O, and the rare cases
// of inline instructions (divide by zero, jumps to misaligned targets).
//
// Bodies that change what the slice boundary looks at (PSW.IE, the timer, the
// devices) call recheck() so the loop checks at the next instruction boundary.
//
// Each body says whether and why it traps: REQUIRE_KERNEL() is the privilege
// check (the table's PRIV column says which instructions must have it; a test runs
// every instruction in user mode and compares).
#include "machine/machine.h"

namespace trapeze::machine {

using isa::Cause;
using isa::Op;

// Privileged: raise PRIVILEGED in user mode, before anything else happens.
#define REQUIRE_KERNEL() \
  do {                   \
    if (user()) return fault(Cause::PRIVILEGED, d); \
  } while (0)

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
  uint32_t* r = state_.r;
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

    // ---- sensitive but unprivileged: the virtualization holes ----------------
    case Op::RDPSW:  // reads the real PSW in any mode (a deprivileged kernel sees U = 1)
      if (user()) note_hole(d, s.psw);
      write_reg(d.a, s.psw);
      return retire(d);
    case Op::WRPSW: {  // in user mode, U and IE are silently kept (like POPF)
      const uint32_t v = r[d.a];
      if (user()) note_hole(d, v);
      const uint32_t next = user() ? (s.psw & isa::psw::PRIVILEGED_BITS) | (v & isa::psw::FLAGS)
                                   : v & isa::psw::WRITABLE;
      retire(d);  // counted in the mode it ran in
      if ((next ^ s.psw) & isa::psw::U) invalidate_fetch();
      s.psw = next;
      recheck();  // IE may have come on with an interrupt pending
      return Flow::Next;
    }
    case Op::SPTR:  // reveals the page-table register in any mode
      if (user()) note_hole(d, s.ptr);
      write_reg(d.a, s.ptr);
      return retire(d);

    // ---- privileged ----------------------------------------------------------
    case Op::LDPTR:
      REQUIRE_KERNEL();
      s.ptr = r[d.a] & isa::pte::FRAME;  // does not flush the TLB (see docs/machine.md)
      if (vm_.active) tag_ = guest_tag();
      invalidate_fetch();                // paging may have been switched on or off
      return retire(d);
    case Op::RDPTR:
      REQUIRE_KERNEL();
      write_reg(d.a, s.ptr);
      return retire(d);
    case Op::TLBFLUSH:
      REQUIRE_KERNEL();
      if (vm_.active) {  // a guest flushes its own address space only
        tlb_.flush_tag(vm_.asid);
        if (vm_.nested) tlb_.flush_tag(vm_.asid + 1);
      } else {
        tlb_.flush_all();
      }
      ++counters_.tlb_flushes;
      invalidate_fetch();
      return retire(d);
    case Op::INVLPG:
      REQUIRE_KERNEL();
      tlb_.invalidate(r[d.a] >> isa::kPageShift, vm_.active ? vm_.asid : tag_);
      if (vm_.active && vm_.nested) tlb_.invalidate(r[d.a] >> isa::kPageShift, vm_.asid + 1);
      ++counters_.tlb_invlpgs;
      invalidate_fetch();
      return retire(d);
    case Op::LDTVEC:
      REQUIRE_KERNEL();
      s.tvec = r[d.a] & ~3u;
      return retire(d);
    case Op::RTI: {
      REQUIRE_KERNEL();
      const uint32_t target = s.epc();
      if (target & 3) return fault(Cause::MISALIGNED, d, 0, target);
      retire_to(d, target);
      s.psw = s.epsw() & isa::psw::WRITABLE;
      invalidate_fetch();
      recheck();
      return Flow::Next;
    }
    case Op::EI:
      REQUIRE_KERNEL();
      s.psw |= isa::psw::IE;
      recheck();
      return retire(d);
    case Op::DI:
      REQUIRE_KERNEL();
      s.psw &= ~isa::psw::IE;
      return retire(d);
    case Op::IN: {
      REQUIRE_KERNEL();
      const uint32_t v = bus_.in(uint16_t(d.imm), counters_);
      write_reg(d.a, v);
      return retire(d);
    }
    case Op::OUT:
      REQUIRE_KERNEL();
      retire(d);  // the port sees the time after the instruction's own cost
      bus_.out(uint16_t(d.imm), r[d.a], counters_.arch_cycles, cost_, all_, counters_);
      recheck();  // a device may have a new completion time or interrupt
      return Flow::Next;
    case Op::LDTIMER:
      REQUIRE_KERNEL();
      retire(d);
      s.timer_period = r[d.a];
      bus_.set_timer(s.timer_period, counters_.arch_cycles);
      recheck();
      return Flow::Next;
    case Op::HALT:
      REQUIRE_KERNEL();
      retire(d);
      halted_ = true;
      stop_reason_ = StopReason::Halted;
      return Flow::Stop;
    case Op::MFCR:
      REQUIRE_KERNEL();
      if (d.b >= isa::kNumControlRegs) return fault(Cause::ILLEGAL, d);
      write_reg(d.a, s.cr[d.b]);
      return retire(d);
    case Op::MTCR:
      REQUIRE_KERNEL();
      if (d.b >= isa::kNumControlRegs) return fault(Cause::ILLEGAL, d);
      s.cr[d.b] = r[d.a];
      return retire(d);
    case Op::VMRUN: {  // in guest mode it always exits (above): no nested virtualization
      REQUIRE_KERNEL();
      const uint32_t pa = r[d.a];
      if ((pa & 3) || !mem_.contains(pa, isa::vmcb::SIZE)) return fault(Cause::ILLEGAL, d);
      retire(d);  // the host resumes after it, on exit
      enter_guest(pa, /*by_insn=*/true);
      return Flow::Next;
    }

    default:  // an inline instruction routed here: never happens
      return fault(Cause::ILLEGAL, d);
  }
}

}  // namespace trapeze::machine
