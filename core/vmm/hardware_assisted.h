// Hardware-assisted virtualization (strategies `hw` and `hw-nested`): the guest
// runs in the machine's guest mode (machine.h, vm_enter; isa/vm_control_block.h),
// its kernel in REAL kernel mode with its own PSW, trap vector and control
// registers, so the sensitive-but-unprivileged instructions (rdpsw, wrpsw) act on
// the guest's own state: the U/K-bit problem of trap-and-emulate is gone. The
// guest's control-block page (GuestPlacement::control_block) is its VMCB.
//
// What exits (everything else — system calls, exceptions, mfcr/mtcr, rti, ei/di,
// wrpsw — the guest handles itself, at native cost):
//
//                        hw (shadow paging)           hw-nested (nested paging)
//   in, out, ldtimer     exit: virtual devices         exit: virtual devices
//   ldptr, rdptr, sptr,  exit: the VMM keeps the       no exit: the guest's own PTR;
//   tlbflush, invlpg     virtual PTR, the hardware     tlbflush flushes the guest's
//                        PTR holds the shadow root     TLB tag only
//   page faults          exit: hidden (fill the        no exit: the guest's own (the
//                        shadow), a page-table write   hardware walks its table and
//                        (emulated), or the guest's    sets its A/D bits)
//                        (injected)
//   nested fault         —                             exit: a guest-physical address
//                                                      past its memory (injected as
//                                                      "not present", as bare metal)
//   hypercall, vmrun     exit: injected as ILLEGAL (what bare hardware does)
//   halt                 exit: the guest halts
//
// The shadow tables are the trap-and-emulate ones in their single-view mode
// (shadow_page_table.h): one faithful table per address space keeping the guest's
// own U bits, which the hardware enforces in both of its modes. The strategy holds
// the GuestEngine every on-host strategy holds (guest_engine.h: shadows, virtual
// CPU operations, limits, shadow-fault resolution, the triple-fault spin), not the
// deprivileged run loop.
//
// Interrupts: the guest's timer and devices stay virtual (Guest::bus, on its
// virtual clock). The host runs it in guest mode up to its next virtual event;
// an interrupt then due is a forced exit (the host's timer, as on first-generation
// VT-x) and is injected (EVENT_INJECT) on the next entry if the guest's IE is set,
// else the entry asks for an interrupt-window exit (EXIT_ON_INTR_WINDOW) and
// injects it then: it lands on the same instruction as on bare metal.
//
// Time: the guest's virtual clock advances by the host's architectural cycles in
// guest mode (VM exits and entries are not architectural: see cost_model.h), by
// the native cost of each instruction the VMM emulates, and by TRAP_ENTRY for each
// injected event (the hardware delivers it). The VMM's work — VM_EXIT, VM_ENTRY,
// its emulation and shadow work — is charged to the guest, never to its clock.
//
// Between turns the guest stays in guest mode (save() copies its state out
// without an exit, so slicing a run changes nothing); unload() at a world switch
// exits.
#pragma once

#include <memory>

#include "isa/vm_control_block.h"
#include "vmm/guest_engine.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

class HardwareAssisted final : public Strategy {
 public:
  HardwareAssisted(Host& host, Guest& guest, const GuestPlacement& place, bool nested);
  ~HardwareAssisted() override;

  StrategyKind kind() const override { return nested_ ? StrategyKind::HW_NESTED : StrategyKind::HW; }
  bool uses_host() const override { return true; }
  const std::string& console() const override { return guest_.bus.console(); }
  // In guest mode the host CPU holds the guest's own state (kernel mode included):
  // only the guest side is checked — with shadow paging its shadows, with nested
  // paging the TLB's combined entries for its tags (each must land in its memory).
  std::string check() const override;
  void load() override;
  void save() override;
  void unload() override;
  uint64_t run(uint64_t max_cycles) override;
  uint32_t hardware_table() const override;

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  using ExitReason = isa::vmcb::ExitReason;

  bool on_cpu() const { return m_.guest_vmcb() == place_.control_block; }
  // VM entry: the virtual CPU into the control block (with the shadow root, or the
  // nested table), the event to inject, then vm_enter.
  void enter();
  // A forced VM exit (the VMM's own interrupt), logged with `action`.
  void leave(ExitReason reason, ExitAction action);
  // The control block's guest state into the virtual CPU (after an exit).
  void pull();
  // Folds the host counters since the last call into the guest's.
  void account();
  Flow handle_exit(const machine::VmExitInfo& x);
  Flow shadow_fault(const machine::VmExitInfo& x, ExitAction& action);
  // The next entry delivers this into the guest's trap vector (EPC = its pc): the
  // hardware's trap entry (machine/system_semantics.h, enter_trap), counted as the
  // VMM's reflection of it.
  void inject(isa::Cause cause, uint32_t detail, uint32_t badaddr);
  void log_exit(const machine::VmExitInfo& x, ExitAction action);
  void flush_nested_tags();

  uint32_t guest_pc() const;
  void retire(isa::Op op) { e_.retire(op); }
  void charge(machine::CostEvent e, uint64_t times = 1) { e_.charge(e, times); }
  void log(EventKind kind, uint32_t pc, uint32_t word = 0, uint32_t a = 0, uint32_t b = 0,
           uint32_t c = 0, isa::Cause cause = isa::Cause::NONE) {
    e_.log(kind, pc, word, a, b, c, cause);
  }
  void stop(GuestState state, std::string reason) { e_.stop(state, std::move(reason)); }
  // (Straight from host memory: the control block is a page of the VMM area.)
  uint32_t block(uint32_t offset) const {
    return machine::load_le32(m_.memory().data() + place_.control_block + offset);
  }

  GuestEngine e_;
  Guest& guest_;
  machine::Machine& m_;
  const GuestPlacement& place_;
  ShadowPageTables& shadows_;
  const bool nested_;
  uint32_t controls_;  // the exit controls every entry asks for
  machine::Counters accounted_;  // the host counters already folded into the guest's
  uint64_t accounted_transitions_ = 0;  // and the host's vm_transition_cycles() already booked
  uint32_t inject_ = 0, inject_badaddr_ = 0;  // for the next entry (0: nothing)
  bool window_ = false;  // the guest runs with interrupt-window exiting
  bool resync_ = false;  // DMA touched guest memory while it ran: exit and re-enter
};


}  // namespace trapeze::vmm
