// Guest mode: the hardware-virtualization extension (isa/vm_control_block.h).
//
// ONE entry and ONE exit, shared by `vmrun` (code on the machine: the host context
// is saved by hardware and restored on exit, so the host continues after its
// vmrun) and the owner's vm_enter()/run() (the C++ VMM: an exit stops run() with
// StopReason::VmExit). In guest mode state_ IS the guest's CPU state — its own PSW
// (U, IE, FLAGS), PTR, trap vector and control registers — so the sensitive
// instructions (rdpsw, wrpsw, sptr, mfcr...) act on the guest's copies with no
// change to their bodies; the host's state waits in vm_.host. The only per-event
// work is here, on the slow paths: which instructions and traps exit (insn_exit,
// trap_exit) is decided in exec_system() and take_trap(), never in the loop.
#include <algorithm>

#include "machine/machine.h"

namespace trapeze::machine {

using isa::Cause;
using isa::Op;
namespace vmcb = isa::vmcb;
using vmcb::ExitReason;

bool Machine::vm_enter(uint32_t vmcb_pa) { return enter_guest(vmcb_pa, /*by_insn=*/false); }

void Machine::vm_exit(ExitReason reason) {
  if (!vm_.active) return;
  VmExitInfo x;
  x.reason = reason;
  exit_guest(x);
}

// Nested mode caches the guest's paging-off translations (guest-physical ->
// host-physical) too; a bare machine caches nothing with paging off, so those live
// under their own tag (ASID + 1) and never answer for the guest's paged addresses.
uint32_t Machine::guest_tag() const {
  return vm_.nested && state_.ptr == 0 ? vm_.asid + 1 : vm_.asid;
}

bool Machine::enter_guest(uint32_t pa, bool by_insn) {
  if (vm_.active || (pa & 3) || !mem_.contains(pa, vmcb::SIZE)) return false;
  auto field = [&](uint32_t off) { return mem_.read32(pa + off); };
  CpuState g;
  for (int i = 0; i < isa::kNumRegs; ++i) g.r[i] = field(vmcb::GUEST_REGS + 4 * i);
  g.r[0] = 0;
  g.pc = field(vmcb::GUEST_PC);
  g.psw = field(vmcb::GUEST_PSW) & isa::psw::WRITABLE;
  g.ptr = field(vmcb::GUEST_PTR) & isa::pte::FRAME;
  g.tvec = field(vmcb::GUEST_TVEC) & ~3u;
  for (int i = 0; i < isa::kNumControlRegs; ++i) g.cr[i] = field(vmcb::GUEST_CR + 4 * i);
  g.timer_period = field(vmcb::GUEST_TIMER);

  vm_.host = state_;
  vm_.host_tag = tag_;
  vm_.active = true;
  vm_.by_insn = by_insn;
  vm_.vmcb = pa;
  vm_.controls = field(vmcb::EXIT_CONTROLS);
  vm_.nested = field(vmcb::FLAGS) & vmcb::FLAG_NESTED;
  vm_.nested_root = field(vmcb::NESTED_ROOT) & isa::pte::FRAME;
  state_ = g;
  vm_.asid = std::min(field(vmcb::ASID), kMaxAddressSpaceTag - 1);
  tag_ = guest_tag();
  cr_slow_ = (vm_.controls & vmcb::EXIT_ON_PRIV) ? 1 : 0;
  ++counters_.vm_entries;
  counters_.cycles += cost_[CostEvent::VM_ENTRY];  // not architectural: see cost_model.h
  vm_transition_cycles_ += cost_[CostEvent::VM_ENTRY];

  // An injected event is delivered before the guest's first instruction, exactly
  // as the hardware delivers its own traps (EPC = the guest's pc).
  const uint32_t inject = field(vmcb::EVENT_INJECT);
  if (inject & vmcb::EVENT_VALID) {
    mem_.write32(pa + vmcb::EVENT_INJECT, 0);
    ++counters_.vm_injections;
    deliver(Cause(inject & 0xFF), inject & ~(vmcb::EVENT_VALID | 0xFFu),
            field(vmcb::EVENT_BADADDR), g.pc);
  }
  invalidate_fetch();
  recheck();
  return true;
}

Machine::Flow Machine::exit_guest(const VmExitInfo& info) {
  VmExitInfo x = info;
  x.pc = state_.pc;
  const uint32_t pa = vm_.vmcb;  // inside memory: enter_guest() checked the whole record
  // Every exit writes the record: stored word by word, then ONE re-decode check for
  // the range written (it is not code unless a guest makes it so), rather than a
  // checked write32() per field.
  uint8_t* const record = mem_.data() + pa;
  auto put = [&](uint32_t off, uint32_t v) { store_le32(record + off, v); };
  for (int i = 0; i < isa::kNumRegs; ++i) put(vmcb::GUEST_REGS + 4 * i, state_.r[i]);
  put(vmcb::GUEST_PC, state_.pc);
  put(vmcb::GUEST_PSW, state_.psw);
  put(vmcb::GUEST_PTR, state_.ptr);
  put(vmcb::GUEST_TVEC, state_.tvec);
  for (int i = 0; i < isa::kNumControlRegs; ++i) put(vmcb::GUEST_CR + 4 * i, state_.cr[i]);
  put(vmcb::GUEST_TIMER, state_.timer_period);
  put(vmcb::EXIT_REASON, uint32_t(x.reason));
  put(vmcb::EXIT_QUAL, x.qual);
  put(vmcb::EXIT_INFO, x.info);
  put(vmcb::EXIT_ADDR, x.addr);
  put(vmcb::EXIT_INSN, x.word);
  static_assert(vmcb::EXIT_REASON < vmcb::GUEST_PC && vmcb::EXIT_ADDR + 4 <= vmcb::SIZE &&
                vmcb::GUEST_REGS + 4 * isa::kNumRegs <= vmcb::EXIT_INSN);
  mem_.note_write(pa + vmcb::EXIT_REASON, vmcb::EXIT_ADDR + 4 - vmcb::EXIT_REASON);

  state_ = vm_.host;
  tag_ = vm_.host_tag;
  const bool by_insn = vm_.by_insn;
  vm_.active = false;
  cr_slow_ = 0;
  ++counters_.vm_exits;
  ++counters_.vm_exits_by_reason[size_t(x.reason) % kNumExitCodes];
  counters_.cycles += cost_[CostEvent::VM_EXIT];
  vm_transition_cycles_ += cost_[CostEvent::VM_EXIT];
  invalidate_fetch();
  recheck();
  if (by_insn) return Flow::Next;  // the host's code goes on after its vmrun
  stop_exit_ = x;
  stop_reason_ = StopReason::VmExit;
  return Flow::Stop;
}

// The ISA table's `exit` column says which exit an instruction takes. Privilege
// comes first: in the guest's user mode a privileged instruction raises PRIVILEGED
// (which exits only under EXIT_ON_EXCEPTION), like on bare metal, and a
// control-sensitive one changes nothing privileged (wrpsw keeps U and IE): both
// exit from its kernel mode only. The others (sptr, hypercall) exit from either.
ExitReason Machine::insn_exit(const isa::Decoded& d) const {
  const isa::InsnInfo& i = isa::info(d.op);
  if (i.exit == isa::ExitClass::NONE) return ExitReason::NONE;
  if (user() && (i.flags & (isa::PRIV | isa::SENS_CTRL))) return ExitReason::NONE;
  // wrpsw exits only when it changes U or IE.
  if (d.op == Op::WRPSW && !((state_.r[d.a] ^ state_.psw) & isa::psw::PRIVILEGED_BITS))
    return ExitReason::NONE;
  const vmcb::ExitRule rule = vmcb::exit_rule(i.exit);
  return rule.control == 0 || (vm_.controls & rule.control) ? rule.reason : ExitReason::NONE;
}

ExitReason Machine::trap_exit(Cause cause) const {
  const uint32_t c = vm_.controls;
  auto when = [&](uint32_t control, ExitReason r) { return (c & control) ? r : ExitReason::NONE; };
  switch (cause) {
    case Cause::NONE: return ExitReason::NONE;
    case Cause::PAGE_FAULT: return when(vmcb::EXIT_ON_PAGE_FAULT, ExitReason::PAGE_FAULT);
    case Cause::SYSCALL: return when(vmcb::EXIT_ON_SYSCALL, ExitReason::SYSCALL);
    case Cause::TIMER: return when(vmcb::EXIT_ON_TIMER, ExitReason::TIMER);
    case Cause::DEVICE: return when(vmcb::EXIT_ON_IO, ExitReason::DEVICE);
    default: return when(vmcb::EXIT_ON_EXCEPTION, ExitReason::EXCEPTION);
  }
}

Machine::Flow Machine::guest_trap_exit(ExitReason reason, Cause cause, uint32_t detail,
                                       uint32_t badaddr, const isa::Decoded* insn) {
  VmExitInfo x;
  x.reason = reason;
  x.word = insn ? isa::encode(*insn).value_or(0) : 0;
  if (reason == ExitReason::PAGE_FAULT) {
    x.qual = badaddr;
    x.info = detail;
  } else if (reason == ExitReason::EXCEPTION) {
    x.qual = uint32_t(cause) | detail;
    x.info = badaddr;
  }
  return exit_guest(x);
}

}  // namespace trapeze::machine
