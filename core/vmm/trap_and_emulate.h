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
// clear IE, its sptr sees the shadow root — as its place in the guest's own VMM
// area, seen through the host's root window (kRootWindow + its offset from the
// guest's physical map), so it shows that the table is the VMM's, never where the
// guest or its neighbours sit in host memory. That is the documented failure of pure
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
#include "vmm/virtual_cpu.h"

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
  // The shadows and the virtual CPU's defined bits (what check() adds: the host CPU
  // in user mode on the current shadow, which guest mode does not keep).
  std::string check_guest_side() const;
  std::string check_virtual_cpu() const;  // the virtual PSW, PTR and TVEC keep only defined bits
  const ShadowPageTables& shadows() const { return shadows_; }

 protected:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  // For a strategy built on this one (para-virtual: paravirt.h): also intercept
  // HYPERCALL, which then goes to hypercall().
  TrapAndEmulate(Host& host, Guest& guest, const GuestPlacement& place, bool intercept_hypercalls);

  enum class Flow : uint8_t { Continue, Stop };
  // How the VMM came to run a privileged or sensitive instruction: it trapped, or
  // binary translation turned it into a callout (inline: into a few instructions
  // on the virtual CPU).
  enum class Entry : uint8_t { Trap, Callout, Inline };
  enum class CodeWrite : uint8_t { Store = 1, Dma = 2 };
  // What the guest may still do in one step of the run loop.
  struct Limits {
    uint64_t instructions = kNoLimit;  // executed (retired or faulted)
    uint64_t cycles = kNoLimit;        // host cycles
    uint64_t arch = kNoLimit;          // its virtual clock, to its next device event
  };

  // One step of the run loop, after devices and interrupts: here, run on the host
  // until a trap or a limit. A derived strategy may run the guest otherwise.
  virtual Flow step(const Limits& limits);
  // Runs the guest on the host for at most `max_instructions` (and the limits),
  // then handles the trap that stopped it, if one did.
  Flow run_on_host(uint64_t max_instructions, const Limits& limits);
  // A guest page holding translated code was written (only binary translation
  // protects any): its translations are stale.
  virtual void code_written(uint32_t gframe, CodeWrite how) {
    (void)gframe;
    (void)how;
  }
  // A trapped store was emulated (pc is past it); `table`: it hit a page table.
  virtual void store_emulated(const machine::TrapEvent& t, uint32_t gpa, bool table) {
    (void)t;
    (void)gpa;
    (void)table;
  }

  // ---- shared with the hardware-assisted strategy (hardware_assisted.h) ----------
  // The guest's instruction and cycle limits: false (and the guest stopped, logged)
  // once one is reached.
  bool within_limits();
  // The guest's pc now, for the event log.
  virtual uint32_t guest_pc() const { return m_.state().pc; }
  // How far the host may run it now: its remaining instructions, `cycles_left` of
  // host time (and its cycle limit), and architectural cycles up to its next
  // virtual event (so its interrupts land where bare metal takes them).
  Limits run_limits(uint64_t cycles_left) const;
  // The store `d` (stw, stb, push) at `va` into the guest's page table at `gpa`,
  // done by the VMM (push also moves sp). False if `d` is not a store.
  bool store_to_table(const isa::Decoded& d, machine::CpuState& s, uint32_t va, uint32_t gpa);
  // A shadow fill at (pc, va) that keeps faulting: true (guest crashed) after 8.
  bool fill_made_no_progress(uint32_t pc, uint32_t va, uint32_t word);
  // A guest page fault fetching its trap vector that is already delivered there
  // (the fixed point bare metal would spin in): true, and the guest crashed, if no
  // device work is in flight; else its clock moves on to its next device completion
  // and false (the caller delivers the fault, the last of that spin).
  bool triple_fault(machine::Access access, uint32_t pc, uint32_t va, uint32_t detail,
                    uint32_t visible_psw);

  // An intercepted `hypercall` (only when constructed to intercept them). This
  // strategy never intercepts them: the host raises ILLEGAL, which is reflected.
  virtual Flow hypercall(const machine::TrapEvent& t);
  uint32_t intercept_mask() const;

  // One trap from the host.
  Flow handle_trap(const machine::TrapEvent& t);
  // A privileged instruction on the virtual CPU. Entry::Trap counts it (emulated),
  // charges VMM_EMULATE and logs EMULATE; a callout's caller counts and charges it.
  Flow emulate(const machine::TrapEvent& t, Entry entry = Entry::Trap);
  Flow page_fault(const machine::TrapEvent& t);
  Flow emulate_store(const machine::TrapEvent& t, uint32_t gpa);
  // Does the store `t` to guest-physical `gpa` in software (pc past it, retired)
  // and drops the shadow entries built from the word; false if `t` is not a store.
  bool apply_store(const machine::TrapEvent& t, uint32_t gpa, uint32_t& dropped);
  // Delivers a trap into the guest's virtual trap vector, as hardware would.
  void reflect(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc);
  // The guest's interrupts: process its virtual devices up to its clock; deliver one if it can.
  bool deliver_interrupt();
  void process_devices();

  // The virtual CPU's own operations (virtual_cpu.h).
  void retire(isa::Op op) { vcpu_.retire(op); }
  void charge(machine::CostEvent e, uint64_t times = 1) { vcpu_.charge(e, times); }
  // The guest's clock and executed count after a run on the host. The host's
  // counters are folded into the guest's lazily (a copy and a subtraction of the
  // whole Counters struct per run would dominate the short runs of binary
  // translation): from begin_host_run() until fold_host_counters(), which happens
  // when the guest's virtual mode changes (its instructions are counted in that
  // mode), before anything the VMM does to the host (handle_trap, reflect,
  // sync_hardware, DMA: the host's TLB counters then move for the VMM, not for the
  // guest), at the end of run() and at save().
  void account(const machine::RunResult& r);
  void begin_host_run();
  void fold_host_counters();
  uint64_t guest_cycles() const;  // counters.machine.cycles with the unfolded part
  void log_holes();
  void log(EventKind kind, uint32_t pc, uint32_t word = 0, uint32_t a = 0, uint32_t b = 0,
           uint32_t c = 0, isa::Cause cause = isa::Cause::NONE);
  void stop(GuestState state, std::string reason);

  // The guest-visible PSW: the virtual U and IE, and the FLAGS byte (which lives in
  // the real PSW, since rdpsw/wrpsw act on it directly).
  uint32_t guest_psw() const;
  bool virtual_user() const { return vcpu_.user(); }
  // Puts the guest's virtual state where the hardware needs it: the shadow (or the
  // physical map) for its current root and mode, and its virtual IE as the real IE
  // (the host's interrupts are intercepted whatever IE says, so the bit is free to
  // mirror the guest's: a user program's rdpsw then reads what it would on bare
  // metal; only U, in the guest's kernel mode, is wrong).
  // (Virtual: the hardware-assisted strategy puts them into its control block instead.)
  virtual void sync_hardware();

  // What the page-table register holds for the table at host-physical `root`.
  uint32_t hardware_ptr(uint32_t root) const;

  Host& host_;
  machine::Machine& m_;
  Guest& guest_;
  GuestPlacement place_;
  ShadowPageTables shadows_;
  machine::MemoryRegion dma_;  // the guest's region, logging DMA writes
  std::vector<uint32_t> dma_pages_;
  VirtualCpuOps vcpu_;
  bool intercept_hypercalls_ = false;
  bool pending_ = false;          // host counters not folded into the guest's yet
  bool pending_user_ = false;     // the virtual mode they were counted in
  machine::Counters pending_since_;
  uint32_t stuck_pc_ = 0, stuck_va_ = 0, stuck_count_ = 0;  // a fault the shadow cannot resolve
};

}  // namespace trapeze::vmm
