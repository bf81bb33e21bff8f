// Trap-and-emulate (the lecture's first VMM): the guest — its kernel and its user
// programs alike — runs on the host CPU in real user mode, and the VMM intercepts
// every trap.
//
//   privileged instruction, guest in its kernel mode   emulated on the virtual CPU
//   privileged instruction, guest in its user mode     reflected as PRIVILEGED
//   syscall, brk, divide by zero, misaligned, illegal  reflected (they belong to the guest)
//     (hypercall, too: it is ILLEGAL on bare hardware)
//   page fault                                         hidden (fill the shadow), a write to a
//                                                      guest page table (emulate the store),
//                                                      or a true guest fault (reflected)
//   the guest's timer and device interrupts           delivered into its trap vector when
//                                                      its virtual IE is 1
//
// "Reflected" means delivered exactly as bare hardware would: virtual EPC, EPSW,
// CAUSE (with the guest-visible fault detail), BADADDR; virtual PSW.U = 0, IE = 0;
// pc = the virtual trap vector.
//
// The three sensitive-but-unprivileged instructions (rdpsw, wrpsw, sptr) do not trap
// and act on the real PSW and PTR: the guest kernel reads U = 1, its wrpsw cannot
// clear IE, its sptr sees the shadow root. That is the documented failure of pure
// trap-and-emulate on this ISA (Popek & Goldberg 1974); the simulator counts those
// executions and the event log explains each one, though the VMM itself never sees them.
//
// Time: the guest's virtual clock advances by the host's architectural cycles while
// it runs, by the native cost of each emulated instruction, and by TRAP_ENTRY for
// each reflected trap — never by VMM overhead — and its timer and devices run on it,
// so interrupts land on the same instructions as on bare metal.
#pragma once

#include <cstdint>
#include <string>

#include "machine/machine.h"
#include "vmm/guest.h"
#include "vmm/host.h"
#include "vmm/shadow_page_table.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

class TrapAndEmulate : public Strategy {
 public:
  TrapAndEmulate(Host& host, Guest& guest, const GuestPlacement& place);

  StrategyKind kind() const override { return StrategyKind::TRAP; }
  bool uses_host() const override { return true; }
  void load() override;
  void save() override;
  uint64_t run(uint64_t max_cycles) override;
  const std::string& console() const override { return guest_.bus.console(); }

  uint32_t hardware_table() const override { return shadows_.current().root; }
  // Its shadows (ShadowPageTables::check), its virtual CPU's defined bits, and,
  // while it is on the host CPU, that the host runs it in user mode on its table.
  std::string check() const override;
  const ShadowPageTables& shadows() const { return shadows_; }

 protected:
  // For a strategy built on this one (para-virtual: paravirt.h): also intercept
  // HYPERCALL, which then goes to hypercall().
  TrapAndEmulate(Host& host, Guest& guest, const GuestPlacement& place, bool intercept_hypercalls);

  enum class Flow : uint8_t { Continue, Stop };

  // An intercepted `hypercall` (only when constructed to intercept them). This
  // strategy never intercepts them: the host raises ILLEGAL, which is reflected.
  virtual Flow hypercall(const machine::TrapEvent& t);
  uint32_t intercept_mask() const;

  // One trap from the host.
  Flow handle_trap(const machine::TrapEvent& t);
  Flow emulate(const machine::TrapEvent& t);
  Flow page_fault(const machine::TrapEvent& t);
  Flow emulate_store(const machine::TrapEvent& t, uint32_t gpa);
  // Delivers a trap into the guest's virtual trap vector, as hardware would.
  void reflect(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc);
  // The guest's interrupts: process its virtual devices up to its clock; deliver one if it can.
  bool deliver_interrupt();
  void process_devices();

  // An instruction the guest executed retires (emulated, or a syscall): its native
  // cost to the virtual clock, counted in the guest's virtual mode.
  void retire(isa::Op op);
  // VMM work: host time, charged to this guest (at least one cycle, so a guest that
  // traps on every instruction still uses up its quantum).
  void charge(machine::CostEvent e, uint64_t times = 1);
  // Folds the host counters of the last run into the guest's.
  void account(const machine::Counters& before, const machine::RunResult& r);
  void log_holes();
  void log(EventKind kind, uint32_t pc, uint32_t word = 0, uint32_t a = 0, uint32_t b = 0,
           uint32_t c = 0, isa::Cause cause = isa::Cause::NONE);
  void stop(GuestState state, std::string reason);

  // The guest-visible PSW: the virtual U and IE, and the FLAGS byte (which lives in
  // the real PSW, since rdpsw/wrpsw act on it directly).
  uint32_t guest_psw() const;
  bool virtual_user() const { return guest_.vcpu.cpu.psw & isa::psw::U; }
  // Puts the guest's virtual state where the hardware needs it: the shadow (or the
  // physical map) for its current root and mode, and its virtual IE as the real IE
  // (the host's interrupts are intercepted whatever IE says, so the bit is free to
  // mirror the guest's: a user program's rdpsw then reads what it would on bare
  // metal; only U, in the guest's kernel mode, is wrong).
  void sync_hardware();

  Host& host_;
  machine::Machine& m_;
  Guest& guest_;
  GuestPlacement place_;
  ShadowPageTables shadows_;
  machine::MemoryRegion dma_;  // the guest's region, logging DMA writes
  std::vector<uint32_t> dma_pages_;
  bool intercept_hypercalls_ = false;
  uint32_t stuck_pc_ = 0, stuck_va_ = 0, stuck_count_ = 0;  // a fault the shadow cannot resolve
};

}  // namespace trapeze::vmm
