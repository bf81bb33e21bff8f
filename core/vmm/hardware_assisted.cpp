#include "vmm/hardware_assisted.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace trapeze::vmm {

using isa::Cause;
using isa::Op;
using machine::CpuState;
namespace psw = isa::psw;
namespace vmcb = isa::vmcb;

std::string HardwareAssisted::check() const {
  if (!nested_) return e_.check_guest_side();
  if (std::string e = e_.check_virtual_cpu(); !e.empty()) return e;
  for (const machine::TlbEntry& t : m_.tlb_entries()) {
    if (!t.valid || t.tag < place_.tag_base || t.tag >= place_.tag_base + kTagsPerGuest) continue;
    const uint64_t pa = uint64_t(t.pfn) << isa::kPageShift;
    if (pa < place_.region_base || pa >= uint64_t(place_.region_base) + place_.region_size) {
      char what[120];
      std::snprintf(what, sizeof what, "nested TLB entry for 0x%08x (tag %u) maps 0x%08llx, outside its memory",
                    t.vpn << isa::kPageShift, t.tag, (unsigned long long)pa);
      return what;
    }
  }
  return "";
}

HardwareAssisted::HardwareAssisted(Host& host, Guest& guest, const GuestPlacement& place,
                                   bool nested)
    : e_(host, guest, place, [this] { return guest_pc(); }),
      guest_(guest),
      m_(host.machine),
      place_(e_.place),
      shadows_(e_.shadows),
      nested_(nested),
      // Devices always; shadow paging also needs every PTR operation and page fault.
      controls_(vmcb::EXIT_ON_IO |
                (nested ? 0u : vmcb::EXIT_ON_PTR | vmcb::EXIT_ON_PAGE_FAULT)) {
  shadows_.use_single_view();
  // Nested paging caches guest-virtual -> host-physical under the guest's first two
  // tags, which the other strategies use for other tables: none may see the other's
  // entries (a strategy switch replaces one by the other).
  if (nested_) flush_nested_tags();
}

void HardwareAssisted::flush_nested_tags() {
  m_.flush_tlb_tag(place_.tag_base);      // its paged translations (the ASID)
  m_.flush_tlb_tag(place_.tag_base + 1);  // its paging-off ones (ASID + 1)
}

HardwareAssisted::~HardwareAssisted() {
  // Replaced while on the CPU (a strategy switch): give the CPU back.
  if (on_cpu()) m_.vm_exit(ExitReason::TIMER);
  if (nested_) flush_nested_tags();
}

uint32_t HardwareAssisted::hardware_table() const {
  return nested_ ? place_.physmap_base : shadows_.current().root;
}

uint32_t HardwareAssisted::guest_pc() const {
  return on_cpu() ? m_.state().pc : guest_.vcpu.cpu.pc;
}

// ---------------------------------------------------------------------------------
// World switch

void HardwareAssisted::load() {
  accounted_ = m_.counters();
  accounted_transitions_ = m_.vm_transition_cycles();
}

void HardwareAssisted::save() {
  if (on_cpu()) {  // a copy, no exit: the guest may go on where it is
    CpuState& v = guest_.vcpu.cpu;
    const uint32_t virtual_ptr = v.ptr;
    v = m_.state();
    if (!nested_) v.ptr = virtual_ptr;  // the hardware's is the shadow root
  }
  guest_.counters.machine.arch_cycles = guest_.vcpu.clock;
}

void HardwareAssisted::unload() {
  if (on_cpu()) leave(ExitReason::TIMER, ExitAction::SWITCH);
}

void HardwareAssisted::pull() {
  CpuState& v = guest_.vcpu.cpu;
  for (int i = 0; i < isa::kNumRegs; ++i) v.r[i] = block(vmcb::GUEST_REGS + 4 * i);
  v.pc = block(vmcb::GUEST_PC);
  v.psw = block(vmcb::GUEST_PSW);
  if (nested_) v.ptr = block(vmcb::GUEST_PTR);  // shadow: the VMM's virtual PTR stays
  v.tvec = block(vmcb::GUEST_TVEC);
  for (int i = 0; i < isa::kNumControlRegs; ++i) v.cr[i] = block(vmcb::GUEST_CR + 4 * i);
  v.timer_period = block(vmcb::GUEST_TIMER);
}

void HardwareAssisted::account() {
  const machine::Counters now = m_.counters();
  machine::Counters d = now - accounted_;
  accounted_ = now;
  guest_.vcpu.clock += d.arch_cycles;  // its architectural work only
  d.arch_cycles = 0;
  GuestCounters& gc = guest_.counters;
  gc.machine += d;
  gc.machine.arch_cycles = guest_.vcpu.clock;
  // Of the host's cycles, its VM entries and exits are transitions; the rest (its
  // instructions in guest mode, walks, injected events) are its own.
  const uint64_t transitions = m_.vm_transition_cycles() - accounted_transitions_;
  accounted_transitions_ = m_.vm_transition_cycles();
  gc.accounting.transitions += transitions;
  gc.accounting.guest += d.cycles - transitions;
  // rdpsw/wrpsw/sptr in its user mode act on its own state here, as on bare metal:
  // not holes for a trap-and-emulate guest's log to explain.
  e_.host.holes_seen = now.holes_in_user;
}

// ---------------------------------------------------------------------------------
// Entry and exit

void HardwareAssisted::inject(Cause cause, uint32_t detail, uint32_t badaddr) {
  inject_ = vmcb::EVENT_VALID | uint32_t(cause) | detail;
  inject_badaddr_ = badaddr;
  e_.count_reflected(cause);
}

void HardwareAssisted::enter() {
  const CpuState& v = guest_.vcpu.cpu;
  uint32_t hw_ptr = v.ptr, asid = place_.tag_base;
  if (!nested_) {
    const ShadowPageTables::Hardware hw = shadows_.select(v.ptr, v.user_mode());
    hw_ptr = hw.root;
    asid = hw.tag;
  }
  // A fault to reflect goes first (it was raised at this instruction); else a due
  // interrupt if the guest takes interrupts. Either clears its IE, so anything
  // still pending waits for the interrupt window.
  if (!inject_ && (v.psw & psw::IE)) {
    for (Cause c : {Cause::TIMER, Cause::DEVICE}) {
      if (!(guest_.bus.pending() & machine::DeviceBus::line(c))) continue;
      guest_.bus.take(c);
      ++guest_.counters.vmm.virtual_interrupts;
      inject(c, 0, 0);
      log(EventKind::VIRTUAL_INTERRUPT, v.pc, 0, v.tvec, 0, 0, c);
      break;
    }
  }
  window_ = guest_.bus.pending() != 0;

  // The block is filled in a copy and written back in one go (a write per field
  // through the coherent path cost more than the guest's work between exits).
  std::array<uint8_t, vmcb::SIZE> b;
  std::copy_n(m_.memory().data() + place_.control_block, vmcb::SIZE, b.begin());
  auto put = [&b](uint32_t offset, uint32_t value) { machine::store_le32(b.data() + offset, value); };
  put(vmcb::EXIT_CONTROLS, controls_ | (window_ ? uint32_t(vmcb::EXIT_ON_INTR_WINDOW) : 0u));
  put(vmcb::FLAGS, nested_ ? vmcb::FLAG_NESTED : 0);
  put(vmcb::NESTED_ROOT, nested_ ? place_.physmap_base : 0);
  put(vmcb::ASID, asid);
  for (int i = 0; i < isa::kNumRegs; ++i) put(vmcb::GUEST_REGS + 4 * i, v.r[i]);
  put(vmcb::GUEST_PC, v.pc);
  put(vmcb::GUEST_PSW, v.psw);
  put(vmcb::GUEST_PTR, hw_ptr);
  put(vmcb::GUEST_TVEC, v.tvec);
  for (int i = 0; i < isa::kNumControlRegs; ++i) put(vmcb::GUEST_CR + 4 * i, v.cr[i]);
  put(vmcb::GUEST_TIMER, v.timer_period);
  put(vmcb::EVENT_INJECT, inject_);
  put(vmcb::EVENT_BADADDR, inject_badaddr_);
  m_.poke(place_.control_block, b);
  inject_ = inject_badaddr_ = 0;
  resync_ = false;
  m_.vm_enter(place_.control_block);
  account();  // VM_ENTRY, and the injected event's TRAP_ENTRY on its clock
}

void HardwareAssisted::leave(ExitReason reason, ExitAction action) {
  m_.vm_exit(reason);
  account();
  pull();
  machine::VmExitInfo x;
  x.reason = reason;
  x.pc = guest_.vcpu.cpu.pc;
  log_exit(x, action);
}

void HardwareAssisted::log_exit(const machine::VmExitInfo& x, ExitAction action) {
  log(EventKind::VM_EXIT, x.pc, x.word, payload(x.reason), x.qual, payload(action));
}

// ---------------------------------------------------------------------------------
// The run loop

uint64_t HardwareAssisted::run(uint64_t max_cycles) {
  const uint64_t start = e_.host.time();
  while (guest_.ready()) {
    if (e_.host.time() - start >= max_cycles) break;
    // Its devices and timer, on its virtual clock. An interrupt now due (or DMA that
    // may have changed its page tables) needs the VMM: the guest leaves the CPU
    // unless it is already waiting for the interrupt window.
    if (e_.process_devices()) resync_ = true;  // its tables may have changed under it
    if (on_cpu()) {
      const uint32_t pending = guest_.bus.pending();
      if (resync_) {
        leave(ExitReason::DEVICE, ExitAction::RESYNC);
      } else if (pending && ((m_.state().psw & psw::IE) || !window_)) {
        const bool timer = pending & machine::DeviceBus::line(Cause::TIMER);
        leave(timer ? ExitReason::TIMER : ExitReason::DEVICE, ExitAction::INTERRUPT);
      }
    }
    if (!on_cpu()) enter();
    // The limits after any interrupt is injected: the machine, too, takes an
    // interrupt due at the boundary where its instruction budget ends.
    if (!e_.within_limits()) break;

    // At least one instruction (or fault) after an entry, even one dearer than the
    // turn: a quantum shorter than an exit and an entry still makes progress. One
    // instruction, not one cycle: a page walk for the fetch (a small TLB, evicted by
    // the other guests) costs more than a cycle, and a budget of one would stop the
    // machine before the instruction, at every entry, for ever.
    const uint64_t used = e_.host.time() - start;
    Limits l = e_.run_limits(used < max_cycles ? max_cycles - used : kNoLimit);
    if (used >= max_cycles) l.instructions = std::min<uint64_t>(l.instructions, 1);
    // Nested paging delivers its page faults without an exit: the hardware stops at
    // the triple-fault fixed point, as the native machine does.
    m_.set_stop_at_fixed_point(true);
    const machine::RunResult r = m_.run(l.instructions, l.cycles, l.arch);
    m_.set_stop_at_fixed_point(false);
    account();
    guest_.executed += r.instructions + r.faulted;  // faults it took itself, in guest mode
    if (r.instructions) e_.made_progress();
    if (r.reason == machine::StopReason::VmExit) {
      pull();
      if (handle_exit(r.exit) == Flow::Stop) break;
    } else if (r.reason == machine::StopReason::FixedPoint) {
      save();
      // Device work in flight: the faults up to its next completion, at once on its
      // clock (they change nothing else), before its devices are processed.
      const CpuState& at = m_.state();
      e_.spin_at_fixed_point(at.pc, at.tvec, /*keep=*/0, at.cause(), at.tvec);
    }
  }
  return e_.host.time() - start;
}

// ---------------------------------------------------------------------------------
// Exits

Flow HardwareAssisted::handle_exit(const machine::VmExitInfo& x) {
  CpuState& v = guest_.vcpu.cpu;
  const isa::Decoded d = isa::decode(x.word);
  ExitAction action = ExitAction::EMULATED;
  Flow flow = Flow::Continue;
  switch (x.reason) {
    case ExitReason::IO:
    case ExitReason::PTR_OP:  // on the virtual CPU itself (its registers, its pc)
      e_.vcpu.execute(d, v, v.pc);
      break;
    case ExitReason::PAGE_FAULT: flow = shadow_fault(x, action); break;
    case ExitReason::NESTED_FAULT: {
      // The nested table maps all of its memory: a guest-physical address past it,
      // which a bare machine of its size reports as "not present".
      const uint32_t detail =
          x.info & (isa::fault::WRITE | isa::fault::EXEC | isa::fault::USER);
      if (e_.triple_fault(fault_access(detail), x.pc, x.addr, detail, v.psw)) return Flow::Stop;
      ++guest_.executed;
      ++guest_.counters.vmm.reflected_faults;
      inject(Cause::PAGE_FAULT, detail, x.addr);
      action = ExitAction::INJECTED;
      break;
    }
    case ExitReason::HALT:
      retire(Op::HALT);
      v.pc += 4;
      log_exit(x, ExitAction::HALTED);
      log(EventKind::HALT, x.pc, x.word);
      stop(GuestState::Halted, "");
      return Flow::Stop;
    case ExitReason::HYPERCALL:  // not a para-virtual guest: what bare hardware does
    case ExitReason::VMRUN:      // no nested virtualization
      ++guest_.executed;
      inject(Cause::ILLEGAL, 0, 0);
      action = ExitAction::INJECTED;
      break;
    case ExitReason::TIMER:
    case ExitReason::DEVICE: action = ExitAction::INTERRUPT; break;
    case ExitReason::INTR_WINDOW: action = ExitAction::WINDOW; break;
    case ExitReason::SYSCALL:  // (not asked for) completes, then traps
      retire(Op::SYSCALL);
      v.pc += 4;
      inject(Cause::SYSCALL, 0, 0);
      action = ExitAction::INJECTED;
      break;
    case ExitReason::EXCEPTION:  // (not asked for) the guest's own
      ++guest_.executed;
      inject(Cause(x.qual & 0xFF), x.qual & ~0xFFu, x.info);
      action = ExitAction::INJECTED;
      break;
    default:  // PRIV_INSN, PSW_WRITE: never asked for
      log_exit(x, action);
      log(EventKind::CRASH, x.pc, x.word);
      stop(GuestState::Crashed, "unexpected VM exit " +
                                    std::string(isa::vmcb::exit_reason_name(x.reason)) +
                                    " (a VMM bug)");
      return Flow::Stop;
  }
  if (action == ExitAction::EMULATED) {
    ++guest_.counters.vmm.emulated;
    ++guest_.counters.vmm.emulated_by_op[uint8_t(d.op)];
    charge(machine::CostEvent::VMM_EMULATE);
  }
  log_exit(x, action);
  return flow;
}

// Shadow paging: a hidden fault, a write to one of the guest's page tables, or the
// guest's own fault — trap-and-emulate's three cases (GuestEngine::shadow_fault).
Flow HardwareAssisted::shadow_fault(const machine::VmExitInfo& x, ExitAction& action) {
  CpuState& v = guest_.vcpu.cpu;
  const uint32_t va = x.qual;
  const bool user = x.info & isa::fault::USER;
  shadows_.select(v.ptr, user);  // its permissions at the fault
  const GuestEngine::FaultResult r = e_.shadow_fault(x.pc, x.word, va, x.info, user, v.psw, [] {});
  switch (r.kind) {
    case GuestEngine::FaultKind::Hidden: action = ExitAction::SHADOW_FILLED; return Flow::Continue;
    case GuestEngine::FaultKind::WriteProtected:
      if (!e_.store_for_guest(isa::decode(x.word), v, x.pc, va, r.gpa)) {  // the hardware said WRITE
        e_.stop_store_failed(x.pc, x.word);
        return Flow::Stop;
      }
      e_.count_store(e_.table_written(r.gpa));
      action = ExitAction::STORE_EMULATED;
      return Flow::Continue;
    case GuestEngine::FaultKind::Guest:
      inject(Cause::PAGE_FAULT, r.detail, va);
      action = ExitAction::INJECTED;
      return Flow::Continue;
    case GuestEngine::FaultKind::Stop: break;
  }
  return Flow::Stop;
}

}  // namespace trapeze::vmm
