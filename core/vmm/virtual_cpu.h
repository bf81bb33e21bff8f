// The operations on a guest's virtual CPU, in one place for every strategy that
// runs a guest on the host (trap-and-emulate, para-virtual, binary translation,
// hardware-assisted): each privileged and sensitive instruction's effect on the
// virtual state (the machine's own bodies, machine/system_semantics.h, acting on
// the virtual CPU), the PSW mapping between the virtual and the real CPU, trap
// entry into the guest's vector, retiring an instruction on its virtual clock, and
// charging the VMM's work to it.
#pragma once

#include <cstdint>

#include "machine/cost_model.h"
#include "machine/cpu_state.h"
#include "machine/machine.h"
#include "vmm/guest.h"
#include "vmm/host.h"
#include "vmm/shadow_page_table.h"

namespace trapeze::vmm {

class VirtualCpuOps {
 public:
  VirtualCpuOps(Host& host, Guest& guest, ShadowPageTables& shadows, const machine::MemoryRegion& dma)
      : host_(host), guest_(guest), shadows_(shadows), dma_(dma) {}

  // The guest-visible PSW of a deprivileged guest: its virtual U and IE, and the
  // FLAGS byte, which lives in the real PSW (rdpsw/wrpsw act on it directly).
  static uint32_t visible_psw(uint32_t virtual_psw, uint32_t real_psw) {
    return (virtual_psw & isa::psw::PRIVILEGED_BITS) | (real_psw & isa::psw::FLAGS);
  }
  // The real PSW that runs a guest whose visible PSW is `p` deprivileged: user
  // mode, its virtual IE (the host's interrupts are intercepted whatever IE says,
  // so the bit mirrors the guest's) and its FLAGS.
  static uint32_t real_psw(uint32_t p) {
    return isa::psw::U | (p & isa::psw::IE) | (p & isa::psw::FLAGS);
  }

  bool user() const { return guest_.vcpu.cpu.psw & isa::psw::U; }

  // An instruction the guest executed retires (emulated, or a syscall): its native
  // cost to the virtual clock, counted in the guest's virtual mode.
  void retire(isa::Op op);
  // VMM work: host time, charged to this guest (at least one cycle, so a guest that
  // traps on every instruction still uses up its quantum).
  // Returns the cycles charged.
  uint64_t charge(machine::CostEvent e, uint64_t times = 1);
  // What charge(e, times) charges, in host cycles.
  uint64_t cost(machine::CostEvent e, uint64_t times = 1) const;

  // Trap entry into the guest's virtual trap vector, as hardware delivers it
  // (`visible_psw`: its PSW before the trap); its clock advances by TRAP_ENTRY.
  // The caller moves its pc to the vector.
  void enter_trap(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc,
                  uint32_t visible_psw);

  // One privileged or sensitive instruction `d` at `pc`, run on the virtual CPU by
  // its one body. `regs` holds the guest's registers and pc (the host's state for
  // a deprivileged guest, whose real PSW then follows the virtual one; the virtual
  // CPU itself in guest mode). `retire_as`: the instruction the guest executed (a
  // hypercall standing for it; Op::ILLEGAL: `d` itself); `retired`: already retired
  // (a hypercall made of two bodies).
  enum class Outcome : uint8_t { Done, Fault, Halt };
  struct Result {
    Outcome outcome = Outcome::Done;
    isa::Cause cause = isa::Cause::NONE;  // Fault: what it raises at `pc`
    uint32_t badaddr = 0;
    uint32_t value = 0;  // what it read or wrote (for the event log)
  };
  Result execute(const isa::Decoded& d, machine::CpuState& regs, uint32_t pc,
                 isa::Op retire_as = isa::Op::ILLEGAL, bool retired = false);

 private:
  struct Ops;  // system_semantics.h's Cpu, on this virtual CPU (virtual_cpu.cpp)

  Host& host_;
  Guest& guest_;
  ShadowPageTables& shadows_;
  const machine::MemoryRegion& dma_;
};

}  // namespace trapeze::vmm
