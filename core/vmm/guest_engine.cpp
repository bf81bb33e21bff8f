#include "vmm/guest_engine.h"

#include <algorithm>
#include <span>

namespace trapeze::vmm {

using isa::Cause;
using isa::Op;
using machine::CostEvent;
using machine::CpuState;

GuestEngine::GuestEngine(Host& host_, Guest& guest_, const GuestPlacement& place_,
                         std::function<uint32_t()> pc_now)
    : host(host_),
      m(host_.machine),
      guest(guest_),
      place(place_),
      shadows(host_.machine, place_, guest_.counters.vmm,
              [this](EventKind k, uint32_t a, uint32_t b, uint32_t c) {
                log(k, guest_pc(), 0, a, b, c);
              }),
      dma{host_.machine.region().mem, place_.region_base, place_.region_size, &dma_pages},
      vcpu(host_, guest_, shadows, dma),
      pc_now_(std::move(pc_now)) {}

machine::Access fault_access(uint32_t detail) {
  return (detail & isa::fault::EXEC)    ? machine::Access::Exec
         : (detail & isa::fault::WRITE) ? machine::Access::Write
                                        : machine::Access::Read;
}

void GuestEngine::stop(GuestState state, std::string reason) {
  guest.state = state;
  guest.reason = std::move(reason);
}

// ---------------------------------------------------------------------------------
// Limits

bool GuestEngine::within_limits() {
  const GuestSetup& cfg = guest.config;
  if (guest.at_break()) return false;  // Vmm::run's break: it yields, still ready
  if (guest.executed >= cfg.max_instructions) {
    log(EventKind::LIMIT, guest_pc(), 0, payload(LimitReached::INSTRUCTIONS));
    stop(GuestState::Stopped, "instruction limit reached");
    return false;
  }
  if (guest_cycles() >= cfg.max_cycles) {
    log(EventKind::LIMIT, guest_pc(), 0, payload(LimitReached::CYCLES));
    stop(GuestState::Stopped, "cycle limit reached");
    return false;
  }
  return true;
}

Limits GuestEngine::run_limits(uint64_t cycles_left) const {
  const GuestSetup& cfg = guest.config;
  Limits l;
  // Its next virtual event (timer, device): run exactly up to it on its clock.
  const uint64_t next = guest.bus.next_event(guest.vcpu.cpu.timer_period);
  // (0 if it is already due: a deadline that passed while an event was delivered.)
  l.arch = next == machine::DeviceBus::kNever ? kNoLimit
                                              : next - std::min(next, guest.vcpu.clock);
  l.instructions = guest.instructions_left();  // its limit or Vmm::run's break
  l.cycles = cycles_left;
  if (cfg.max_cycles != kNoLimit)
    l.cycles = std::min(l.cycles, cfg.max_cycles - guest_cycles());
  return l;
}

// ---------------------------------------------------------------------------------
// The host's counters

void GuestEngine::fold_host_counters() {
  if (!pending_) return;
  pending_ = false;
  const machine::Counters& now = m.counters();
  const machine::Counters& since = pending_since_;
  GuestCounters& gc = guest.counters;
  machine::Counters::add_difference(gc.machine, now, since);
  // The host ran everything in user mode; the guest ran it in its virtual mode:
  // move what the host counted in the other mode over (modulo 2^64, exactly).
  if (pending_user_) {
    const uint64_t kernel = now.instructions_kernel - since.instructions_kernel;
    gc.machine.instructions_user += kernel;
    gc.machine.instructions_kernel -= kernel;
  } else {
    const uint64_t user = now.instructions_user - since.instructions_user;
    gc.machine.instructions_kernel += user;
    gc.machine.instructions_user -= user;
  }
  gc.accounting.guest += now.cycles - since.cycles;  // its own instructions, run on the host
  gc.machine.arch_cycles = guest.vcpu.clock;         // the guest's is its virtual clock
}

uint64_t GuestEngine::guest_cycles() const {
  const uint64_t pending = pending_ ? m.counters().cycles - pending_since_.cycles : 0;
  return guest.counters.machine.cycles + pending;
}

void GuestEngine::log_holes() {
  const uint64_t n = m.counters().holes_in_user;
  if (n == host.holes_seen) return;
  guest.counters.vmm.sensitive_unprivileged += n - host.holes_seen;
  for (const machine::HoleRecord& h : m.recent_holes())
    if (h.seq > host.holes_seen)
      log(EventKind::SENSITIVE_UNPRIVILEGED, h.pc, h.word, h.value,
          VirtualCpuOps::visible_psw(guest.vcpu.cpu.psw, m.state().psw));
  host.holes_seen = n;
}

// ---------------------------------------------------------------------------------
// Devices

bool GuestEngine::process_devices() {
  dma_pages.clear();
  // Host time for the device statistics: the host cycles it has consumed (VMM work
  // included), where its virtual clock leaves the VMM out.
  guest.bus.process_events(guest.vcpu.clock, guest.vcpu.cpu.timer_period, dma,
                           guest.counters.machine, guest_cycles());
  if (dma_pages.empty()) return false;
  fold_host_counters();
  // DMA may have overwritten one of the guest's page tables, or translated code.
  for (uint32_t page : dma_pages) {
    shadows.page_overwritten(page);
    if (shadows.is_code_page(page) && code_written) code_written(page, CodeWrite::Dma);
  }
  return true;
}

// ---------------------------------------------------------------------------------
// Traps into the guest

void GuestEngine::count_reflected(Cause cause) {
  ++guest.counters.vmm.reflected;
  ++guest.counters.vmm.reflected_by_cause[size_t(cause)];
}

bool GuestEngine::fill_made_no_progress(uint32_t pc, uint32_t va, uint32_t word) {
  // A fill that does not let the instruction proceed would loop forever: the VMM
  // would be broken, so the guest stops rather than the host hanging.
  if (pc == stuck_pc_ && va == stuck_va_) {
    if (++stuck_count_ > 8) {
      log(EventKind::CRASH, pc, word, 0, 0, 0, Cause::PAGE_FAULT);
      stop(GuestState::Crashed, "the VMM could not resolve a page fault (a VMM bug)");
      return true;
    }
  } else {
    stuck_pc_ = pc, stuck_va_ = va, stuck_count_ = 1;
  }
  return false;
}

uint64_t spin_or_crash(Guest& guest, const machine::DeviceBus& bus, uint64_t clock,
                       uint32_t trap_entry_cycles, uint32_t tvec, uint32_t crash_a,
                       uint32_t crash_b,
                       const std::function<void(EventKind, uint32_t, uint32_t, Cause)>& log) {
  const uint64_t faults =
      faults_until_next_completion(bus, clock, guest.instructions_left(), trap_entry_cycles);
  if (faults) {
    log(EventKind::SPIN, uint32_t(std::min<uint64_t>(faults, ~uint32_t(0))), 0, Cause::NONE);
    return faults;
  }
  // Nothing in flight: nothing can change its state again. It stops (in that same
  // fixed-point state) and the other guests run on.
  log(EventKind::CRASH, crash_a, crash_b, Cause::PAGE_FAULT);
  guest.state = GuestState::Crashed;
  guest.reason = triple_fault_reason(tvec);
  return 0;
}

uint64_t GuestEngine::spin_at_fixed_point(uint32_t pc, uint32_t tvec, uint64_t keep,
                                          uint32_t crash_a, uint32_t crash_b) {
  const uint32_t trap_entry = m.cost_model()[CostEvent::TRAP_ENTRY];
  const uint64_t faults =
      spin_or_crash(guest, guest.bus, guest.vcpu.clock, trap_entry, tvec, crash_a, crash_b,
                    [&](EventKind k, uint32_t a, uint32_t b, Cause c) { log(k, pc, 0, a, b, 0, c); });
  if (faults) {
    guest.executed += faults - keep;
    guest.vcpu.clock += (faults - keep) * trap_entry;
    guest.counters.machine.arch_cycles = guest.vcpu.clock;
  }
  return faults;
}

bool GuestEngine::triple_fault(machine::Access access, uint32_t pc, uint32_t va, uint32_t detail,
                               uint32_t visible_psw) {
  const CpuState& v = guest.vcpu.cpu;
  if (!(access == machine::Access::Exec && va == v.tvec && v.epc() == v.tvec &&
        v.cause() == (uint32_t(Cause::PAGE_FAULT) | detail) && v.badaddr() == v.tvec &&
        v.epsw() == visible_psw && !(v.psw & (isa::psw::U | isa::psw::IE))))
    return false;
  // A triple fault: its trap vector cannot be fetched, and this fault has already
  // been delivered there — delivering it again changes nothing but the clock. Bare
  // metal spins, and its devices run on: with device work in flight, the faults up
  // to the next completion go onto its clock at once, the last one delivered by the
  // caller as usual (the completion then lands before the vector is fetched again).
  return spin_at_fixed_point(pc, va, /*keep=*/1, detail, va) == 0;
}

// ---------------------------------------------------------------------------------
// Shadow paging

GuestEngine::FaultResult GuestEngine::resolve_fault(const ShadowPageTables::FaultResult& r,
                                                    uint32_t pc, uint32_t word, uint32_t va,
                                                    uint32_t access_detail, bool user,
                                                    uint32_t visible_psw) {
  using isa::fault::EXEC;
  using isa::fault::WRITE;
  FaultResult out;
  switch (r.outcome) {
    case ShadowPageTables::Outcome::Filled:
      if (fill_made_no_progress(pc, va, word)) return out;
      ++guest.counters.vmm.hidden_faults;
      charge(CostEvent::HIDDEN_FAULT);
      out.kind = FaultKind::Hidden;
      out.host_frame = r.host_frame;
      return out;
    case ShadowPageTables::Outcome::WriteProtected:
      out.kind = FaultKind::WriteProtected;
      out.gpa = r.gpa;
      return out;
    case ShadowPageTables::Outcome::GuestFault: break;
  }
  out.detail = r.fault | (access_detail & (WRITE | EXEC)) | (user ? isa::fault::USER : 0);
  if (triple_fault(fault_access(access_detail), pc, va, out.detail, visible_psw)) return out;
  ++guest.executed;
  ++guest.counters.vmm.reflected_faults;
  out.kind = FaultKind::Guest;
  return out;
}

bool GuestEngine::store_for_guest(const isa::Decoded& d, CpuState& regs, uint32_t pc, uint32_t va,
                                  uint32_t gpa) {
  const uint32_t value = regs.r[d.a];  // STW/STB: A = the value; PUSH: A = rs
  switch (d.op) {
    case Op::STW:
      if (!guest.memory.write32(gpa, value)) return false;
      break;
    case Op::STB: {
      const uint8_t byte = uint8_t(value);
      if (!guest.memory.write(gpa, std::span<const uint8_t>(&byte, 1))) return false;
      break;
    }
    case Op::PUSH:
      if (!guest.memory.write32(gpa, value)) return false;
      regs.r[isa::kRegSp] = va;
      break;
    default: return false;
  }
  regs.pc = pc + 4;
  retire(d.op);
  return true;
}

uint32_t GuestEngine::table_written(uint32_t gpa) {
  const uint32_t dropped = shadows.table_written(gpa);
  if (shadows.is_code_page(gpa >> isa::kPageShift) && code_written)
    code_written(gpa >> isa::kPageShift, CodeWrite::Store);
  return dropped;
}

void GuestEngine::count_store(uint32_t dropped) {
  ++guest.counters.vmm.write_protect_traps;
  charge(CostEvent::VMM_EMULATE);
  if (dropped) charge(CostEvent::SHADOW_UPDATE, dropped);
}

void GuestEngine::stop_store_failed(uint32_t pc, uint32_t word) {
  log(EventKind::CRASH, pc, word, 0, 0, 0, Cause::PAGE_FAULT);
  stop(GuestState::Crashed, "the VMM could not emulate a write to a page table (a VMM bug)");
}

// ---------------------------------------------------------------------------------
// Checks

std::string GuestEngine::check_guest_side() const {
  if (std::string e = shadows.check(); !e.empty()) return e;
  return check_virtual_cpu();
}

std::string GuestEngine::check_virtual_cpu() const {
  const CpuState& v = guest.vcpu.cpu;
  if (v.psw & ~isa::psw::WRITABLE) return "its virtual PSW has undefined bits set";
  if (v.ptr & ~isa::pte::FRAME) return "its virtual PTR is not page-aligned";
  if (v.tvec & 3) return "its virtual trap vector is misaligned";
  return "";
}

}  // namespace trapeze::vmm
