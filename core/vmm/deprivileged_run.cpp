#include "vmm/deprivileged_run.h"

#include <algorithm>

namespace trapeze::vmm {

using isa::Cause;
using machine::CostEvent;
using machine::CpuState;
namespace psw = isa::psw;

namespace {
DeprivilegedRun::Hooks& trap_and_emulate_hooks() {
  struct None final : DeprivilegedRun::Hooks {};
  static None none;
  return none;
}
}  // namespace

DeprivilegedRun::DeprivilegedRun(Host& host, Guest& guest, const GuestPlacement& place,
                                 Hooks* hooks, bool intercept_hypercalls)
    : e_(host, guest, place, [&m = host.machine] { return m.state().pc; }),
      hooks_(hooks ? *hooks : trap_and_emulate_hooks()),
      intercept_hypercalls_(intercept_hypercalls) {}

Flow DeprivilegedRun::Hooks::step(DeprivilegedRun& run, const Limits& limits) {
  return run.run_on_host(limits.instructions, limits);
}

Flow DeprivilegedRun::Hooks::hypercall(DeprivilegedRun& run,
                                                        const machine::TrapEvent& t) {
  // Not reached (not intercepted); if it were, it is what bare hardware does.
  GuestEngine& e = run.engine();
  e.charge(CostEvent::TRAP_ENTRY);
  ++e.guest.executed;
  run.reflect(Cause::ILLEGAL, 0, 0, t.pc);
  e.log(EventKind::REFLECT, t.pc, t.word, e.guest.vcpu.cpu.cause(), 0, 0, Cause::ILLEGAL);
  return Flow::Continue;
}

// Every cause except HYPERCALL (unless para-virtual): a `hypercall` from a guest
// that is not para-virtual is then ILLEGAL, as on bare hardware, and reflected as such.
uint32_t DeprivilegedRun::intercept_mask() const {
  uint32_t mask = 0;
#define TRAPEZE_INTERCEPT_BIT(NAME, code, text) \
  if (Cause::NAME != Cause::NONE && Cause::NAME != Cause::HYPERCALL) mask |= 1u << (code);
  TRAPEZE_CAUSES(TRAPEZE_INTERCEPT_BIT)
#undef TRAPEZE_INTERCEPT_BIT
  if (intercept_hypercalls_) mask |= machine::Machine::cause_bit(Cause::HYPERCALL);
  return mask;
}

// ---------------------------------------------------------------------------------
// World switch

void DeprivilegedRun::load() {
  const CpuState& v = e_.guest.vcpu.cpu;
  CpuState s;  // the host's own control registers are of no use to a guest: cleared
  std::copy(std::begin(v.r), std::end(v.r), std::begin(s.r));
  s.pc = v.pc;
  s.psw = VirtualCpuOps::real_psw(v.psw);
  e_.m.set_state(s);
  e_.m.set_intercept(intercept_mask());
  // Its tables through the root window: the page-table register, which `sptr`
  // reveals, holds their place in its own VMM area, never a host-physical address.
  e_.m.set_root_window(kRootWindow, e_.place.physmap_base,
                       (e_.place.physmap_pages + kShadowPoolPages) * isa::kPageSize);
  sync_hardware();  // its table (a shadow may be built now), TLB tag and IE
}

uint32_t DeprivilegedRun::hardware_ptr(uint32_t root) const {
  return kRootWindow + (root - e_.place.physmap_base);
}

void DeprivilegedRun::save() {
  e_.fold_host_counters();
  CpuState& v = e_.guest.vcpu.cpu;
  const CpuState& s = e_.m.state();
  std::copy(std::begin(s.r), std::end(s.r), std::begin(v.r));
  v.pc = s.pc;
  v.psw = VirtualCpuOps::visible_psw(v.psw, s.psw);
  e_.guest.counters.machine.arch_cycles = e_.guest.vcpu.clock;
}

uint32_t DeprivilegedRun::guest_psw() const {
  return VirtualCpuOps::visible_psw(e_.guest.vcpu.cpu.psw, e_.m.state().psw);
}

void DeprivilegedRun::sync_hardware() {
  e_.fold_host_counters();  // the host's TLB counters move now for the VMM, not the guest
  const ShadowPageTables::Hardware hw =
      e_.shadows.select(e_.guest.vcpu.cpu.ptr, e_.virtual_user());
  const CpuState& now = e_.m.state();
  const uint32_t real_psw = VirtualCpuOps::real_psw(guest_psw());
  if (now.ptr != hardware_ptr(hw.root) || now.psw != real_psw) {
    CpuState s = now;
    s.ptr = hardware_ptr(hw.root);
    s.psw = real_psw;
    e_.m.set_state(s);
  }
  if (e_.m.address_space() != hw.tag) e_.m.set_address_space(hw.tag);
}

std::string DeprivilegedRun::check() const {
  if (std::string e = e_.check_guest_side(); !e.empty()) return e;
  const uint32_t tag = e_.m.address_space();
  const GuestPlacement& place = e_.place;
  if (tag < place.tag_base || tag >= place.tag_base + kTagsPerGuest) return "";  // not on the CPU
  const ShadowPageTables::Hardware hw = e_.shadows.current();
  if (!(e_.m.state().psw & psw::U)) return "it is on the host CPU in kernel mode";
  if (e_.m.state().ptr != hardware_ptr(hw.root) || tag != hw.tag)
    return "the host CPU walks another table than its current shadow";
  return "";
}

// ---------------------------------------------------------------------------------
// The run loop

uint64_t DeprivilegedRun::run(uint64_t max_cycles) {
  Host& host = e_.host;
  const uint64_t start = host.time();
  while (e_.guest.ready()) {
    const uint64_t used = host.time() - start;
    if (used >= max_cycles) break;
    // The guest's devices and timer, on its virtual clock; an interrupt if it takes
    // one — before the limits, as the machine takes an interrupt due at the boundary
    // where its instruction budget ends (delivering one executes no instruction).
    if (e_.process_devices()) sync_hardware();
    if (deliver_interrupt()) continue;
    if (!e_.within_limits()) break;

    // Run until its next virtual event is due, the quantum or a limit is used up,
    // or a trap.
    if (hooks_.step(*this, e_.run_limits(max_cycles - used)) == Flow::Stop) break;
  }
  e_.fold_host_counters();
  return host.time() - start;
}

Flow DeprivilegedRun::run_on_host(uint64_t max_instructions,
                                                   const Limits& limits) {
  e_.begin_host_run();
  const machine::RunResult r =
      e_.m.run(std::min(max_instructions, limits.instructions), limits.cycles, limits.arch);
  e_.account(r);
  e_.log_holes();
  if (r.reason == machine::StopReason::Trap) return handle_trap(r.trap);
  if (r.reason == machine::StopReason::Halted) {  // user mode cannot halt the host
    e_.m.clear_halted();
    e_.stop(GuestState::Crashed, "the host CPU halted");
    return Flow::Stop;
  }
  return Flow::Continue;
}

// ---------------------------------------------------------------------------------
// Interrupts

bool DeprivilegedRun::deliver_interrupt() {
  Guest& g = e_.guest;
  const uint32_t pending = g.bus.pending();
  if (!pending || !(g.vcpu.cpu.psw & psw::IE)) return false;
  for (Cause c : {Cause::TIMER, Cause::DEVICE}) {
    if (!(pending & machine::DeviceBus::line(c))) continue;
    g.bus.take(c);
    const uint32_t pc = e_.m.state().pc;
    ++g.counters.vmm.virtual_interrupts;
    reflect(c, 0, 0, pc);
    e_.log(EventKind::VIRTUAL_INTERRUPT, pc, 0, g.vcpu.cpu.tvec, 0, 0, c);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------
// Traps

Flow DeprivilegedRun::handle_trap(const machine::TrapEvent& t) {
  e_.fold_host_counters();
  // A hypercall is priced by its own cost row (HYPERCALL), not TRAP_ENTRY.
  if (t.cause == Cause::HYPERCALL) return hooks_.hypercall(*this, t);
  e_.charge(CostEvent::TRAP_ENTRY);  // the hardware's trap into the VMM
  const CpuState& v = e_.guest.vcpu.cpu;
  switch (t.cause) {
    case Cause::PRIVILEGED:
      if (!e_.virtual_user()) return emulate(t.insn, t.pc, t.word, Entry::Trap);
      break;  // the guest's user program: the guest kernel's business
    case Cause::PAGE_FAULT: return page_fault(t);
    case Cause::TIMER:
    case Cause::DEVICE: return Flow::Continue;  // the host's own lines; the VMM keeps them quiet
    case Cause::SYSCALL:                        // completes, then traps (EPC = pc + 4)
      e_.retire(isa::Op::SYSCALL);
      reflect(t.cause, t.detail, t.badaddr, t.epc);
      e_.log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, t.cause);
      return Flow::Continue;
    default: break;
  }
  ++e_.guest.executed;  // executed, faulted
  reflect(t.cause, t.detail, t.badaddr, t.epc);
  e_.log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, t.cause);
  return Flow::Continue;
}

void DeprivilegedRun::reflect(Cause cause, uint32_t detail, uint32_t badaddr, uint32_t epc) {
  e_.fold_host_counters();
  e_.vcpu.enter_trap(cause, detail, badaddr, epc, guest_psw());
  e_.m.set_pc(e_.guest.vcpu.cpu.tvec);
  e_.count_reflected(cause);
  e_.charge(CostEvent::VMM_REFLECT);
  sync_hardware();  // the kernel view of its address space
}

Flow DeprivilegedRun::emulate(const isa::Decoded& d, uint32_t pc, uint32_t word,
                                               Entry entry) {
  CpuState s = e_.m.state();
  const VirtualCpuOps::Result r = e_.vcpu.execute(d, s, pc);
  if (r.outcome == VirtualCpuOps::Outcome::Fault) {  // as on bare metal: at the instruction
    ++e_.guest.executed;
    reflect(r.cause, 0, r.badaddr, pc);
    const CpuState& v = e_.guest.vcpu.cpu;
    e_.log(EventKind::REFLECT, pc, word, v.cause(), v.badaddr(), 0, r.cause);
    return Flow::Continue;
  }
  if (entry == Entry::Trap) {  // a callout is counted and charged by its caller
    ++e_.guest.counters.vmm.emulated;
    ++e_.guest.counters.vmm.emulated_by_op[uint8_t(d.op)];
    e_.charge(CostEvent::VMM_EMULATE);
  }
  e_.m.set_state(s);
  sync_hardware();  // ldptr, rti, wrpsw: another table or view, the real IE
  if (entry == Entry::Trap)
    e_.log(EventKind::EMULATE, pc, word, r.value);
  else
    e_.log(EventKind::CALLOUT, pc, word, r.value,
           payload(entry == Entry::Inline ? CalloutEntry::INLINE : CalloutEntry::CALL));
  if (r.outcome == VirtualCpuOps::Outcome::Halt) {
    e_.log(EventKind::HALT, pc, word);
    e_.stop(GuestState::Halted, "");
    return Flow::Stop;
  }
  return Flow::Continue;
}

Flow DeprivilegedRun::page_fault(const machine::TrapEvent& t) {
  const GuestEngine::FaultResult r =
      e_.shadow_fault(t.pc, t.word, t.badaddr, t.detail, e_.virtual_user(), guest_psw(),
                      [this] { sync_hardware(); });  // the pool may have been reset
  switch (r.kind) {
    case GuestEngine::FaultKind::Hidden:
      e_.log(EventKind::HIDDEN_FAULT, t.pc, 0, t.badaddr, t.detail & ~isa::fault::USER,
             r.host_frame, Cause::PAGE_FAULT);
      return Flow::Continue;
    case GuestEngine::FaultKind::WriteProtected: return emulate_store(t, r.gpa);
    case GuestEngine::FaultKind::Guest:
      reflect(Cause::PAGE_FAULT, r.detail, t.badaddr, t.epc);
      e_.log(EventKind::REFLECT, t.pc, t.word, e_.guest.vcpu.cpu.cause(), t.badaddr, 0,
             Cause::PAGE_FAULT);
      return Flow::Continue;
    case GuestEngine::FaultKind::Stop: break;
  }
  return Flow::Stop;
}

// A store into one of the guest's page tables (or translated code): the shadows map
// those pages read-only, so the VMM does the store itself and then drops what
// depended on it.
Flow DeprivilegedRun::emulate_store(const machine::TrapEvent& t, uint32_t gpa) {
  uint32_t dropped = 0;
  const bool table = e_.shadows.is_table_page(gpa >> isa::kPageShift);
  if (!apply_store(t.insn, t.pc, t.badaddr, gpa, dropped)) {  // the host said WRITE: cannot happen
    e_.stop_store_failed(t.pc, t.word);
    return Flow::Stop;
  }
  e_.count_store(dropped);
  if (table)
    e_.log(EventKind::WRITE_PROTECT, t.pc, t.word, t.badaddr, gpa, dropped, Cause::PAGE_FAULT);
  hooks_.store_emulated(t.pc, t.word, table);
  return Flow::Continue;
}

bool DeprivilegedRun::apply_store(const isa::Decoded& d, uint32_t pc, uint32_t va, uint32_t gpa,
                                  uint32_t& dropped) {
  CpuState s = e_.m.state();
  if (!e_.store_for_guest(d, s, pc, va, gpa)) return false;  // not a store
  e_.m.set_state(s);
  dropped = e_.table_written(gpa);
  sync_hardware();
  return true;
}

}  // namespace trapeze::vmm
