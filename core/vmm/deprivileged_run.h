// A guest run deprivileged on the host CPU — its kernel and its user programs
// alike in real user mode — with the VMM intercepting every trap: the run loop,
// world switch, trap handling, emulation on the virtual CPU, reflection and the
// shadow tables' page faults. Trap-and-emulate is this alone; para-virtualization
// and binary translation each hold one and add what they do through Hooks (no
// strategy derives from another). Not a Strategy.
//
//   privileged instruction, guest in its kernel mode   emulated on the virtual CPU
//   privileged instruction, guest in its user mode     reflected as PRIVILEGED
//   syscall, brk, divide by zero, misaligned, illegal  reflected (they belong to the guest)
//     (hypercall, too, unless intercepted: it is ILLEGAL on bare hardware)
//   page fault                                         hidden (fill the shadow), a write to a
//                                                      guest page table (emulate the store),
//                                                      or a true guest fault (reflected)
//   the guest's timer and device interrupts           delivered into its trap vector when
//                                                      its virtual IE is 1
//
// "Reflected" means delivered exactly as bare hardware would: virtual EPC, EPSW,
// CAUSE (with the guest-visible fault detail), BADADDR; virtual PSW.U = 0, IE = 0;
// pc = the virtual trap vector.
#pragma once

#include <cstdint>
#include <string>

#include "machine/machine.h"
#include "vmm/guest_engine.h"

namespace trapeze::vmm {

class DeprivilegedRun {
 public:
  // What a strategy holding this run adds. The defaults are trap-and-emulate's.
  class Hooks {
   public:
    // One step of the run loop, after devices and interrupts: by default run on the
    // host until a trap or a limit.
    virtual Flow step(DeprivilegedRun& run, const Limits& limits);
    // An intercepted `hypercall` (only when the run intercepts them).
    virtual Flow hypercall(DeprivilegedRun& run, const machine::TrapEvent& t);
    // A trapped store was emulated (pc is past it); `table`: it hit a page table.
    virtual void store_emulated(uint32_t pc, uint32_t word, bool table) {
      (void)pc;
      (void)word;
      (void)table;
    }

   protected:
    ~Hooks() = default;
  };

  // `hooks`: nullptr for trap-and-emulate's; `intercept_hypercalls`: HYPERCALL goes to
  // hooks->hypercall() (para-virtual), else it is ILLEGAL as on bare hardware.
  DeprivilegedRun(Host& host, Guest& guest, const GuestPlacement& place, Hooks* hooks,
                  bool intercept_hypercalls);

  GuestEngine& engine() { return e_; }
  const GuestEngine& engine() const { return e_; }

  // The Strategy operations of a deprivileged guest (strategy.h).
  void load();
  void save();
  uint64_t run(uint64_t max_cycles);
  uint32_t hardware_table() const { return e_.shadows.current().root; }
  // Its shadows, its virtual CPU's defined bits, and, while it is on the host CPU,
  // that the host runs it in user mode on its table.
  std::string check() const;

  // Runs the guest on the host for at most `max_instructions` (and the limits),
  // then handles the trap that stopped it, if one did.
  Flow run_on_host(uint64_t max_instructions, const Limits& limits);
  // One trap from the host.
  Flow handle_trap(const machine::TrapEvent& t);

  // How the VMM came to run a privileged or sensitive instruction: it trapped, or
  // binary translation turned it into a callout (inline: into a few instructions
  // on the virtual CPU).
  enum class Entry : uint8_t { Trap, Callout, Inline };
  // The privileged or sensitive instruction `d` (`word`) at `pc` on the virtual CPU.
  // Entry::Trap counts it (emulated), charges VMM_EMULATE and logs EMULATE; a
  // callout's caller counts and charges it.
  Flow emulate(const isa::Decoded& d, uint32_t pc, uint32_t word, Entry entry);
  // Delivers a trap into the guest's virtual trap vector, as hardware would.
  void reflect(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc);
  // Does the store `d` at `pc` to `va` (guest-physical `gpa`) in software (pc past
  // it, retired) and drops what depended on the word; false if `d` is not a store.
  bool apply_store(const isa::Decoded& d, uint32_t pc, uint32_t va, uint32_t gpa,
                   uint32_t& dropped);

  // Puts the guest's virtual state where the hardware needs it: the shadow (or the
  // physical map) for its current root and mode, and its virtual IE as the real IE
  // (the host's interrupts are intercepted whatever IE says, so the bit is free to
  // mirror the guest's: a user program's rdpsw then reads what it would on bare
  // metal; only U, in the guest's kernel mode, is wrong).
  void sync_hardware();
  // The guest-visible PSW: the virtual U and IE, and the FLAGS byte (which lives in
  // the real PSW, since rdpsw/wrpsw act on it directly).
  uint32_t guest_psw() const;

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  uint32_t intercept_mask() const;
  Flow page_fault(const machine::TrapEvent& t);
  Flow emulate_store(const machine::TrapEvent& t, uint32_t gpa);
  // The guest's interrupts: deliver one if it can.
  bool deliver_interrupt();
  // What the page-table register holds for the table at host-physical `root`.
  uint32_t hardware_ptr(uint32_t root) const;

  GuestEngine e_;
  Hooks& hooks_;
  const bool intercept_hypercalls_;
};

}  // namespace trapeze::vmm
