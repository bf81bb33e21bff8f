#include "vmm/paravirt.h"

#include "isa/hypercalls.h"
#include "isa/ports.h"
#include "machine/page_walker.h"

namespace trapeze::vmm {

using isa::Cause;
using isa::Hypercall;
using machine::CostEvent;
using machine::CpuState;
namespace psw = isa::psw;

namespace {
constexpr uint32_t kMaxConsoleWrite = 1u << 20;  // bytes per HC_CONSOLE_WRITE
}

bool ParaVirtual::guest_physical(uint32_t va, uint32_t& gpa) const {
  const uint32_t root = guest_.vcpu.cpu.ptr;
  if (root == 0) {  // paging off: guest-virtual = guest-physical
    gpa = va;
    return guest_.memory.contains(va, 1);
  }
  const machine::WalkResult w =
      machine::walk_page_tables(guest_.memory, root, va, machine::Access::Read, false, false);
  if (!w.ok) return false;
  gpa = (w.pfn << isa::kPageShift) | (va & (isa::kPageSize - 1));
  return true;
}

bool ParaVirtual::read_virtual32(uint32_t va, uint32_t& value) const {
  if (va & 3) return false;
  uint32_t gpa = 0;
  if (!guest_physical(va, gpa) || !guest_.memory.contains(gpa, 4)) return false;
  value = guest_.memory.read32(gpa);
  return true;
}

// All or nothing: read and validate the whole batch, then apply it.
TrapAndEmulate::Flow ParaVirtual::mmu_update(uint32_t va, uint32_t count, uint32_t& result) {
  result = kHcInvalid;
  if (count > kMaxMmuBatch) return Flow::Continue;
  std::vector<std::pair<uint32_t, uint32_t>> pairs(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t pte = 0, value = 0;
    if (!read_virtual32(va + 8 * i, pte) || !read_virtual32(va + 8 * i + 4, value))
      return Flow::Continue;
    if ((pte & 3) || !guest_.memory.contains(pte, 4)) return Flow::Continue;
    pairs[i] = {pte, value};
  }
  uint64_t dropped = 0;
  for (const auto& [pte, value] : pairs) {
    guest_.memory.write32(pte, value);
    dropped += shadows_.table_written(pte);  // counts shadow_updates itself
  }
  sync_hardware();
  guest_.counters.vmm.mmu_update_entries += count;
  if (count) charge(CostEvent::MMU_UPDATE_ENTRY, count);
  if (dropped) charge(CostEvent::SHADOW_UPDATE, dropped);
  result = 0;
  return Flow::Continue;
}

TrapAndEmulate::Flow ParaVirtual::hypercall(const machine::TrapEvent& t) {
  charge(CostEvent::HYPERCALL);
  CpuState& v = guest_.vcpu.cpu;
  if (virtual_user()) {  // not the guest kernel: what bare hardware does
    ++guest_.executed;
    reflect(Cause::ILLEGAL, 0, 0, t.pc);
    log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, Cause::ILLEGAL);
    return Flow::Continue;
  }
  VmmCounters& vc = guest_.counters.vmm;
  ++vc.hypercalls;
  ++(vc.*hypercall_counter(t.detail));

  CpuState s = m_.state();
  const uint32_t a1 = s.r[1], a2 = s.r[2];
  uint32_t r1 = a1;  // preserved unless the call returns something
  s.pc = t.epc;      // the next instruction
  Flow flow = Flow::Continue;
  const auto op = isa::Op::HYPERCALL;
  switch (Hypercall(t.detail)) {
    case Hypercall::CONSOLE_WRITE: {
      retire(op);
      uint32_t n = 0;
      for (; n < a2 && n < kMaxConsoleWrite; ++n) {
        uint32_t gpa = 0;
        uint8_t byte = 0;
        if (!guest_physical(a1 + n, gpa) || !guest_.memory.read(gpa, {&byte, 1})) break;
        guest_.bus.console_put(byte, guest_.counters.machine);
      }
      r1 = n;
      break;
    }
    case Hypercall::GET_PSW:
      retire(op);
      r1 = guest_psw();
      break;
    case Hypercall::SET_PSW: {
      retire(op);  // in the mode it was issued from
      const uint32_t p = a1 & psw::WRITABLE;
      v.psw = p;
      s.psw = psw::U | (p & psw::IE) | (p & psw::FLAGS);
      break;
    }
    case Hypercall::SET_PTR:
      retire(op);
      v.ptr = a1 & isa::pte::FRAME;
      // With paging off nothing write-protects its tables: cached shadows would go stale.
      if (v.ptr == 0) shadows_.reset(2);
      shadows_.flush_tlb();
      ++guest_.counters.machine.tlb_flushes;
      break;
    case Hypercall::MMU_UPDATE:
      retire(op);
      flow = mmu_update(a1, a2, r1);
      if (r1 != 0) ++vc.hc_errors;
      break;
    case Hypercall::SET_TVEC:
      retire(op);
      v.tvec = a1 & ~3u;
      break;
    case Hypercall::IRET: {
      const uint32_t epc = v.epc();
      if (epc & 3) {  // faults at the hypercall, as `rti` does
        ++guest_.executed;
        reflect(Cause::MISALIGNED, 0, epc, t.pc);
        log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, Cause::MISALIGNED);
        return Flow::Continue;
      }
      retire(op);  // in kernel mode, before the PSW changes
      const uint32_t epsw = v.epsw() & psw::WRITABLE;
      s.pc = epc;
      s.psw = psw::U | (epsw & psw::IE) | (epsw & psw::FLAGS);
      v.psw = epsw;
      break;
    }
    case Hypercall::SET_TIMER:
      retire(op);
      v.timer_period = a1;
      guest_.bus.set_timer(a1, guest_.vcpu.clock);
      break;
    case Hypercall::TLB_FLUSH:
      retire(op);
      if (a1 == 0xFFFFFFFFu) {
        shadows_.flush_tlb();
        ++guest_.counters.machine.tlb_flushes;
      } else {
        shadows_.invalidate_page(a1);
        ++guest_.counters.machine.tlb_invlpgs;
      }
      break;
    case Hypercall::IO_KICK:
      retire(op);  // the ring sees the time after the hypercall's own cost
      guest_.bus.out(uint16_t(isa::Port::RING_KICK), 0, guest_.vcpu.clock, m_.cost_model(), dma_,
                     guest_.counters.machine);
      --guest_.counters.machine.port_out;  // not a port access
      break;
    case Hypercall::YIELD:
      retire(op);
      flow = Flow::Stop;  // the rest of this quantum goes to the others
      break;
    case Hypercall::HALT:
      retire(op);
      flow = Flow::Stop;
      break;
    default:
      retire(op);
      r1 = kHcUnknown;
      break;
  }
  s.r[1] = r1;
  m_.set_state(s);
  sync_hardware();  // SET_PSW, SET_PTR, IRET: another table or view, the real IE
  log(EventKind::HYPERCALL, t.pc, t.word, t.detail, a1, r1);
  if (Hypercall(t.detail) == Hypercall::HALT) {
    log(EventKind::HALT, t.pc, t.word);
    stop(GuestState::Halted, "");
  }
  return flow;
}

}  // namespace trapeze::vmm
