// The Trapeze machine: one processor (CpuState), physical memory, an MMU with a
// TLB, and the devices of isa/ports.h, driven by a fast interpreter that runs in
// bounded slices.
//
// The owner (the CLI, a test, the frontend, or the VMM) drives it:
//   Machine m(config);
//   m.load(base, bytes);  m.set_pc(entry);
//   RunResult r = m.run(1'000'000);      // returns after at most that many instructions
//
// The VMM's hooks:
//   - set_intercept(mask): traps whose cause bit is set stop run() with
//     StopReason::Trap instead of entering the trap vector. The state is precise:
//     as if the trapping instruction had not executed (state().pc is its pc;
//     RunResult::trap.epc says what EPC would have been, pc + 4 for syscall and
//     hypercall). `hypercall` reaches the owner only when HYPERCALL is intercepted
//     (detail = its number); otherwise it is ILLEGAL, as on bare hardware.
//     Intercepted interrupts are taken whatever PSW.IE says (they are the owner's,
//     like VT-x's external-interrupt exiting).
//   - raise()/reflect(): deliver a trap through the trap vector now, as hardware would.
//   - set_address_space(tag): TLB entries are tagged; switching the tag switches
//     address spaces without flushing.
//   - state()/set_state(), peek()/poke(), translate(): side-effect-free inspection
//     and explicit modification for debuggers and world switches.
//   - run()'s third limit, in cycles of the architectural clock (below), lets a VMM
//     stop exactly where a guest's virtual timer or device is due.
//   - vm_enter(vmcb)/vm_exit(): guest mode, the hardware-virtualization
//     extension (guest_mode.cpp; `vmrun` is the same entry for code running on the
//     machine). run() then runs the guest until a VM exit, which writes the guest's
//     state back into the control block, restores the owner's state and stops with
//     StopReason::VmExit (RunResult::exit). Budget stops leave the guest in guest
//     mode; state() is then the guest's.
//   - recent_holes(): the simulator sees the sensitive-but-unprivileged
//     instructions a user-mode program ran (they do not trap, so an owner cannot).
//
// Time: Counters::cycles counts everything the cost model charges, memory-system
// timing (page-walk references) included. Counters::arch_cycles, the architectural
// clock, counts only architectural work: each retired instruction's class cost and
// each trap entered through the vector. The timer and the devices run on the
// architectural clock, so where an interrupt lands does not depend on TLB hits and
// misses; a VMM gives each guest a virtual clock advanced by the same rule, and a
// guest then sees its interrupts at the same instructions as on bare metal.
//
// Design notes (docs/machine.md has the full story): instructions are decoded once
// per physical page into an array of isa::Decoded; the loop fetches from a latched
// page pointer; loads and stores hit an inline TLB fast path; the slow paths (TLB
// miss, page walk, traps, system instructions, devices) are out of line. Slow
// conditions (timer, devices, interrupts, breakpoints, the budget) are checked at a
// precomputed cycle boundary, not per instruction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "isa/isa.h"
#include "isa/vm_control_block.h"
#include "machine/block_chain.h"
#include "machine/cost_model.h"
#include "machine/counters.h"
#include "machine/cpu_state.h"
#include "machine/device_bus.h"
#include "machine/devices.h"
#include "machine/page_walker.h"
#include "machine/physical_memory.h"
#include "machine/tlb.h"

namespace trapeze::machine {

struct MachineConfig {
  uint32_t memory_bytes = 1u << 20;    // multiple of 4 KiB, 4 KiB .. 256 MiB
  TlbConfig tlb;                       // 64 entries, fully associative
  uint32_t disk_sectors = 2048;        // 1 MiB disk, 1 .. 131072 sectors (64 MiB)
  uint32_t console_limit = 64u << 10;  // bytes kept; the rest is dropped and counted
  CostModel cost;
  BlockDeviceConfig block;             // queue depth, service times (devices.h)
};
inline constexpr uint32_t kMaxDiskSectors = 131072;
// Empty if the configuration is usable, else what is wrong with it.
std::string validate(const MachineConfig& config);

enum class StopReason : uint8_t {
  Budget,      // the instruction or cycle budget of this run() is used up
  Halted,      // `halt` in kernel mode (the machine stays halted until clear_halted())
  Trap,        // an intercepted trap: see RunResult::trap
  Breakpoint,  // a debugger breakpoint (state().pc is at it; the instruction has not run)
  VmExit,      // guest mode entered with vm_enter() left: see RunResult::exit
  FixedPoint,  // a fetch fault at the trap vector whose delivery would change nothing
               // (only with set_stop_at_fixed_point; nothing was executed or counted)
};
// "budget", "halted", "trap", "breakpoint", "vm_exit", "fixed_point"
std::string_view stop_reason_name(StopReason r);

// What a VM exit reports (also written into the control block: EXIT_REASON,
// EXIT_QUAL, EXIT_INFO, EXIT_ADDR, EXIT_INSN, GUEST_PC).
struct VmExitInfo {
  isa::vmcb::ExitReason reason = isa::vmcb::ExitReason::NONE;
  uint32_t qual = 0;  // see the reason's text
  uint32_t info = 0;  // PAGE_FAULT, NESTED_FAULT: isa::fault detail bits; EXCEPTION: BADADDR
  uint32_t addr = 0;  // NESTED_FAULT: the guest-virtual address
  uint32_t word = 0;  // the exiting instruction (0: none)
  uint32_t pc = 0;    // the guest's pc: the exiting instruction (precise: it has not run)
};

struct TrapEvent {
  isa::Cause cause = isa::Cause::NONE;
  uint32_t detail = 0;   // page-fault detail bits (isa::fault); hypercall: its number
  uint32_t badaddr = 0;  // page fault, misaligned: the faulting address
  uint32_t pc = 0;       // the trapping instruction (interrupts: the next instruction)
  uint32_t epc = 0;      // what the hardware would save in EPC
  uint32_t word = 0;     // the instruction word (0 for interrupts and fetch faults)
  isa::Decoded insn;     // decode(word)
  bool user = false;     // the processor was in user mode
};

struct RunResult {
  StopReason reason = StopReason::Budget;
  uint64_t instructions = 0;  // retired during this call
  uint64_t faulted = 0;       // executed but raised an exception instead of retiring
  uint64_t cycles = 0;        // simulated cycles elapsed during this call
  uint64_t arch_cycles = 0;   // architectural-clock cycles elapsed during this call
  TrapEvent trap;             // valid when reason == Trap
  VmExitInfo exit;            // valid when reason == VmExit
};

// A sensitive-but-unprivileged instruction that ran in user mode (Machine::recent_holes).
struct HoleRecord {
  uint64_t seq = 0;            // Counters::holes_in_user after it (0: empty slot)
  uint32_t pc = 0;
  uint32_t word = 0;           // the instruction
  uint32_t value = 0;          // rdpsw/sptr: what it read; wrpsw: what it tried to write
};
inline constexpr size_t kHoleHistory = 8;

// FNV-1a 64 over r0..r15, pc, psw, ptr, tvec, cr[0..5], timer_period (each as 4
// little-endian bytes, in that order), then every byte of `memory`. Machine::state_hash
// is this over the machine's state and memory; a VMM uses the same function over a
// guest's virtual CPU and guest-physical memory, so equal hashes mean equal
// guest-visible state.
uint64_t state_hash(const CpuState& s, std::span<const uint8_t> memory);

class Machine {
 public:
  static constexpr uint64_t kNoLimit = ~uint64_t(0);

  // An invalid config (see validate()) is replaced by the defaults.
  explicit Machine(const MachineConfig& config = {});
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const MachineConfig& config() const { return config_; }
  // Power-on: registers, memory, TLB, devices, disk, console and counters cleared.
  void reset();

  // ---- running ----------------------------------------------------------------
  // Runs until `max_instructions` instructions have executed (retired or faulted),
  // `max_cycles` cycles (Counters::cycles) or `max_arch_cycles` architectural-clock
  // cycles (Counters::arch_cycles) have elapsed, a halt, an intercepted trap or a
  // breakpoint. Stops at the first instruction boundary where a limit is reached.
  // Always returns; deterministic; slicing a run into several calls gives exactly
  // the same state and counters as one call.
  RunResult run(uint64_t max_instructions, uint64_t max_cycles = kNoLimit,
                uint64_t max_arch_cycles = kNoLimit);
  RunResult step() { return run(1); }
  bool halted() const { return halted_; }
  void clear_halted() { halted_ = false; }

  // ---- the owner's hooks (the VMM) ----------------------------------------------
  // Told where translated blocks end (binary translation's fast path: its blocks
  // chained inside one run()). While one is set, run() calls block_end() at the
  // first instruction boundary after a block-ending instruction that runs inline
  // (the ISA table's ends_block rows: branches, jmp, call, jr, callr, ret), after
  // running off a page's end, and once `observe_at` instructions have retired in
  // this run() — each time after the boundary's own checks, only if they let the
  // run go on; the state and counters are not synced then (only pc and the retired
  // count are given). block_end() returns false to stop the run there (StopReason::Budget),
  // else true with the next `observe_at` (instructions retired in this run()).
  //
  // The loop also follows the chains the observer linked in this run by itself
  // (block_chain.h): it then does at a block's end what the observer did there the
  // first time, without calling it. The observer tells it where the run starts
  // (set_block_observer(), chain_run().owed) and, at each block_end()
  // that enters a block, which block that is; when the run stops, run_stopped()
  // lets it take over what the loop did by itself.
  class BlockObserver {
   public:
    virtual bool block_end(uint32_t pc, uint64_t retired, uint64_t& observe_at) = 0;
    virtual void run_stopped() = 0;

   protected:
    ~BlockObserver() = default;
  };
  // For the observer, inside block_end() only: VMM work of `cycles` host cycles charged
  // to the guest between two blocks, which the run's cycle budget pays as if the run
  // had stopped there and a new one begun with that much less. False, and nothing
  // spent, if it would use up the budget: the observer then stops the run, and the
  // VMM does that work outside it.
  bool spend_cycles(uint64_t cycles) {
    if (cycle_stop_ - observe_now_ <= cycles) return false;
    slice_.cycle_end -= cycles;
    cycle_stop_ -= cycles;
    boundary_at_ = std::min(boundary_at_, cycle_stop_);
    return true;
  }
  // nullptr: none (the plain loop). For the next run() call until cleared; `at` is
  // the block the run starts in, its end `observe_at` instructions away.
  void set_block_observer(BlockObserver* o, uint64_t observe_at, ChainedBlock* at) {
    observer_ = o;
    observe_at_ = o ? observe_at : kNoLimit;
    chain_ = ChainRun{};
    chain_.at = at;
  }
  ChainRun& chain_run() { return chain_; }
  // Where the block chain_run().at began: instructions retired in this run (modulo 2^64).
  uint64_t chain_start() const { return observe_at_ - chain_.at->length; }
  static constexpr uint32_t cause_bit(isa::Cause c) { return 1u << unsigned(c); }
  void set_intercept(uint32_t cause_mask) { intercept_ = cause_mask; }
  uint32_t intercept() const { return intercept_; }
  // Delivers a trap through the trap vector now (EPC = epc, EPSW = PSW, CAUSE =
  // cause | detail, BADADDR for page faults and misaligned accesses), as hardware
  // would; counted in raised_by_owner, not in traps[].
  void raise(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc);
  void reflect(const TrapEvent& t) { raise(t.cause, t.detail, t.badaddr, t.epc); }
  // Asserts an interrupt line as a device would (TIMER or DEVICE).
  void post_interrupt(isa::Cause cause);
  uint32_t pending_interrupts() const { return bus_.pending(); }  // cause_bit() set

  // The triple fault's fixed point: the processor at its trap vector, failing to
  // fetch it, every delivery of that fault writing what the registers already hold.
  // Bare metal spins there (its devices still run); with this set, run() stops
  // instead (StopReason::FixedPoint, the fault neither executed nor counted), so the
  // owner can decide what the spin would do (vmm/guest.h). Not for a guest entered
  // by `vmrun`: that is the code's business.
  void set_stop_at_fixed_point(bool on) { stop_at_fixed_point_ = on; }
  // The root window: a page-table register in [window, window + size) is walked
  // from base + (PTR - window), so an owner can run code on a table without the
  // register (which `sptr` reveals in any mode) holding the table's real address:
  // a VMM gives each guest's tables guest-relative addresses this way. size 0: none.
  void set_root_window(uint32_t window, uint32_t base, uint32_t size) {
    root_window_ = {window, base, size};
  }
  // The address the MMU walks from for page-table register `ptr`.
  uint32_t table_root(uint32_t ptr) const {
    const uint32_t offset = ptr - root_window_.window;
    return offset < root_window_.size ? root_window_.base + offset : ptr;
  }

  // TLB address-space tag (0..kMaxAddressSpaceTag); entries of other tags stay.
  void set_address_space(uint32_t tag);
  uint32_t address_space() const { return tag_; }
  void flush_tlb();                   // every entry, every tag
  void flush_tlb_tag(uint32_t tag);   // the entries of one tag
  // The entry for the page holding `va` in address space `tag` (counted in tlb_invlpgs).
  void invalidate_tlb_page(uint32_t va, uint32_t tag);
  std::span<const TlbEntry> tlb_entries() const { return tlb_.entries(); }

  // ---- guest mode (the hardware-virtualization extension; guest_mode.cpp) ----------
  // VM entry from the owner, as `vmrun` does from code: the owner's state (state())
  // is saved, the guest's loaded from the control block at physical `vmcb_pa`, an
  // EVENT_INJECT delivered. False (nothing changed) if already in guest mode or the
  // block is misaligned or outside memory. Costs VM_ENTRY.
  bool vm_enter(uint32_t vmcb_pa);
  // A VM exit now, at an instruction boundary, as an external interrupt of the
  // owner's would cause (e.g. the VMM's timer): the guest's state goes back into the
  // control block with `reason`, the owner's state returns. Costs VM_EXIT.
  void vm_exit(isa::vmcb::ExitReason reason);
  bool in_guest_mode() const { return vm_.active; }
  uint32_t guest_vmcb() const { return vm_.active ? vm_.vmcb : 0; }
  bool nested_paging() const { return vm_.active && vm_.nested; }

  // ---- state --------------------------------------------------------------------
  const CpuState& state() const { return state_; }
  // In guest mode, state() and set_state() are the guest's (the owner's is saved).
  // Replaces the processor state (PSW, PTR and the trap vector keep only their
  // defined bits); a changed timer period restarts the timer as `ldtimer` would.
  void set_state(const CpuState& s);
  void set_reg(int r, uint32_t value);
  void set_pc(uint32_t pc);
  uint64_t timer_deadline() const { return bus_.timer_deadline(); }  // architectural clock

  // ---- memory -------------------------------------------------------------------
  uint32_t memory_size() const { return mem_.size(); }
  // Writes bytes into physical memory, keeping decoded code coherent. False (and
  // nothing written) if out of range. For loaders, debuggers and the VMM.
  bool poke(uint32_t pa, std::span<const uint8_t> bytes);
  bool poke32(uint32_t pa, uint32_t value);
  bool peek(uint32_t pa, std::span<uint8_t> out) const;
  std::optional<uint32_t> peek32(uint32_t pa) const;
  const PhysicalMemory& memory() const { return mem_; }
  // The whole memory as a region (for the page walker, and for a VMM to cut guest
  // regions from: MemoryRegion{region().mem, base, size}). Writes through it are coherent.
  MemoryRegion region() const { return all_; }
  struct Translation {
    bool ok = false;
    uint32_t pa = 0;
    uint32_t fault = 0;  // isa::fault detail bits when !ok
  };
  // Translates with the page tables (not the TLB), without setting A/D bits and
  // without counting: what the current PTR and mode would give.
  Translation translate(uint32_t va, Access access, bool user_mode) const;

  // ---- devices ------------------------------------------------------------------
  const std::string& console() const { return bus_.console(); }
  bool console_truncated() const { return counters_.console_dropped != 0; }
  Disk& disk() { return bus_.disk(); }
  const Disk& disk() const { return bus_.disk(); }
  BlockStatus block_status() const { return bus_.block_status(); }
  const DeviceStats& device_stats() const { return bus_.stats(); }
  // All of the devices' state (timer deadline, console, disk, block device, ring,
  // interrupt lines), for an owner that moves a running system from this machine to
  // another (the VMM switching a guest between bare metal and a virtualized strategy).
  const DeviceBus& devices() const { return bus_; }
  void set_devices(const DeviceBus& bus) {
    bus_ = bus;
    recheck();
  }

  // ---- counters and costs -------------------------------------------------------
  const Counters& counters() const { return counters_; }
  // Continues counting from `c` (both clocks included): the other half of moving a
  // running system onto this machine, so its timer and devices keep their times.
  void restore_counters(const Counters& c) {
    counters_ = c;
    recheck();
  }
  // Of counters().cycles, those spent on VM entries and exits (VM_ENTRY, VM_EXIT):
  // kept apart so the VMM can book them as transitions (vmm/cycle_accounting.h).
  uint64_t vm_transition_cycles() const { return vm_transition_cycles_; }
  const CostModel& cost_model() const { return cost_; }
  void set_cost_model(const CostModel& cost);
  void set_cost(CostEvent e, uint32_t cycles);
  // What one executed instance of `op` costs when it retires (its class row, at
  // least 1): what a VMM charges a guest's virtual clock for an emulated instruction.
  uint32_t insn_cost(isa::Op op) const { return uint32_t(op_cost_[uint8_t(op)]); }

  // The last kHoleHistory sensitive-but-unprivileged instructions run in user mode,
  // oldest first (empty slots have seq 0). Counters::holes_in_user counts them all.
  std::array<HoleRecord, kHoleHistory> recent_holes() const;

  // machine::state_hash() of the processor state and all of physical memory.
  uint64_t state_hash() const;

  // ---- debugger -----------------------------------------------------------------
  // Breakpoints on virtual addresses: run() stops before executing an instruction
  // at one (except the one it starts on). Slows run() down while any is set.
  void add_breakpoint(uint32_t va);
  void remove_breakpoint(uint32_t va);
  void clear_breakpoints() { breakpoints_.clear(); }
  const std::vector<uint32_t>& breakpoints() const { return breakpoints_; }

 private:
  friend struct StateAccess;  // saving and loading its state (machine_state.h)
  enum class Flow : uint8_t { Next, Stop };

  // run() (run_loop.cpp); kObserving: the copy that handles a block observer.
  template <bool kObserving>
  RunResult run_loop(uint64_t max_instructions, uint64_t max_cycles, uint64_t max_arch_cycles);
  // Slow paths, all out of line (machine.cpp, memory_access.cpp, system_insns.cpp).
  // kObserving: run_loop<true>'s (it also keeps what a block observer needs).
  template <bool kObserving>
  Flow boundary();
  // The block observer's turn (run_loop.cpp): at pc, `retired` in this run, the
  // loop's clock `now` (the state and counters need not be synced).
  Flow observe_block_end(uint32_t pc, uint64_t retired, uint64_t now);
  // At the end of the block chain_.at: enters its successor along a link the observer
  // made in this run, as the observer did (false: the observer's turn).
  bool follow_chain(uint32_t pc, uint64_t retired, uint64_t now);
  Flow refill_fetch();
  Flow exec_slow(isa::Decoded d);
  Flow exec_memory(const isa::Decoded& d);
  Flow exec_system(const isa::Decoded& d);
  struct SystemCpu;  // the machine as system_semantics.h's Cpu (system_insns.cpp)
  // The one place traps happen. `retires`: the instruction completes before the
  // trap (syscall), so it counts as retired and EPC is past it.
  Flow take_trap(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc,
                 const isa::Decoded* insn, bool retires = false);
  Flow fault(isa::Cause cause, const isa::Decoded& d, uint32_t detail = 0, uint32_t badaddr = 0) {
    return take_trap(cause, detail, badaddr, state_.pc, &d);
  }
  void deliver(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc);
  // A trap the hardware would deliver (not intercepted, no exit) that is the triple
  // fault's fixed point: see set_stop_at_fixed_point.
  bool at_fixed_point(isa::Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc) const;
  Flow retire(const isa::Decoded& d);                    // pc += 4
  Flow retire_to(const isa::Decoded& d, uint32_t next);  // pc = next
  // TLB lookup for a load/store/fetch in the current mode and address space,
  // walking on a miss. False with isa::fault detail bits in *fault on a fault.
  bool translate_tlb(uint32_t va, Access access, uint32_t* pa, uint32_t* fault);
  void count_walk(const WalkResult& w);
  // The page walk for the current mode (two-dimensional in nested guest mode),
  // setting A/D bits and counted.
  WalkResult walk(uint32_t va, Access access, bool user_mode);
  void write_reg(int r, uint32_t v) {
    state_.r[r] = v;
    state_.r[0] = 0;
  }
  void invalidate_fetch() { fetch_page_ = kNoFetchPage; }
  void recheck() { stop_at_ = boundary_at_ = 0; }
  void set_observe_stop(uint64_t at) {
    observe_stop_ = at;
    stop_at_ = std::min(boundary_at_, at);
  }
  void recompute_op_costs();
  bool user() const { return state_.psw & isa::psw::U; }
  // Architectural work: both clocks. Memory-system timing: Counters::cycles only.
  void charge(uint64_t cycles) {
    counters_.cycles += cycles;
    counters_.arch_cycles += cycles;
  }
  void note_hole(const isa::Decoded& d, uint32_t value);

  // Guest mode (guest_mode.cpp). `by_insn`: entered by `vmrun`, so an exit resumes
  // the host's code after it instead of stopping run().
  bool enter_guest(uint32_t vmcb_pa, bool by_insn);
  Flow exit_guest(const VmExitInfo& x);
  // The exit an instruction causes in guest mode (NONE: it runs on the guest's state).
  isa::vmcb::ExitReason insn_exit(const isa::Decoded& d) const;
  // The exit a trap causes in guest mode (NONE: delivered to the guest's vector).
  isa::vmcb::ExitReason trap_exit(isa::Cause cause) const;
  Flow guest_trap_exit(isa::vmcb::ExitReason reason, isa::Cause cause, uint32_t detail,
                       uint32_t badaddr, const isa::Decoded* insn);
  // A failed translation: a page fault, or in nested guest mode a nested fault (exit).
  Flow page_fault(uint32_t fault_bits, uint32_t va, uint32_t epc, const isa::Decoded* insn);
  uint32_t guest_tag() const;
  bool translating() const { return state_.ptr != 0 || (vm_.active && vm_.nested); }

  static constexpr uint64_t kNoFetchPage = uint64_t(1) << 40;

  MachineConfig config_;
  CpuState state_;
  PhysicalMemory mem_;
  MemoryRegion all_;  // mem_ as a region
  Tlb tlb_;
  Counters counters_;
  uint64_t vm_transition_cycles_ = 0;
  CostModel cost_;
  // Cycles per opcode, from cost_ (at least 1); 64-bit so that the loop adds one to
  // its clock straight from memory.
  uint64_t op_cost_[256] = {};

  uint32_t intercept_ = 0;
  uint32_t tag_ = 0;
  bool halted_ = false;
  bool stop_at_fixed_point_ = false;
  struct RootWindow {
    uint32_t window = 0, base = 0, size = 0;
  } root_window_;

  DeviceBus bus_;  // timer, console, disk, block device, ring; the interrupt lines

  // The fetch latch: the virtual page execution is in and its decoded words.
  uint64_t fetch_page_ = kNoFetchPage;
  const isa::Decoded* fetch_slots_ = nullptr;
  uint32_t fetch_pfn_ = 0;

  // The current run() call.
  struct Slice {
    uint64_t max_steps = 0;
    uint64_t cycle_end = 0;       // in Counters::cycles
    uint64_t arch_end = 0;        // in Counters::arch_cycles
    uint64_t start_cycles = 0;
    uint64_t start_arch_cycles = 0;
    uint64_t retired = 0;   // instructions retired in this call
    uint64_t faulted = 0;   // instructions that raised an exception in this call
    bool skip_breakpoint = false;
    uint32_t start_pc = 0;
  } slice_;
  // The loop stops to look when arch_cycles >= stop_at_, the earlier of
  // boundary_at_ (boundary() is due) and observe_stop_ (the block observer's turn).
  uint64_t stop_at_ = 0;
  uint64_t boundary_at_ = 0;
  BlockObserver* observer_ = nullptr;
  uint64_t observe_at_ = kNoLimit;  // slice_.retired at which to call it
  // The loop's clock by which it has retired observe_at_ or is back to look again
  // (each instruction takes at least a cycle); kNoLimit without an observer. Kept
  // apart from boundary_at_ so a block's end does not cost a boundary().
  uint64_t observe_stop_ = kNoLimit;
  bool observe_pending_ = false;  // run()'s: a block just ended
  // The loop's clock at which the cycle budget (slice_.cycle_end) runs out, as of the
  // last boundary() (kNoLimit: no budget), and the clock of the observer's call.
  uint64_t cycle_stop_ = kNoLimit;
  uint64_t observe_now_ = 0;
  ChainRun chain_;
  StopReason stop_reason_ = StopReason::Budget;
  TrapEvent stop_trap_;

  // Guest mode: what the control block said on entry, and the saved host context.
  struct GuestMode {
    bool active = false;
    bool by_insn = false;
    bool nested = false;
    uint32_t vmcb = 0;
    uint32_t controls = 0;
    uint32_t nested_root = 0;
    uint32_t asid = 0;      // the guest's TLB tag (nested, paging off: asid + 1)
    CpuState host;          // the context vmrun (or the owner) left
    uint32_t host_tag = 0;
  } vm_;
  uint32_t cr_slow_ = 0;  // 1 when mfcr/mtcr must leave the inline path (guest mode, EXIT_ON_PRIV)
  uint32_t nested_fault_gpa_ = 0;  // the last walk's nested fault
  VmExitInfo stop_exit_;

  std::vector<uint32_t> breakpoints_;  // sorted
  std::array<HoleRecord, kHoleHistory> holes_{};  // ring, indexed by seq % kHoleHistory
};

}  // namespace trapeze::machine
