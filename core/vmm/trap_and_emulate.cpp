#include "vmm/trap_and_emulate.h"

#include <algorithm>

namespace trapeze::vmm {

using isa::Cause;
using isa::Op;
using machine::CostEvent;
using machine::CpuState;
namespace psw = isa::psw;

TrapAndEmulate::TrapAndEmulate(Host& host, Guest& guest, const GuestPlacement& place)
    : TrapAndEmulate(host, guest, place, false) {}

TrapAndEmulate::TrapAndEmulate(Host& host, Guest& guest, const GuestPlacement& place,
                               bool intercept_hypercalls)
    : host_(host),
      m_(host.machine),
      guest_(guest),
      place_(place),
      shadows_(host.machine, place, guest.counters.vmm,
               [this](EventKind k, uint32_t a, uint32_t b, uint32_t c) {
                 log(k, guest_pc(), 0, a, b, c);
               }),
      dma_{host.machine.region().mem, place.region_base, place.region_size, &dma_pages_},
      vcpu_(host, guest, shadows_, dma_),
      intercept_hypercalls_(intercept_hypercalls) {}

// Every cause except HYPERCALL (unless para-virtual): a `hypercall` from a guest
// that is not para-virtual is then ILLEGAL, as on bare hardware, and reflected as such.
uint32_t TrapAndEmulate::intercept_mask() const {
  uint32_t mask = 0;
#define TRAPEZE_INTERCEPT_BIT(NAME, code, text) \
  if (Cause::NAME != Cause::NONE && Cause::NAME != Cause::HYPERCALL) mask |= 1u << (code);
  TRAPEZE_CAUSES(TRAPEZE_INTERCEPT_BIT)
#undef TRAPEZE_INTERCEPT_BIT
  if (intercept_hypercalls_) mask |= machine::Machine::cause_bit(Cause::HYPERCALL);
  return mask;
}

TrapAndEmulate::Flow TrapAndEmulate::hypercall(const machine::TrapEvent& t) {
  // Not reached (not intercepted); if it were, it is what bare hardware does.
  charge(CostEvent::TRAP_ENTRY);
  ++guest_.executed;
  reflect(Cause::ILLEGAL, 0, 0, t.pc);
  log(EventKind::REFLECT, t.pc, t.word, guest_.vcpu.cpu.cause(), 0, 0, Cause::ILLEGAL);
  return Flow::Continue;
}

// ---------------------------------------------------------------------------------
// World switch

void TrapAndEmulate::load() {
  const CpuState& v = guest_.vcpu.cpu;
  CpuState s;  // the host's own control registers are of no use to a guest: cleared
  std::copy(std::begin(v.r), std::end(v.r), std::begin(s.r));
  s.pc = v.pc;
  s.psw = psw::U | (v.psw & psw::FLAGS);
  m_.set_state(s);
  m_.set_intercept(intercept_mask());
  // Its tables through the root window: the page-table register, which `sptr`
  // reveals, holds their place in its own VMM area, never a host-physical address.
  m_.set_root_window(kRootWindow, place_.physmap_base,
                     (place_.physmap_pages + kShadowPoolPages) * isa::kPageSize);
  sync_hardware();  // its table (a shadow may be built now), TLB tag and IE
}

uint32_t TrapAndEmulate::hardware_ptr(uint32_t root) const {
  return kRootWindow + (root - place_.physmap_base);
}

void TrapAndEmulate::save() {
  fold_host_counters();
  CpuState& v = guest_.vcpu.cpu;
  const CpuState& s = m_.state();
  std::copy(std::begin(s.r), std::end(s.r), std::begin(v.r));
  v.pc = s.pc;
  v.psw = VirtualCpuOps::visible_psw(v.psw, s.psw);
  guest_.counters.machine.arch_cycles = guest_.vcpu.clock;
}

uint32_t TrapAndEmulate::guest_psw() const {
  return VirtualCpuOps::visible_psw(guest_.vcpu.cpu.psw, m_.state().psw);
}

void TrapAndEmulate::sync_hardware() {
  fold_host_counters();  // the host's TLB counters move now for the VMM, not the guest
  const ShadowPageTables::Hardware hw = shadows_.select(guest_.vcpu.cpu.ptr, virtual_user());
  const CpuState& now = m_.state();
  const uint32_t real_psw = VirtualCpuOps::real_psw(VirtualCpuOps::visible_psw(guest_.vcpu.cpu.psw, now.psw));
  if (now.ptr != hardware_ptr(hw.root) || now.psw != real_psw) {
    CpuState s = now;
    s.ptr = hardware_ptr(hw.root);
    s.psw = real_psw;
    m_.set_state(s);
  }
  if (m_.address_space() != hw.tag) m_.set_address_space(hw.tag);
}

std::string TrapAndEmulate::check_guest_side() const {
  if (std::string e = shadows_.check(); !e.empty()) return e;
  return check_virtual_cpu();
}

std::string TrapAndEmulate::check_virtual_cpu() const {
  const CpuState& v = guest_.vcpu.cpu;
  if (v.psw & ~psw::WRITABLE) return "its virtual PSW has undefined bits set";
  if (v.ptr & ~isa::pte::FRAME) return "its virtual PTR is not page-aligned";
  if (v.tvec & 3) return "its virtual trap vector is misaligned";
  return "";
}

std::string TrapAndEmulate::check() const {
  if (std::string e = check_guest_side(); !e.empty()) return e;
  const uint32_t tag = m_.address_space();
  if (tag < place_.tag_base || tag >= place_.tag_base + kTagsPerGuest) return "";  // not on the CPU
  const ShadowPageTables::Hardware hw = shadows_.current();
  if (!(m_.state().psw & psw::U)) return "it is on the host CPU in kernel mode";
  if (m_.state().ptr != hardware_ptr(hw.root) || tag != hw.tag)
    return "the host CPU walks another table than its current shadow";
  return "";
}

// ---------------------------------------------------------------------------------
// The run loop

bool TrapAndEmulate::within_limits() {
  const GuestSetup& cfg = guest_.config;
  if (guest_.executed >= cfg.max_instructions) {
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

TrapAndEmulate::Limits TrapAndEmulate::run_limits(uint64_t cycles_left) const {
  const GuestSetup& cfg = guest_.config;
  Limits l;
  // Its next virtual event (timer, device): run exactly up to it on its clock.
  const uint64_t next = guest_.bus.next_event(guest_.vcpu.cpu.timer_period);
  // (0 if it is already due: a deadline that passed while an event was delivered.)
  l.arch = next == machine::DeviceBus::kNever ? kNoLimit
                                              : next - std::min(next, guest_.vcpu.clock);
  l.instructions =
      cfg.max_instructions == kNoLimit ? kNoLimit : cfg.max_instructions - guest_.executed;
  l.cycles = cycles_left;
  if (cfg.max_cycles != kNoLimit)
    l.cycles = std::min(l.cycles, cfg.max_cycles - guest_cycles());
  return l;
}

uint64_t TrapAndEmulate::run(uint64_t max_cycles) {
  const uint64_t start = host_.time();
  while (guest_.ready()) {
    const uint64_t used = host_.time() - start;
    if (used >= max_cycles) break;
    // The guest's devices and timer, on its virtual clock; an interrupt if it takes
    // one — before the limits, as the machine takes an interrupt due at the boundary
    // where its instruction budget ends (delivering one executes no instruction).
    process_devices();
    if (deliver_interrupt()) continue;
    if (!within_limits()) break;

    // Run until its next virtual event is due, the quantum or a limit is used up,
    // or a trap.
    if (step(run_limits(max_cycles - used)) == Flow::Stop) break;
  }
  fold_host_counters();
  return host_.time() - start;
}

TrapAndEmulate::Flow TrapAndEmulate::step(const Limits& limits) {
  return run_on_host(limits.instructions, limits);
}

TrapAndEmulate::Flow TrapAndEmulate::run_on_host(uint64_t max_instructions, const Limits& limits) {
  begin_host_run();
  const machine::RunResult r =
      m_.run(std::min(max_instructions, limits.instructions), limits.cycles, limits.arch);
  account(r);
  log_holes();
  if (r.reason == machine::StopReason::Trap) return handle_trap(r.trap);
  if (r.reason == machine::StopReason::Halted) {  // user mode cannot halt the host
    m_.clear_halted();
    stop(GuestState::Crashed, "the host CPU halted");
    return Flow::Stop;
  }
  return Flow::Continue;
}

void TrapAndEmulate::account(const machine::RunResult& r) {
  guest_.vcpu.clock += r.arch_cycles;
  guest_.counters.machine.arch_cycles = guest_.vcpu.clock;
  guest_.executed += r.instructions;
  if (r.instructions) stuck_count_ = 0;
}

void TrapAndEmulate::begin_host_run() {
  if (pending_ && pending_user_ == virtual_user()) return;
  fold_host_counters();
  pending_ = true;
  pending_user_ = virtual_user();
  pending_since_ = m_.counters();
}

void TrapAndEmulate::fold_host_counters() {
  if (!pending_) return;
  pending_ = false;
  machine::Counters d = m_.counters() - pending_since_;
  // The host ran everything in user mode; the guest ran it in its virtual mode.
  const uint64_t retired = d.instructions_user + d.instructions_kernel;
  d.instructions_user = d.instructions_kernel = 0;
  (pending_user_ ? d.instructions_user : d.instructions_kernel) = retired;
  d.arch_cycles = 0;  // the guest's is its virtual clock
  GuestCounters& gc = guest_.counters;
  gc.machine += d;
  gc.accounting.guest += d.cycles;  // its own instructions, run on the host
  gc.machine.arch_cycles = guest_.vcpu.clock;
}

uint64_t TrapAndEmulate::guest_cycles() const {
  const uint64_t pending = pending_ ? m_.counters().cycles - pending_since_.cycles : 0;
  return guest_.counters.machine.cycles + pending;
}

void TrapAndEmulate::log_holes() {
  const uint64_t n = m_.counters().holes_in_user;
  if (n == host_.holes_seen) return;
  guest_.counters.vmm.sensitive_unprivileged += n - host_.holes_seen;
  for (const machine::HoleRecord& h : m_.recent_holes())
    if (h.seq > host_.holes_seen)
      log(EventKind::SENSITIVE_UNPRIVILEGED, h.pc, h.word, h.value, guest_psw());
  host_.holes_seen = n;
}

void TrapAndEmulate::log(EventKind kind, uint32_t pc, uint32_t word, uint32_t a, uint32_t b,
                         uint32_t c, Cause cause) {
  Event e;
  e.host_cycle = host_.time();
  e.guest_cycle = guest_.vcpu.clock;
  e.guest = uint16_t(guest_.index);
  e.kind = kind;
  e.cause = cause;
  e.pc = pc;
  e.word = word;
  e.a = a;
  e.b = b;
  e.c = c;
  host_.log.push(e);
}

void TrapAndEmulate::stop(GuestState state, std::string reason) {
  guest_.state = state;
  guest_.reason = std::move(reason);
}

// ---------------------------------------------------------------------------------
// Interrupts and devices

void TrapAndEmulate::process_devices() {
  dma_pages_.clear();
  // Host time for the device statistics: the host cycles it has consumed (VMM work
  // included), where its virtual clock leaves the VMM out.
  guest_.bus.process_events(guest_.vcpu.clock, guest_.vcpu.cpu.timer_period, dma_,
                            guest_.counters.machine, guest_cycles());
  if (dma_pages_.empty()) return;
  fold_host_counters();
  // DMA may have overwritten one of the guest's page tables, or translated code.
  for (uint32_t page : dma_pages_) {
    shadows_.page_overwritten(page);
    if (shadows_.is_code_page(page)) code_written(page, CodeWrite::Dma);
  }
  sync_hardware();
}

bool TrapAndEmulate::deliver_interrupt() {
  const uint32_t pending = guest_.bus.pending();
  if (!pending || !(guest_.vcpu.cpu.psw & psw::IE)) return false;
  for (Cause c : {Cause::TIMER, Cause::DEVICE}) {
    if (!(pending & machine::DeviceBus::line(c))) continue;
    guest_.bus.take(c);
    const uint32_t pc = m_.state().pc;
    ++guest_.counters.vmm.virtual_interrupts;
    reflect(c, 0, 0, pc);
    log(EventKind::VIRTUAL_INTERRUPT, pc, 0, guest_.vcpu.cpu.tvec, 0, 0, c);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------
// Traps

TrapAndEmulate::Flow TrapAndEmulate::handle_trap(const machine::TrapEvent& t) {
  fold_host_counters();
  // A hypercall is priced by its own cost row (HYPERCALL), not TRAP_ENTRY.
  if (t.cause == Cause::HYPERCALL) return hypercall(t);
  charge(CostEvent::TRAP_ENTRY);  // the hardware's trap into the VMM
  switch (t.cause) {
    case Cause::PRIVILEGED:
      if (!virtual_user()) return emulate(t);
      break;  // the guest's user program: the guest kernel's business
    case Cause::PAGE_FAULT: return page_fault(t);
    case Cause::TIMER:
    case Cause::DEVICE: return Flow::Continue;  // the host's own lines; the VMM keeps them quiet
    case Cause::SYSCALL:                        // completes, then traps (EPC = pc + 4)
      retire(Op::SYSCALL);
      reflect(t.cause, t.detail, t.badaddr, t.epc);
      log(EventKind::REFLECT, t.pc, t.word, guest_.vcpu.cpu.cause(), guest_.vcpu.cpu.badaddr(), 0,
          t.cause);
      return Flow::Continue;
    default: break;
  }
  ++guest_.executed;  // executed, faulted
  reflect(t.cause, t.detail, t.badaddr, t.epc);
  log(EventKind::REFLECT, t.pc, t.word, guest_.vcpu.cpu.cause(), guest_.vcpu.cpu.badaddr(), 0,
      t.cause);
  return Flow::Continue;
}

void TrapAndEmulate::reflect(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc) {
  fold_host_counters();
  vcpu_.enter_trap(cause, detail, badaddr, epc, guest_psw());
  m_.set_pc(guest_.vcpu.cpu.tvec);
  ++guest_.counters.vmm.reflected;
  ++guest_.counters.vmm.reflected_by_cause[size_t(cause)];
  charge(CostEvent::VMM_REFLECT);
  sync_hardware();  // the kernel view of its address space
}

TrapAndEmulate::Flow TrapAndEmulate::emulate(const machine::TrapEvent& t, Entry entry) {
  CpuState s = m_.state();
  const VirtualCpuOps::Result r = vcpu_.execute(t.insn, s, t.pc);
  if (r.outcome == VirtualCpuOps::Outcome::Fault) {  // as on bare metal: at the instruction
    ++guest_.executed;
    reflect(r.cause, 0, r.badaddr, t.pc);
    const CpuState& v = guest_.vcpu.cpu;
    log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, r.cause);
    return Flow::Continue;
  }
  if (entry == Entry::Trap) {  // a callout is counted and charged by its caller
    ++guest_.counters.vmm.emulated;
    ++guest_.counters.vmm.emulated_by_op[uint8_t(t.insn.op)];
    charge(CostEvent::VMM_EMULATE);
  }
  m_.set_state(s);
  sync_hardware();  // ldptr, rti, wrpsw: another table or view, the real IE
  if (entry == Entry::Trap)
    log(EventKind::EMULATE, t.pc, t.word, r.value);
  else
    log(EventKind::CALLOUT, t.pc, t.word, r.value, payload(entry == Entry::Inline ? CalloutEntry::INLINE : CalloutEntry::CALL));
  if (r.outcome == VirtualCpuOps::Outcome::Halt) {
    log(EventKind::HALT, t.pc, t.word);
    stop(GuestState::Halted, "");
    return Flow::Stop;
  }
  return Flow::Continue;
}

TrapAndEmulate::Flow TrapAndEmulate::page_fault(const machine::TrapEvent& t) {
  using isa::fault::EXEC;
  using isa::fault::WRITE;
  const machine::Access access = (t.detail & EXEC)    ? machine::Access::Exec
                                 : (t.detail & WRITE) ? machine::Access::Write
                                                      : machine::Access::Read;
  const ShadowPageTables::FaultResult r = shadows_.handle_fault(t.badaddr, access);
  sync_hardware();  // the pool may have been reset
  switch (r.outcome) {
    case ShadowPageTables::Outcome::Filled:
      if (fill_made_no_progress(t.pc, t.badaddr, t.word)) return Flow::Stop;
      ++guest_.counters.vmm.hidden_faults;
      charge(CostEvent::HIDDEN_FAULT);
      log(EventKind::HIDDEN_FAULT, t.pc, 0, t.badaddr, t.detail & ~isa::fault::USER, r.host_frame,
          Cause::PAGE_FAULT);
      return Flow::Continue;
    case ShadowPageTables::Outcome::WriteProtected: return emulate_store(t, r.gpa);
    case ShadowPageTables::Outcome::GuestFault: break;
  }
  const uint32_t detail =
      r.fault | (t.detail & (WRITE | EXEC)) | (virtual_user() ? isa::fault::USER : 0);
  if (triple_fault(access, t.pc, t.badaddr, detail, guest_psw())) return Flow::Stop;
  ++guest_.executed;
  ++guest_.counters.vmm.reflected_faults;
  reflect(Cause::PAGE_FAULT, detail, t.badaddr, t.epc);
  log(EventKind::REFLECT, t.pc, t.word, guest_.vcpu.cpu.cause(), t.badaddr, 0, Cause::PAGE_FAULT);
  return Flow::Continue;
}

bool TrapAndEmulate::fill_made_no_progress(uint32_t pc, uint32_t va, uint32_t word) {
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

bool TrapAndEmulate::triple_fault(machine::Access access, uint32_t pc, uint32_t va,
                                  uint32_t detail, uint32_t visible_psw) {
  const CpuState& v = guest_.vcpu.cpu;
  if (!(access == machine::Access::Exec && va == v.tvec && v.epc() == v.tvec &&
        v.cause() == (uint32_t(Cause::PAGE_FAULT) | detail) && v.badaddr() == v.tvec &&
        v.epsw() == visible_psw && !(v.psw & (psw::U | psw::IE))))
    return false;
  // A triple fault: its trap vector cannot be fetched, and this fault has already
  // been delivered there — delivering it again changes nothing but the clock. Bare
  // metal spins, and its devices run on: with device work in flight, the faults up
  // to the next completion go onto its clock at once, the last one delivered as
  // usual (the completion then lands before the vector is fetched again).
  const uint64_t faults = faults_until_next_completion(
      guest_.bus, guest_.vcpu.clock, guest_.instructions_left(),
      m_.cost_model()[CostEvent::TRAP_ENTRY]);
  if (faults) {
    log(EventKind::SPIN, pc, 0, uint32_t(std::min<uint64_t>(faults, ~uint32_t(0))));
    guest_.executed += faults - 1;
    guest_.vcpu.clock += (faults - 1) * m_.cost_model()[CostEvent::TRAP_ENTRY];
    guest_.counters.machine.arch_cycles = guest_.vcpu.clock;
    return false;
  }
  // Nothing in flight: nothing can change its state again. The VMM stops the guest
  // (in that same fixed-point state) and the other guests run on.
  log(EventKind::CRASH, pc, 0, detail, va, 0, Cause::PAGE_FAULT);
  stop(GuestState::Crashed, triple_fault_reason(va));
  return true;
}

bool TrapAndEmulate::store_to_table(const isa::Decoded& d, CpuState& s, uint32_t va, uint32_t gpa) {
  const uint32_t value = s.r[d.a];  // STW/STB: A = the value; PUSH: A = rs
  switch (d.op) {
    case Op::STW: return guest_.memory.write32(gpa, value);
    case Op::STB: {
      const uint8_t byte = uint8_t(value);
      return guest_.memory.write(gpa, std::span<const uint8_t>(&byte, 1));
    }
    case Op::PUSH:
      if (!guest_.memory.write32(gpa, value)) return false;
      s.r[isa::kRegSp] = va;
      return true;
    default: return false;
  }
}

// A store into one of the guest's page tables (or translated code): the shadows map
// those pages read-only, so the VMM does the store itself and then drops what
// depended on it.
TrapAndEmulate::Flow TrapAndEmulate::emulate_store(const machine::TrapEvent& t, uint32_t gpa) {
  uint32_t dropped = 0;
  const bool table = shadows_.is_table_page(gpa >> isa::kPageShift);
  if (!apply_store(t, gpa, dropped)) {  // not a store: the host said WRITE, so this cannot happen
    log(EventKind::CRASH, t.pc, t.word, 0, 0, 0, Cause::PAGE_FAULT);
    stop(GuestState::Crashed, "the VMM could not emulate a write to a page table (a VMM bug)");
    return Flow::Stop;
  }
  ++guest_.counters.vmm.write_protect_traps;
  charge(CostEvent::VMM_EMULATE);
  if (dropped) charge(CostEvent::SHADOW_UPDATE, dropped);
  if (table)
    log(EventKind::WRITE_PROTECT, t.pc, t.word, t.badaddr, gpa, dropped, Cause::PAGE_FAULT);
  store_emulated(t, gpa, table);
  return Flow::Continue;
}

bool TrapAndEmulate::apply_store(const machine::TrapEvent& t, uint32_t gpa, uint32_t& dropped) {
  const isa::Decoded& d = t.insn;
  CpuState s = m_.state();
  if (!store_to_table(d, s, t.badaddr, gpa)) return false;  // not a store
  s.pc = t.pc + 4;
  m_.set_state(s);
  retire(d.op);
  dropped = shadows_.table_written(gpa);
  if (shadows_.is_code_page(gpa >> isa::kPageShift))
    code_written(gpa >> isa::kPageShift, CodeWrite::Store);
  sync_hardware();
  return true;
}

}  // namespace trapeze::vmm
