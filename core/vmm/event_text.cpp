// An event in words (describe(), event_log.h): what the event log panel, the CLI's
// trace and the tests show. Apart from the log itself (event_log.cpp), which is
// written on every VMM event, so the browser build can compile this for size.
#include <cstdio>

#include "isa/disassemble.h"
#include "isa/vm_control_block.h"
#include "vmm/event_log.h"
#include "vmm/strategy.h"

namespace trapeze::vmm {

namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

std::string fault_text(uint32_t detail) {
  std::string s = (detail & isa::fault::PROTECTION) ? "protection" : "not present";
  s += (detail & isa::fault::EXEC)    ? ", fetch"
       : (detail & isa::fault::WRITE) ? ", write"
                                      : ", read";
  if (detail & isa::fault::USER) s += ", user";
  return s;
}

std::string psw_mode(uint32_t psw) {
  std::string s = (psw & isa::psw::U) ? "user" : "kernel";
  s += (psw & isa::psw::IE) ? ", interrupts on" : ", interrupts off";
  return s;
}

std::string strategy_text(uint32_t kind) {
  if (kind >= std::size(kStrategies)) return "?";
  return std::string(strategy_name(StrategyKind(kind)));
}

std::string_view exit_action_text(uint32_t action) {
  switch (ExitAction(action)) {
#define TRAPEZE_EXIT_ACTION_TEXT(NAME, text) \
  case ExitAction::NAME: return text;
    TRAPEZE_EXIT_ACTIONS(TRAPEZE_EXIT_ACTION_TEXT)
#undef TRAPEZE_EXIT_ACTION_TEXT
  }
  return "?";
}

}  // namespace

std::string describe(const Event& e) {
  // (Built by appending: GCC 12's -Wrestrict misfires on "literal" + std::string temporaries.)
  std::string at = " at ";
  at += hex(e.pc);
  std::string insn = "`";
  insn += isa::disassemble(e.word, e.pc);
  insn += '`';
  switch (e.kind) {
    case EventKind::EMULATE:
      return "emulated " + insn + at +
             " (privileged: it trapped from the deprivileged guest kernel and the VMM "
             "applied it to the virtual CPU; value " +
             hex(e.a) + ")";
    case EventKind::VM_EXIT: {
      const auto reason = isa::vmcb::ExitReason(e.a);
      std::string s = "VM exit" + at + ": " + std::string(isa::vmcb::exit_reason_text(reason));
      if (e.word) s += ", " + insn;
      if (e.b) s += ", qual " + hex(e.b);
      s += "; ";
      s += exit_action_text(e.c);
      return s;
    }
    case EventKind::HYPERCALL:
      return "hypercall " + std::to_string(e.a) + at +
             " (para-virtual: the guest asked the VMM directly; r1 " + hex(e.b) + " -> " +
             hex(e.c) + ")";
    case EventKind::REFLECT: {
      std::string s = "reflected " + std::string(isa::cause_name(e.cause)) + at +
                      " into the guest's trap vector (it belongs to the guest; CAUSE " + hex(e.a);
      if (e.cause == isa::Cause::PAGE_FAULT)
        s += ": " + fault_text(e.a) + ", BADADDR " + hex(e.b);
      else if (e.cause == isa::Cause::MISALIGNED)
        s += ", BADADDR " + hex(e.b);
      return s + ")";
    }
    case EventKind::HIDDEN_FAULT:
      return "hidden page fault" + at + " for " + hex(e.a) + " (" + fault_text(e.b) +
             "): the guest's table maps it, the shadow did not yet; shadow entry filled (host "
             "frame " +
             hex(e.c << isa::kPageShift) + "), guest not involved";
    case EventKind::WRITE_PROTECT:
      return "write-protect trap" + at + ": " + insn + " wrote the guest's page table at " +
             hex(e.a) + " (guest-physical " + hex(e.b) +
             "); the VMM emulated the store and dropped " + std::to_string(e.c) + " shadow entr" +
             (e.c == 1 ? "y" : "ies");
    case EventKind::SHADOW_TABLE:
      return "new shadow tables for guest page-table root " + hex(e.a) +
             ": kernel view at host-physical " + hex(e.b) + ", user view at " + hex(e.c);
    case EventKind::SHADOW_RESET:
      return ShadowReset(e.a) == ShadowReset::PAGING_OFF
                 ? "guest turned paging off: all its shadow tables dropped"
                 : "shadow pool full: all the guest's shadow tables dropped (rebuilt on demand)";
    case EventKind::WORLD_SWITCH:
      return e.a == kNoGuest ? "world switch: this guest is put on the CPU"
                             : "world switch from guest " + std::to_string(e.a) + " to this guest";
    case EventKind::VIRTUAL_INTERRUPT:
      return "virtual " + std::string(isa::cause_name(e.cause)) + " interrupt delivered" + at +
             " to the guest's trap vector " + hex(e.a);
    case EventKind::SENSITIVE_UNPRIVILEGED: {
      const isa::Op op = isa::decode(e.word).op;
      const bool kernel = !(e.b & isa::psw::U);
      std::string s =
          std::string(isa::info(op).mnemonic) + at + " ran in user mode without trapping: ";
      if (op == isa::Op::RDPSW)
        s += "the guest read " + std::string((e.a & isa::psw::U) ? "U=1" : "U=0") +
             ", its virtual PSW says " + psw_mode(e.b);
      else if (op == isa::Op::WRPSW)
        s += "the guest wrote PSW " + hex(e.a) + " (" + psw_mode(e.a) +
             "); in user mode the hardware silently kept U and IE, its virtual PSW stays " +
             psw_mode(e.b);
      else
        s += "the guest read the page-table register " + hex(e.a) +
             " (the VMM's shadow table, not its own root)";
      s += kernel ? " (invisible to a trap-and-emulate VMM)" : " (the guest is in its user mode)";
      return s;
    }
    case EventKind::TRANSLATE:
      return "translated the guest-kernel block" + at + " (guest-physical " + hex(e.a) + ", " +
             std::to_string(e.b) + " instruction" + (e.b == 1 ? "" : "s") +
             (e.c ? ", ending in a callout" : "") + ") into the translation cache";
    case EventKind::INVALIDATE:
      return "invalidated " + std::to_string(e.b) + " translated block" + (e.b == 1 ? "" : "s") +
             " of guest page " + hex(e.a) +
             (Invalidation(e.c) == Invalidation::DMA ? ": a DMA transfer overwrote it"
              : Invalidation(e.c) == Invalidation::ADAPTIVE
                  ? ": re-translated so its page-table store becomes a callout (adaptive)"
                  : ": the guest wrote to its own translated code");
    case EventKind::CALLOUT:
      return "callout " + insn + at +
             (CalloutEntry(e.b) == CalloutEntry::INLINE ? " (translated inline"
                                                        : " (translated into a call") +
             " into the VMM, no trap: applied to the virtual CPU; value " + hex(e.a) + ")";
    case EventKind::HALT: return "guest halted" + at;
    case EventKind::CRASH:
      return e.cause == isa::Cause::NONE
                 ? "guest crashed" + at
                 : "guest crashed" + at + ": triple fault, " +
                       std::string(isa::cause_name(e.cause)) +
                       " while delivering a trap into its unusable trap vector";
    case EventKind::SPIN:
      return "triple fault" + at +
             " with device work in flight: as bare metal, the guest spins at its unusable trap "
             "vector (" + std::to_string(e.a) + " fault" + (e.a == 1 ? "" : "s") +
             ", taken at once) until its next device completion lands";
    case EventKind::LIMIT:
      return std::string("guest stopped") + at + ": " +
             (LimitReached(e.a) == LimitReached::INSTRUCTIONS ? "instruction" : "cycle") +
             " limit reached";
    case EventKind::STRATEGY_SWITCH:
      return "strategy switched" + at + " from " + strategy_text(e.a) + " to " + strategy_text(e.b) +
             " (registers, memory, devices and clocks carried over; tables rebuilt on demand)";
    case EventKind::GUEST_RELOAD:
      return "guest reloaded from a new image under " + strategy_text(e.a) +
             " (the other guests keep running)";
  }
  return "unknown event";
}

}  // namespace trapeze::vmm
