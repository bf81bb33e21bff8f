// The privileged and sensitive instructions' semantics, ONE body each, over "the
// CPU it acts on" (Spike's one body per instruction): the machine runs them on its
// own state (system_insns.cpp), a VMM on a guest's virtual CPU (vmm/virtual_cpu.h)
// — trap-and-emulate's emulation, binary translation's callouts, the
// para-virtual hypercalls that are these instructions, the hardware-assisted exits.
//
// A `Cpu` provides (each an inline call, so the machine's slow path stays as fast):
//   Flow                          what a body returns: the retire/fault result
//   reg(r), set_reg(r, v)         the general registers (r0 stays 0)
//   user()                        the mode the instruction runs in
//   control()                     the CpuState holding tvec, cr[] and timer_period
//   psw(), write_psw(p)           the PSW the instruction sees / a new one
//   ptr(), load_ptr(p)            the page-table register
//   retire(d), retire_to(d, pc)   it completed: counted, costed, pc moves on
//   fault(cause, d, badaddr)      it raises `cause` (nothing changed)
//   flush_tlb(), invalidate_page(va), counters()
//   port_in(port), port_out(port, v), set_timer(period)
//   halt(d)                       after retire: the processor stops
//   vmrun(d)                      the hardware-virtualization entry
//   note_hole(d, v)               a sensitive instruction ran in user mode
//   recheck(), refetch()          the machine's run loop looks again at its
//                                 boundary / drops its fetch cache (a VMM: nothing)
//   recheck_interrupts()          recheck() if an interrupt could now be taken
// `value` receives what the instruction read or wrote (the VMM's event log shows it).
//
// Adding a privileged instruction: its row in isa_table.h (flags, exit and cost
// columns) and its case here; every strategy then runs it (tests/vmm/
// table_policy_test.cpp runs every privileged or sensitive row under every
// strategy: give it a line for the new row).
#pragma once

#include <cstdint>

#include "isa/isa.h"
#include "machine/cpu_state.h"

namespace trapeze::machine {

// mfcr / mtcr: the control register `d` names in `s`, nullptr if it names none
// (ILLEGAL). Also the interpreter's inline path for them (run_loop.cpp).
inline uint32_t* control_register(CpuState& s, const isa::Decoded& d) {
  return d.b < isa::kNumControlRegs ? &s.cr[d.b] : nullptr;
}

template <class Cpu>
typename Cpu::Flow execute_system(Cpu& c, const isa::Decoded& d, uint32_t& value) {
  using isa::Cause;
  using isa::Op;
  namespace psw = isa::psw;
  // The table's PRIV column: PRIVILEGED in user mode, before anything else happens.
  if (isa::info(d.op).privileged() && c.user()) return c.fault(Cause::PRIVILEGED, d, 0);
  auto& s = c.control();
  switch (d.op) {
    // ---- sensitive but unprivileged: the virtualization holes ----------------
    case Op::RDPSW: {  // the PSW, in any mode (a deprivileged kernel sees U = 1)
      const uint32_t p = value = c.psw();
      if (c.user()) c.note_hole(d, p);
      c.set_reg(d.a, p);
      return c.retire(d);
    }
    case Op::WRPSW: {  // in user mode, U and IE are silently kept (like POPF)
      const uint32_t x = value = c.reg(d.a);
      if (c.user()) c.note_hole(d, x);
      const uint32_t next = c.user() ? (c.psw() & psw::PRIVILEGED_BITS) | (x & psw::FLAGS)
                                     : x & psw::WRITABLE;
      const auto flow = c.retire(d);  // counted in the mode it ran in
      c.write_psw(next);
      c.recheck_interrupts();  // IE may have come on with an interrupt pending
      return flow;
    }
    case Op::SPTR: {  // reveals the page-table register in any mode
      const uint32_t p = value = c.ptr();
      if (c.user()) c.note_hole(d, p);
      c.set_reg(d.a, p);
      return c.retire(d);
    }

    // ---- privileged ----------------------------------------------------------
    case Op::LDPTR: {  // does not flush the TLB (see docs/machine.md)
      const uint32_t p = value = c.reg(d.a) & isa::pte::FRAME;
      const auto flow = c.retire(d);
      c.load_ptr(p);
      return flow;
    }
    case Op::RDPTR:
      c.set_reg(d.a, value = c.ptr());
      return c.retire(d);
    case Op::TLBFLUSH: {
      const auto flow = c.retire(d);
      c.flush_tlb();
      ++c.counters().tlb_flushes;
      return flow;
    }
    case Op::INVLPG: {
      const uint32_t va = value = c.reg(d.a);
      const auto flow = c.retire(d);
      c.invalidate_page(va);
      ++c.counters().tlb_invlpgs;
      return flow;
    }
    case Op::LDTVEC:
      s.tvec = value = c.reg(d.a) & ~3u;
      return c.retire(d);
    case Op::RTI: {
      const uint32_t target = value = s.epc();
      if (target & 3) return c.fault(Cause::MISALIGNED, d, target);
      const auto flow = c.retire_to(d, target);  // in kernel mode, before the PSW changes
      c.write_psw(s.epsw() & psw::WRITABLE);
      c.refetch();
      c.recheck_interrupts();  // IE may have come back with one pending
      return flow;
    }
    case Op::EI:
      c.write_psw(c.psw() | psw::IE);
      c.recheck_interrupts();
      return c.retire(d);
    case Op::DI:
      c.write_psw(c.psw() & ~psw::IE);
      return c.retire(d);
    case Op::IN:
      c.set_reg(d.a, value = c.port_in(uint16_t(d.imm)));
      return c.retire(d);
    case Op::OUT: {
      const uint32_t x = value = c.reg(d.a);
      const auto flow = c.retire(d);  // the port sees the time after the instruction's own cost
      c.port_out(uint16_t(d.imm), x);
      c.recheck();  // a device may have a new completion time or interrupt
      return flow;
    }
    case Op::LDTIMER: {
      const uint32_t x = value = c.reg(d.a);
      const auto flow = c.retire(d);
      s.timer_period = x;
      c.set_timer(x);
      c.recheck();
      return flow;
    }
    case Op::HALT:
      c.retire(d);
      return c.halt(d);
    case Op::MFCR: {
      const uint32_t* cr = control_register(s, d);
      if (!cr) return c.fault(Cause::ILLEGAL, d, 0);
      c.set_reg(d.a, value = *cr);
      return c.retire(d);
    }
    case Op::MTCR: {
      uint32_t* cr = control_register(s, d);
      if (!cr) return c.fault(Cause::ILLEGAL, d, 0);
      *cr = value = c.reg(d.a);
      return c.retire(d);
    }
    case Op::VMRUN:
      return c.vmrun(d);
    default:  // not a system instruction: never routed here
      return c.fault(Cause::ILLEGAL, d, 0);
  }
}

// Trap entry, as hardware delivers it (isa.h): the control registers and the PSW
// of `s`, whose visible PSW before the trap was `visible_psw`. The caller moves the
// pc to s.tvec.
inline void enter_trap(CpuState& s, isa::Cause cause, uint32_t detail, uint32_t badaddr,
                       uint32_t epc, uint32_t visible_psw) {
  s.epc() = epc;
  s.epsw() = visible_psw;
  s.cause() = uint32_t(cause) | detail;
  if (cause == isa::Cause::PAGE_FAULT || cause == isa::Cause::MISALIGNED) s.badaddr() = badaddr;
  s.psw &= ~(isa::psw::U | isa::psw::IE);
}

}  // namespace trapeze::machine
