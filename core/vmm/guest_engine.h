// The VMM's side of one guest that runs on the host CPU, shared by every strategy
// that runs one there — trap-and-emulate, para-virtual, binary translation,
// hardware-assisted — and held by each (no strategy derives from another):
// its shadow page tables, its virtual CPU's operations (virtual_cpu.h), the DMA
// window on its memory, its limits, the folding of the host's counters into its
// own, its event log entries, the shadow-fault resolution and the triple-fault
// spin. Not a Strategy: it decides nothing about how the guest runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "machine/machine.h"
#include "vmm/event_log.h"
#include "vmm/guest.h"
#include "vmm/host.h"
#include "vmm/shadow_page_table.h"
#include "vmm/virtual_cpu.h"

namespace trapeze::vmm {

enum class Flow : uint8_t { Continue, Stop };

// The access a page fault's detail bits describe.
machine::Access fault_access(uint32_t detail);

// What the guest may still do in one step of a run loop.
struct Limits {
  uint64_t instructions = kNoLimit;  // executed (retired or faulted)
  uint64_t cycles = kNoLimit;        // host cycles
  uint64_t arch = kNoLimit;          // its virtual clock, to its next device event
};

// How a guest page holding translated code was written (only binary translation
// protects any).
enum class CodeWrite : uint8_t { Store = 1, Dma = 2 };

class GuestEngine {
 public:
  // `pc_now`: the guest's pc for the event log (where the strategy keeps it now).
  GuestEngine(Host& host, Guest& guest, const GuestPlacement& place,
              std::function<uint32_t()> pc_now);
  GuestEngine(const GuestEngine&) = delete;
  GuestEngine& operator=(const GuestEngine&) = delete;

  Host& host;
  machine::Machine& m;
  Guest& guest;
  const GuestPlacement place;
  ShadowPageTables shadows;
  std::vector<uint32_t> dma_pages;  // written by DMA since process_devices() began
  machine::MemoryRegion dma;        // the guest's region, logging DMA writes
  VirtualCpuOps vcpu;
  // A guest page holding translated code was written (set by binary translation).
  std::function<void(uint32_t gframe, CodeWrite how)> code_written;

  uint32_t guest_pc() const { return pc_now_(); }
  bool virtual_user() const { return vcpu.user(); }
  void retire(isa::Op op) { vcpu.retire(op); }
  uint64_t charge(machine::CostEvent e, uint64_t times = 1) { return vcpu.charge(e, times); }
  void log(EventKind kind, uint32_t pc, uint32_t word = 0, uint32_t a = 0, uint32_t b = 0,
           uint32_t c = 0, isa::Cause cause = isa::Cause::NONE) {  // (inline: on every trap)
    Event e;
    e.host_cycle = host.time();
    e.guest_cycle = guest.vcpu.clock;
    e.guest = uint16_t(guest.index);
    e.kind = kind;
    e.cause = cause;
    e.pc = pc;
    e.word = word;
    e.a = a;
    e.b = b;
    e.c = c;
    host.log.push(e);
  }
  void stop(GuestState state, std::string reason);

  // ---- limits ------------------------------------------------------------------
  // The guest's instruction and cycle limits: false (and the guest stopped, logged)
  // once one is reached; false too (the guest left ready) at Vmm::run's break.
  bool within_limits();
  // How far the host may run it now: its remaining instructions, `cycles_left` of
  // host time (and its cycle limit), and architectural cycles up to its next
  // virtual event (so its interrupts land where bare metal takes them).
  Limits run_limits(uint64_t cycles_left) const;

  // ---- the host's counters -------------------------------------------------------
  // The guest's clock and executed count after a run on the host. The host's
  // counters are folded into the guest's lazily (a copy and a subtraction of the
  // whole Counters struct per run would dominate the short runs of binary
  // translation): from begin_host_run() until fold_host_counters(), which happens
  // when the guest's virtual mode changes (its instructions are counted in that
  // mode), before anything the VMM does to the host (a trap's handling, trap entry,
  // a table switch, DMA: the host's TLB counters then move for the VMM, not for the
  // guest), at the end of a run and at save.
  void account(const machine::RunResult& r) {
    guest.vcpu.clock += r.arch_cycles;
    guest.counters.machine.arch_cycles = guest.vcpu.clock;
    guest.executed += r.instructions;
    if (r.instructions) made_progress();
  }
  void begin_host_run() {
    if (pending_ && pending_user_ == virtual_user()) return;
    fold_host_counters();
    pending_ = true;
    pending_user_ = virtual_user();
    pending_since_ = m.counters();
  }
  void fold_host_counters();
  uint64_t guest_cycles() const;  // counters.machine.cycles with the unfolded part
  // The sensitive instructions its user mode (or its deprivileged kernel) ran
  // without trapping since the last look: counted and logged.
  void log_holes();

  // ---- devices -------------------------------------------------------------------
  // Its virtual devices and timer up to its clock. True if DMA wrote its memory:
  // the shadows built from those pages are dropped (and translated code told), and
  // the caller puts its tables back where the hardware needs them.
  bool process_devices();

  // ---- traps into the guest --------------------------------------------------------
  // One more trap delivered into its vector (the count by cause).
  void count_reflected(isa::Cause cause);
  // A fill at (pc, va) that keeps faulting: true (guest crashed) after 8. Any
  // instruction retired in between resets it (made_progress()).
  bool fill_made_no_progress(uint32_t pc, uint32_t va, uint32_t word);
  void made_progress() { stuck_count_ = 0; }
  // A guest page fault fetching its trap vector that is already delivered there
  // (the fixed point bare metal would spin in): true, and the guest crashed, if no
  // device work is in flight; else its clock moves on to its next device completion
  // and false (the caller delivers the fault, the last of that spin).
  bool triple_fault(machine::Access access, uint32_t pc, uint32_t va, uint32_t detail,
                    uint32_t visible_psw);
  // The spin itself, at the fixed point (the last fault delivered there): its
  // faults up to its next device completion, `keep` of them left to the caller to
  // deliver, the others at once on its clock and executed count (spin_or_crash()).
  // 0: the guest is crashed.
  uint64_t spin_at_fixed_point(uint32_t pc, uint32_t tvec, uint64_t keep, uint32_t crash_a,
                               uint32_t crash_b);

  // ---- shadow paging ---------------------------------------------------------------
  // A page fault under shadow paging at `pc` (instruction `word`) on `va`
  // (`access_detail`: its WRITE / EXEC bits) from the guest's `user` mode, whose
  // visible PSW is `visible_psw`; `after_walk` runs after the shadow walk (the pool
  // may have been reset):
  //   Hidden          the shadow was filled (counted, charged): the instruction runs again
  //   WriteProtected  a store into one of its page tables or translated code, at `gpa`:
  //                   the caller does it (store_for_guest, table_written, count_store)
  //   Guest           its own fault, `detail` what it sees (counted, executed; the
  //                   caller delivers it)
  //   Stop            a fill that makes no progress, or a triple fault with nothing
  //                   in flight: the guest stopped, logged
  enum class FaultKind : uint8_t { Hidden, WriteProtected, Guest, Stop };
  struct FaultResult {
    FaultKind kind = FaultKind::Stop;
    uint32_t detail = 0;      // Guest: the guest-visible fault detail
    uint32_t host_frame = 0;  // Hidden: what the shadow now maps
    uint32_t gpa = 0;         // WriteProtected: where the store goes
  };
  template <class AfterWalk>
  FaultResult shadow_fault(uint32_t pc, uint32_t word, uint32_t va, uint32_t access_detail,
                           bool user, uint32_t visible_psw, AfterWalk&& after_walk) {
    const ShadowPageTables::FaultResult r = shadows.handle_fault(va, fault_access(access_detail));
    after_walk();
    return resolve_fault(r, pc, word, va, access_detail, user, visible_psw);
  }
  // The store `d` at `pc` to `va` done by the VMM on `regs` (stw, stb, push, which
  // also moves sp; the caller has the guest-physical address `gpa`): pc past it,
  // retired. False, and nothing done, if `d` is not a store.
  bool store_for_guest(const isa::Decoded& d, machine::CpuState& regs, uint32_t pc, uint32_t va,
                       uint32_t gpa);
  // After such a store at `gpa`: what depended on the word dropped (shadow entries,
  // translated code); the shadow entries dropped.
  uint32_t table_written(uint32_t gpa);
  // Counted and charged as the emulated store it is.
  void count_store(uint32_t dropped);
  // store_for_guest() said it was no store, where the hardware said WRITE: a VMM bug.
  void stop_store_failed(uint32_t pc, uint32_t word);

  // ---- checks ------------------------------------------------------------------------
  // Its shadows and its virtual CPU's defined bits.
  std::string check_guest_side() const;
  std::string check_virtual_cpu() const;  // the virtual PSW, PTR and TVEC keep only defined bits

 private:
  friend struct StateAccess;  // saving and loading its state (vmm_state.h)
  // shadow_fault() after the walk.
  FaultResult resolve_fault(const ShadowPageTables::FaultResult& r, uint32_t pc, uint32_t word,
                            uint32_t va, uint32_t access_detail, bool user, uint32_t visible_psw);

  std::function<uint32_t()> pc_now_;
  bool pending_ = false;       // host counters not folded into the guest's yet
  bool pending_user_ = false;  // the virtual mode they were counted in
  machine::Counters pending_since_;
  uint32_t stuck_pc_ = 0, stuck_va_ = 0, stuck_count_ = 0;  // a fault the shadow cannot resolve
};

// What every strategy does at a triple fault's fixed point (guest.h,
// faults_until_next_completion), with its devices `bus` at its `clock`: the faults
// it spins through up to its next device completion, logged (SPIN, a = how many);
// 0 if no device work is in flight: the guest is crashed there, logged (CRASH,
// a = crash_a, b = crash_b). `log(kind, a, b, cause)` adds the event.
uint64_t spin_or_crash(Guest& guest, const machine::DeviceBus& bus, uint64_t clock,
                       uint32_t trap_entry_cycles, uint32_t tvec, uint32_t crash_a,
                       uint32_t crash_b,
                       const std::function<void(EventKind, uint32_t a, uint32_t b, isa::Cause)>& log);

}  // namespace trapeze::vmm
