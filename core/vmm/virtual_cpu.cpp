#include "vmm/virtual_cpu.h"

#include <algorithm>

#include "machine/system_semantics.h"

namespace trapeze::vmm {

using isa::Cause;
using isa::Op;
using machine::CostEvent;
using machine::CpuState;

void VirtualCpuOps::retire(Op op) {
  guest_.vcpu.clock += host_.machine.insn_cost(op);
  GuestCounters& gc = guest_.counters;
  ++(user() ? gc.machine.instructions_user : gc.machine.instructions_kernel);
  gc.machine.arch_cycles = guest_.vcpu.clock;
  ++guest_.executed;
}

uint64_t VirtualCpuOps::cost(CostEvent e, uint64_t times) const {
  return std::max<uint64_t>(1, host_.machine.cost_model()[e]) * times;
}

uint64_t VirtualCpuOps::charge(CostEvent e, uint64_t times) {
  const uint64_t c = cost(e, times);
  host_.overhead += c;
  guest_.counters.machine.cycles += c;
  guest_.counters.vmm.vmm_cycles += c;
  guest_.counters.accounting.*account_of(e) += c;
  return c;
}

void VirtualCpuOps::enter_trap(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc,
                            uint32_t visible_psw) {
  machine::enter_trap(guest_.vcpu.cpu, cause, detail, badaddr, epc, visible_psw);
  guest_.vcpu.clock += host_.machine.cost_model()[CostEvent::TRAP_ENTRY];
  guest_.counters.machine.arch_cycles = guest_.vcpu.clock;
}

// The virtual CPU as the shared bodies' Cpu: control state in the Guest's virtual
// CPU, registers in `regs`, devices on its virtual clock, the TLB its shadows.
struct VirtualCpuOps::Ops {
  using Flow = Outcome;
  VirtualCpuOps& vc;
  CpuState& regs;
  uint32_t pc;
  Op retire_as;
  bool retired;
  Result& result;

  CpuState& v() { return vc.guest_.vcpu.cpu; }
  bool deprivileged() { return &regs != &v(); }

  uint32_t reg(int r) const { return regs.r[r]; }
  void set_reg(int r, uint32_t x) {
    regs.r[r] = x;
    regs.r[0] = 0;
  }
  bool user() const { return vc.user(); }
  CpuState& control() { return v(); }
  machine::Counters& counters() { return vc.guest_.counters.machine; }
  uint32_t psw() { return deprivileged() ? visible_psw(v().psw, regs.psw) : v().psw; }
  void write_psw(uint32_t p) {
    v().psw = p;
    if (deprivileged()) regs.psw = real_psw(p);
  }
  uint32_t ptr() { return v().ptr; }
  void load_ptr(uint32_t p) {
    v().ptr = p;
    // With paging off nothing write-protects its tables: cached shadows would go stale.
    if (p == 0) vc.shadows_.reset(ShadowReset::PAGING_OFF);
  }
  Flow retire_to(const isa::Decoded& d, uint32_t next) {
    if (!retired) vc.retire(retire_as == Op::ILLEGAL ? d.op : retire_as);
    retired = true;
    regs.pc = next;
    return Outcome::Done;
  }
  Flow retire(const isa::Decoded& d) { return retire_to(d, pc + 4); }
  Flow fault(Cause cause, const isa::Decoded&, uint32_t badaddr) {
    result.cause = cause;
    result.badaddr = badaddr;
    return Outcome::Fault;
  }
  void flush_tlb() { vc.shadows_.flush_tlb(); }
  void invalidate_page(uint32_t va) { vc.shadows_.invalidate_page(va); }
  uint32_t port_in(uint16_t port) { return vc.guest_.bus.in(port, counters()); }
  void port_out(uint16_t port, uint32_t x) {
    vc.guest_.bus.out(port, x, vc.guest_.vcpu.clock, vc.host_.machine.cost_model(), vc.dma_,
                      counters());
  }
  void set_timer(uint32_t period) { vc.guest_.bus.set_timer(period, vc.guest_.vcpu.clock); }
  Flow halt(const isa::Decoded&) { return Outcome::Halt; }
  // No nested virtualization: a guest's vmrun is ILLEGAL.
  Flow vmrun(const isa::Decoded& d) { return fault(Cause::ILLEGAL, d, 0); }
  // The VMM runs these only for the guest's kernel (and sptr for the
  // hardware-assisted guest's user mode, where it is no hole: it reads its own PTR).
  void note_hole(const isa::Decoded&, uint32_t) {}
  void recheck() {}  // the VMM's run loop looks at interrupts before every step
  void recheck_interrupts() {}
  void refetch() {}
};

VirtualCpuOps::Result VirtualCpuOps::execute(const isa::Decoded& d, CpuState& regs, uint32_t pc,
                                       Op retire_as, bool retired) {
  Result result;
  Ops ops{*this, regs, pc, retire_as, retired, result};
  result.outcome = machine::execute_system(ops, d, result.value);
  return result;
}

}  // namespace trapeze::vmm
