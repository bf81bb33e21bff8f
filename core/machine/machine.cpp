// The Machine's owner API, traps and interrupts, the slice boundary, and the hash.
// The interpreter loop is in run_loop.cpp; loads, stores and fetch in
// memory_access.cpp; the system instructions in system_insns.cpp.
#include "machine/machine.h"

#include <algorithm>

#include "machine/system_semantics.h"

namespace trapeze::machine {

using isa::Cause;

std::string validate(const MachineConfig& c) {
  if (c.memory_bytes < kMinMemoryBytes || c.memory_bytes > kMaxMemoryBytes ||
      c.memory_bytes % isa::kPageSize)
    return "memory size must be a multiple of 4096 between 4 KiB and 256 MiB";
  if (!Tlb::valid_config(c.tlb))
    return "TLB must have 1..1024 entries, and entries/ways must be a power of two";
  if (c.disk_sectors < 1 || c.disk_sectors > kMaxDiskSectors)
    return "disk must have 1..131072 sectors";
  return "";
}

std::string_view stop_reason_name(StopReason r) {
  switch (r) {
    case StopReason::Budget: return "budget";
    case StopReason::Halted: return "halted";
    case StopReason::Trap: return "trap";
    case StopReason::Breakpoint: return "breakpoint";
    case StopReason::VmExit: return "vm_exit";
    case StopReason::FixedPoint: return "fixed_point";
  }
  return "unknown";
}

std::optional<CostEvent> parse_cost_event(std::string_view name) {
  for (const CostEventInfo& e : kCostEvents) {
    if (e.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i)
      same = e.name[i] == (name[i] >= 'a' && name[i] <= 'z' ? char(name[i] - 32) : name[i]);
    if (same) return e.event;
  }
  return std::nullopt;
}

namespace {
const MachineConfig& usable(const MachineConfig& c) {
  static const MachineConfig kDefaults;
  return validate(c).empty() ? c : kDefaults;
}
}  // namespace

Machine::Machine(const MachineConfig& config)
    : config_(usable(config)),
      mem_(config_.memory_bytes),
      all_(MemoryRegion::all(mem_)),
      tlb_(config_.tlb),
      cost_(config_.cost),
      bus_(config_.disk_sectors, config_.console_limit, config_.block) {
  recompute_op_costs();
}

void Machine::reset() {
  state_ = CpuState{};
  mem_.clear();
  tlb_.flush_all();
  counters_ = Counters{};
  halted_ = false;
  bus_.reset();
  holes_ = {};
  vm_ = GuestMode{};
  cr_slow_ = 0;
  invalidate_fetch();
}

// ---------------------------------------------------------------------------------
// Costs

void Machine::recompute_op_costs() {
  // Every instruction takes at least one cycle: run() relies on it to turn its
  // instruction budget into a cycle boundary.
  for (const isa::InsnInfo& i : isa::instructions())
    op_cost_[i.opcode] = std::max<uint32_t>(1, cost_[cost_event(i.cost)]);
  op_cost_[uint8_t(isa::Op::ILLEGAL)] = std::max<uint32_t>(1, cost_[CostEvent::INSN_SYSTEM]);
}

void Machine::set_cost_model(const CostModel& cost) {
  cost_ = cost;
  recompute_op_costs();
}

void Machine::set_cost(CostEvent e, uint32_t cycles) {
  cost_[e] = cycles;
  recompute_op_costs();
}

// ---------------------------------------------------------------------------------
// State and memory access for the owner

void Machine::set_state(const CpuState& s) {
  const uint32_t old_period = state_.timer_period;
  state_ = s;
  state_.r[0] = 0;
  state_.psw &= isa::psw::WRITABLE;
  state_.tvec &= ~3u;
  state_.ptr &= isa::pte::FRAME;
  if (state_.timer_period != old_period)  // as if by ldtimer now
    bus_.set_timer(state_.timer_period, counters_.arch_cycles);
  invalidate_fetch();
  recheck();
}

void Machine::set_reg(int r, uint32_t value) {
  if (r > 0 && r < isa::kNumRegs) state_.r[r] = value;
}

void Machine::set_pc(uint32_t pc) {
  state_.pc = pc;
  invalidate_fetch();
}

bool Machine::poke(uint32_t pa, std::span<const uint8_t> bytes) { return mem_.write(pa, bytes); }
bool Machine::poke32(uint32_t pa, uint32_t value) { return mem_.write32(pa, value); }
bool Machine::peek(uint32_t pa, std::span<uint8_t> out) const { return mem_.read(pa, out); }
std::optional<uint32_t> Machine::peek32(uint32_t pa) const {
  if (!mem_.contains(pa, 4)) return std::nullopt;
  return mem_.read32(pa);
}

Machine::Translation Machine::translate(uint32_t va, Access access, bool user_mode) const {
  Translation t;
  if (!translating()) {
    t.ok = mem_.contains(va, 1);
    t.pa = va;
    return t;
  }
  const WalkResult w =
      vm_.active && vm_.nested
          ? walk_nested(all_, vm_.nested_root, state_.ptr, va, access, user_mode, false)
          : walk_page_tables(all_, table_root(state_.ptr), va, access, user_mode,
                             /*writeback=*/false);
  t.ok = w.ok;
  t.pa = (w.pfn << isa::kPageShift) | (va & (isa::kPageSize - 1));
  t.fault = w.fault;
  return t;
}

void Machine::set_address_space(uint32_t tag) {
  tag_ = std::min(tag, kMaxAddressSpaceTag);
  invalidate_fetch();
}

void Machine::flush_tlb() {
  tlb_.flush_all();
  ++counters_.tlb_flushes;
  invalidate_fetch();
}

void Machine::flush_tlb_tag(uint32_t tag) {
  tlb_.flush_tag(tag);
  ++counters_.tlb_flushes;
  invalidate_fetch();
}

void Machine::invalidate_tlb_page(uint32_t va, uint32_t tag) {
  tlb_.invalidate(va >> isa::kPageShift, std::min(tag, kMaxAddressSpaceTag));
  ++counters_.tlb_invlpgs;
  invalidate_fetch();
}

void Machine::note_hole(const isa::Decoded& d, uint32_t value) {
  const uint64_t seq = ++counters_.holes_in_user;
  holes_[seq % kHoleHistory] = HoleRecord{seq, state_.pc, isa::encode(d).value_or(0), value};
}

std::array<HoleRecord, kHoleHistory> Machine::recent_holes() const {
  std::array<HoleRecord, kHoleHistory> out{};
  const uint64_t last = counters_.holes_in_user;
  for (size_t i = 0; i < kHoleHistory; ++i) {
    const uint64_t seq = last + 1 + i;  // oldest first: last - 7 .. last
    if (seq <= kHoleHistory) continue;
    out[i] = holes_[(seq - kHoleHistory) % kHoleHistory];
  }
  return out;
}

void Machine::add_breakpoint(uint32_t va) {
  auto it = std::lower_bound(breakpoints_.begin(), breakpoints_.end(), va);
  if (it == breakpoints_.end() || *it != va) breakpoints_.insert(it, va);
}

void Machine::remove_breakpoint(uint32_t va) {
  auto it = std::lower_bound(breakpoints_.begin(), breakpoints_.end(), va);
  if (it != breakpoints_.end() && *it == va) breakpoints_.erase(it);
}

// ---------------------------------------------------------------------------------
// Traps: the one place they are taken.

Machine::Flow Machine::take_trap(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc,
                                 const isa::Decoded* insn, bool retires) {
  if (stop_at_fixed_point_ && !retires && at_fixed_point(cause, detail, badaddr, epc)) {
    stop_reason_ = StopReason::FixedPoint;
    return Flow::Stop;
  }
  ++counters_.traps[size_t(cause)];
  if (isa::is_interrupt(cause)) ++counters_.interrupts;
  // A fault executes no instruction and may cost no cycles (TRAP_ENTRY can be 0),
  // so the budget must be checked before the next one.
  if (!retires) recheck();
  if (vm_.active) {
    // Guest mode: the exit controls decide, not the owner's intercept mask.
    const isa::vmcb::ExitReason x = trap_exit(cause);
    if (x != isa::vmcb::ExitReason::NONE) return guest_trap_exit(x, cause, detail, badaddr, insn);
  } else if (intercept_ & cause_bit(cause)) {
    // Hand it to the owner with the state as if the instruction had not run.
    ++counters_.intercepted;
    if (!isa::is_interrupt(cause)) ++slice_.faulted;
    TrapEvent& t = stop_trap_;
    t = TrapEvent{};
    t.cause = cause;
    t.detail = detail;
    t.badaddr = badaddr;
    t.pc = state_.pc;
    t.epc = epc;
    t.user = user();
    if (insn) {
      t.insn = *insn;
      t.word = mem_.read32((fetch_pfn_ << isa::kPageShift) | (state_.pc & (isa::kPageSize - 1)));
    }
    stop_reason_ = StopReason::Trap;
    return Flow::Stop;
  }
  if (retires) {
    // The instruction completed (syscall): retired in the mode it ran in.
    ++(user() ? counters_.instructions_user : counters_.instructions_kernel);
    ++slice_.retired;
    charge(op_cost_[uint8_t(insn->op)]);
  } else if (!isa::is_interrupt(cause)) {
    ++slice_.faulted;
  }
  deliver(cause, detail, badaddr, epc);
  return Flow::Next;
}

bool Machine::at_fixed_point(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc) const {
  if (vm_.active ? vm_.by_insn || trap_exit(cause) != isa::vmcb::ExitReason::NONE
                 : (intercept_ & cause_bit(cause)) != 0)
    return false;  // not the hardware's to deliver
  const CpuState& s = state_;
  return cause == Cause::PAGE_FAULT && (detail & isa::fault::EXEC) && s.pc == s.tvec &&
         badaddr == s.tvec && epc == s.tvec && s.epc() == epc && s.epsw() == s.psw &&
         s.cause() == (uint32_t(cause) | detail) && s.badaddr() == badaddr &&
         !(s.psw & (isa::psw::U | isa::psw::IE));
}

void Machine::deliver(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc) {
  enter_trap(state_, cause, detail, badaddr, epc, state_.psw);
  state_.pc = state_.tvec;
  charge(cost_[CostEvent::TRAP_ENTRY]);
  invalidate_fetch();
}

void Machine::raise(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc) {
  ++counters_.raised_by_owner;
  halted_ = false;
  deliver(cause, detail, badaddr, epc);
  recheck();
}

void Machine::post_interrupt(Cause cause) {
  bus_.post(cause);
  recheck();
}

// ---------------------------------------------------------------------------------
// The slice boundary: everything the loop does not check per instruction.

template <bool kObserving>
Machine::Flow Machine::boundary() {
  bus_.process_events(counters_.arch_cycles, state_.timer_period, all_, counters_);

  // Interrupts, at an instruction boundary: TIMER before DEVICE. Taken when
  // PSW.IE = 1, or always if the owner intercepts that cause. In guest mode one
  // its exit controls claim exits (whatever the guest's IE) and stays pending for
  // the host; the others are the guest's.
  if (const uint32_t pending = bus_.pending()) {
    for (Cause c : {Cause::TIMER, Cause::DEVICE}) {
      if (!(pending & cause_bit(c))) continue;
      if (vm_.active) {
        if (const isa::vmcb::ExitReason x = trap_exit(c); x != isa::vmcb::ExitReason::NONE)
          return guest_trap_exit(x, c, 0, 0, nullptr);  // Next: the host resumes here
      }
      const bool owner = !vm_.active && (intercept_ & cause_bit(c));
      if (!owner && !(state_.psw & isa::psw::IE)) continue;
      bus_.take(c);
      if (take_trap(c, 0, 0, state_.pc, nullptr) == Flow::Stop) return Flow::Stop;
      break;  // the handler runs with IE = 0
    }
  }

  // Interrupt-window exiting: the VMM holds an interrupt until the guest can take it.
  if (vm_.active && (vm_.controls & isa::vmcb::EXIT_ON_INTR_WINDOW) && (state_.psw & isa::psw::IE)) {
    VmExitInfo x;
    x.reason = isa::vmcb::ExitReason::INTR_WINDOW;
    return exit_guest(x);
  }

  if (!breakpoints_.empty()) {
    const bool skip = slice_.skip_breakpoint && state_.pc == slice_.start_pc;
    slice_.skip_breakpoint = false;
    if (!skip && std::binary_search(breakpoints_.begin(), breakpoints_.end(), state_.pc)) {
      stop_reason_ = StopReason::Breakpoint;
      return Flow::Stop;
    }
  }

  const uint64_t steps = slice_.retired + slice_.faulted;
  const uint64_t now = counters_.arch_cycles;  // the loop's clock
  const uint64_t total = counters_.cycles;
  if (steps >= slice_.max_steps || total >= slice_.cycle_end || now >= slice_.arch_end) {
    stop_reason_ = StopReason::Budget;
    return Flow::Stop;
  }
  // The loop counts architectural cycles. Until the next page walk (which calls
  // recheck()), both clocks advance together, so the total-cycle limit is
  // `cycle_end - total` architectural cycles away.
  // Each instruction takes at least one cycle, so `left` more cycles cannot retire
  // more than `left` instructions; we are back here in time to stop exactly.
  const uint64_t left = slice_.max_steps - steps;
  uint64_t stop = std::min(bus_.next_event(state_.timer_period), slice_.arch_end);
  // Already due (a deadline passed while the trap just taken was entered): look
  // again before the next instruction, as a run of one instruction would.
  if (stop < now) stop = now;
  const uint64_t budget = slice_.cycle_end - total;
  if (budget < stop - now) stop = now + budget;
  // (only the block observer's spend_cycles() needs it)
  if (kObserving && observer_) cycle_stop_ = budget > kNoLimit - now ? kNoLimit : now + budget;
  if (left < stop - now) stop = now + left;
  if (!breakpoints_.empty()) stop = now;  // every instruction
  if (kObserving) {
    boundary_at_ = stop;
    stop_at_ = std::min(stop, observe_stop_);
  } else {
    stop_at_ = stop;  // (the plain loop has no observer's stop, and never reads boundary_at_)
  }
  return Flow::Next;
}
template Machine::Flow Machine::boundary<false>();
template Machine::Flow Machine::boundary<true>();

// ---------------------------------------------------------------------------------
// State hash

namespace {
struct Fnv1a64 {
  uint64_t h = 0xcbf29ce484222325ull;
  void byte(uint8_t b) { h = (h ^ b) * 0x100000001b3ull; }
  void word(uint32_t w) {
    for (int i = 0; i < 4; ++i) byte(uint8_t(w >> (8 * i)));
  }
};
}  // namespace

uint64_t state_hash(const CpuState& s, std::span<const uint8_t> memory) {
  Fnv1a64 f;
  for (uint32_t r : s.r) f.word(r);
  f.word(s.pc);
  f.word(s.psw);
  f.word(s.ptr);
  f.word(s.tvec);
  for (uint32_t c : s.cr) f.word(c);
  f.word(s.timer_period);
  for (uint8_t b : memory) f.byte(b);
  return f.h;
}

uint64_t Machine::state_hash() const {
  return machine::state_hash(state_, std::span<const uint8_t>(mem_.data(), mem_.size()));
}

}  // namespace trapeze::machine
