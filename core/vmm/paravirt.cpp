#include "vmm/paravirt.h"

#include <algorithm>
#include <array>

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

// Page by page: one walk per page, not per byte, and the console only counts what
// its bound drops — a guest asking for 1 MiB per call in a loop must not cost the
// host a walk and a copy per byte (tests/vmm/hostile_guests_test.cpp). Stops at
// the first byte that does not translate, as a byte-by-byte copy would.
uint32_t ParaVirtual::console_write(uint32_t va, uint32_t length) {
  std::array<uint8_t, isa::kPageSize> page;
  uint32_t n = 0;
  while (n < length) {
    const uint32_t at = va + n;  // wraps around like the guest's own addresses
    const uint32_t chunk = std::min(length - n, isa::kPageSize - (at & (isa::kPageSize - 1)));
    uint32_t gpa = 0;
    // A translated byte's whole page is in its memory (memory is whole pages).
    if (!guest_physical(at, gpa) || !guest_.memory.read(gpa, std::span(page.data(), chunk))) break;
    guest_.bus.console_write(std::span(page.data(), chunk), guest_.counters.machine);
    n += chunk;
  }
  return n;
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
      r1 = console_write(a1, std::min(a2, kMaxConsoleWrite));
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
      if (v.ptr == 0) shadows_.reset(ShadowReset::PAGING_OFF);
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
