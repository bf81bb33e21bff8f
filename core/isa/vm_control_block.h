// The hardware-virtualization extension's control block: the in-memory record
// that `vmrun` reads on VM entry and writes back on VM exit (in the spirit of
// AMD's VMCB / Intel's VMCS). It says which guest events exit to the VMM; all
// other events are handled by the guest itself, in guest mode, at full speed.
#pragma once

#include <cstdint>
#include <string_view>

#include "isa/isa.h"

namespace trapeze::isa::vmcb {

// Word offsets (bytes) inside the 160-byte, 4-byte-aligned control block.
inline constexpr uint32_t EXIT_CONTROLS = 0x00;  // bit set of ExitControl
inline constexpr uint32_t EXIT_REASON = 0x04;    // written on exit (ExitReason)
inline constexpr uint32_t EXIT_QUAL = 0x08;      // written on exit: detail (address, port, word)
inline constexpr uint32_t FLAGS = 0x0C;          // bit 0: nested paging on
inline constexpr uint32_t NESTED_ROOT = 0x10;    // host-physical L1 table of guest-phys -> host-phys
inline constexpr uint32_t GUEST_PC = 0x14;
inline constexpr uint32_t GUEST_PSW = 0x18;
inline constexpr uint32_t GUEST_PTR = 0x1C;
inline constexpr uint32_t GUEST_TVEC = 0x20;
inline constexpr uint32_t GUEST_CR = 0x24;       // 6 words: epc, epsw, cause, badaddr, scratch0, scratch1
inline constexpr uint32_t GUEST_TIMER = 0x3C;    // timer period
inline constexpr uint32_t GUEST_REGS = 0x40;     // 16 words: r0..r15
// Written on exit, beside EXIT_REASON and EXIT_QUAL (what VT-x calls the
// exit-information fields): what a VMM needs to emulate or reflect the event
// without decoding guest memory itself.
inline constexpr uint32_t EXIT_INSN = 0x80;      // the exiting instruction's word (0: none)
inline constexpr uint32_t EXIT_INFO = 0x84;      // PAGE_FAULT, NESTED_FAULT: isa::fault detail bits; EXCEPTION: BADADDR
inline constexpr uint32_t EXIT_ADDR = 0x88;      // NESTED_FAULT: the guest-virtual address being translated
// Read on entry: an event the hardware delivers into the guest's trap vector
// before its first instruction (EPC = GUEST_PC), as if raised there. Cleared on entry.
inline constexpr uint32_t EVENT_INJECT = 0x8C;   // EVENT_VALID | the CAUSE value (cause | detail bits)
inline constexpr uint32_t EVENT_BADADDR = 0x90;  // BADADDR for an injected page fault or misaligned access
inline constexpr uint32_t ASID = 0x94;           // the TLB tag guest mode uses (0..2046; nested
                                                 // mode with the guest's paging off: ASID + 1)
inline constexpr uint32_t SIZE = 0xA0;

inline constexpr uint32_t EVENT_VALID = 1u << 31;

inline constexpr uint32_t FLAG_NESTED = 1u << 0;

// Which events leave guest mode. `hypercall`, `halt` and `vmrun` always exit
// (`halt` and `vmrun` only from the guest's kernel mode: in its user mode they
// raise PRIVILEGED first, like every privileged instruction). Anything else runs
// in guest mode on the guest's own state: its PSW, PTR, trap vector and control
// registers. Without EXIT_ON_IO the machine's devices and timer are the guest's
// (direct assignment).
enum ExitControl : uint32_t {
  EXIT_ON_PRIV = 1u << 0,        // ldtvec, rti, mfcr, mtcr (which otherwise act on the guest's copies)
  EXIT_ON_PSW = 1u << 1,         // ei, di, and wrpsw changing U or IE
  EXIT_ON_IO = 1u << 2,          // in, out, ldtimer (the timer is a device) and DEVICE interrupts
  EXIT_ON_PTR = 1u << 3,         // ldptr, rdptr, sptr, tlbflush, invlpg (shadow paging needs these)
  EXIT_ON_PAGE_FAULT = 1u << 4,  // guest page faults (shadow paging needs these)
  EXIT_ON_SYSCALL = 1u << 5,
  EXIT_ON_EXCEPTION = 1u << 6,   // other exceptions: privileged, illegal, misaligned, divide by zero, breakpoint
  EXIT_ON_TIMER = 1u << 7,       // timer interrupts
  EXIT_ON_INTR_WINDOW = 1u << 8, // the first instruction boundary with the guest's PSW.IE = 1 (VT-x's
                                 // interrupt-window exiting: a VMM holding an interrupt for the guest)
};

#define TRAPEZE_EXIT_REASONS(X)                                              \
  X(NONE, 0, "none")                                                         \
  X(PRIV_INSN, 1, "privileged instruction (qual: instruction word)")         \
  X(PSW_WRITE, 2, "interrupt-flag or mode change (qual: instruction word)")  \
  X(IO, 3, "port I/O or ldtimer (qual: instruction word)")                  \
  X(PTR_OP, 4, "page-table register or TLB operation (qual: instruction word)") \
  X(PAGE_FAULT, 5, "guest page fault (qual: virtual address)")               \
  X(NESTED_FAULT, 6, "guest-physical address not mapped by the VMM (qual: guest-physical address)") \
  X(SYSCALL, 7, "system call")                                               \
  X(EXCEPTION, 8, "exception (qual: CAUSE value)")                           \
  X(TIMER, 9, "timer interrupt")                                             \
  X(HYPERCALL, 10, "hypercall (qual: number)")                               \
  X(HALT, 11, "halt")                                                        \
  X(VMRUN, 12, "vmrun in guest mode (qual: instruction word)")              \
  X(INTR_WINDOW, 13, "the guest enabled interrupts")                         \
  X(DEVICE, 14, "device interrupt")

enum class ExitReason : uint8_t {
#define TRAPEZE_EXIT_ENUM(NAME, code, text) NAME = (code),
  TRAPEZE_EXIT_REASONS(TRAPEZE_EXIT_ENUM)
#undef TRAPEZE_EXIT_ENUM
};
inline constexpr int kNumExitReasons = 16;  // ExitReason values are < 16
std::string_view exit_reason_name(ExitReason r);  // "PAGE_FAULT"

// What an instruction of exit class `c` (the ISA table's `exit` column) exits
// with, and the exit control that asks for it (0: it always exits).
struct ExitRule {
  uint32_t control;
  ExitReason reason;
};
constexpr ExitRule exit_rule(ExitClass c) {
  switch (c) {
    case ExitClass::NONE: return {0, ExitReason::NONE};
    case ExitClass::PRIV: return {EXIT_ON_PRIV, ExitReason::PRIV_INSN};
    case ExitClass::PSW: return {EXIT_ON_PSW, ExitReason::PSW_WRITE};
    case ExitClass::IO: return {EXIT_ON_IO, ExitReason::IO};
    case ExitClass::PTR: return {EXIT_ON_PTR, ExitReason::PTR_OP};
    case ExitClass::HALT: return {0, ExitReason::HALT};
    case ExitClass::HYPERCALL: return {0, ExitReason::HYPERCALL};
    case ExitClass::VMRUN: return {0, ExitReason::VMRUN};
  }
  return {0, ExitReason::NONE};
}
std::string_view exit_reason_text(ExitReason r);  // "guest page fault (qual: virtual address)"

}  // namespace trapeze::isa::vmcb
