#include "vmm/paravirt.h"

#include <algorithm>
#include <array>

#include "isa/hypercalls.h"
#include "isa/ports.h"
#include "machine/page_walker.h"

namespace trapeze::vmm {

using isa::Cause;
using isa::Hypercall;
using isa::Op;
using machine::CostEvent;
using machine::CpuState;

namespace {
constexpr uint32_t kMaxConsoleWrite = 1u << 20;  // bytes per HC_CONSOLE_WRITE
}

bool ParaVirtual::guest_physical(uint32_t va, uint32_t& gpa) const {
  const uint32_t root = e_.guest.vcpu.cpu.ptr;
  if (root == 0) {  // paging off: guest-virtual = guest-physical
    gpa = va;
    return e_.guest.memory.contains(va, 1);
  }
  const machine::WalkResult w =
      machine::walk_page_tables(e_.guest.memory, root, va, machine::Access::Read, false, false);
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
    if (!guest_physical(at, gpa) || !e_.guest.memory.read(gpa, std::span(page.data(), chunk))) break;
    e_.guest.bus.console_write(std::span(page.data(), chunk), e_.guest.counters.machine);
    n += chunk;
  }
  return n;
}

bool ParaVirtual::read_virtual32(uint32_t va, uint32_t& value) const {
  if (va & 3) return false;
  uint32_t gpa = 0;
  if (!guest_physical(va, gpa) || !e_.guest.memory.contains(gpa, 4)) return false;
  value = e_.guest.memory.read32(gpa);
  return true;
}

// All or nothing: read and validate the whole batch, then apply it.
void ParaVirtual::mmu_update(uint32_t va, uint32_t count, uint32_t& result) {
  result = kHcInvalid;
  if (count > kMaxMmuBatch) return;
  std::vector<std::pair<uint32_t, uint32_t>> pairs(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t pte = 0, value = 0;
    if (!read_virtual32(va + 8 * i, pte) || !read_virtual32(va + 8 * i + 4, value))
      return;
    if ((pte & 3) || !e_.guest.memory.contains(pte, 4)) return;
    pairs[i] = {pte, value};
  }
  uint64_t dropped = 0;
  for (const auto& [pte, value] : pairs) {
    e_.guest.memory.write32(pte, value);
    dropped += e_.shadows.table_written(pte);  // counts shadow_updates itself
  }
  run_.sync_hardware();
  e_.guest.counters.vmm.mmu_update_entries += count;
  if (count) e_.charge(CostEvent::MMU_UPDATE_ENTRY, count);
  if (dropped) e_.charge(CostEvent::SHADOW_UPDATE, dropped);
  result = 0;
}

Flow ParaVirtual::hypercall(DeprivilegedRun& run, const machine::TrapEvent& t) {
  e_.charge(CostEvent::HYPERCALL);
  CpuState& v = e_.guest.vcpu.cpu;
  if (e_.virtual_user()) {  // not the guest kernel: what bare hardware does
    ++e_.guest.executed;
    run.reflect(Cause::ILLEGAL, 0, 0, t.pc);
    e_.log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, Cause::ILLEGAL);
    return Flow::Continue;
  }
  VmmCounters& vc = e_.guest.counters.vmm;
  ++vc.hypercalls;
  ++(vc.*hypercall_counter(t.detail));

  CpuState s = e_.m.state();
  const uint32_t a1 = s.r[1], a2 = s.r[2];
  uint32_t r1 = a1;  // preserved unless the call returns something
  s.pc = t.epc;      // the next instruction
  Flow flow = Flow::Continue;
  const auto op = Op::HYPERCALL;
  // The calls that ARE a privileged or sensitive instruction on r1 run its one
  // body (virtual_cpu.h), retired as the hypercall.
  auto as = [&](Op insn, uint8_t a = 1, int32_t imm = 0, bool retired = false) {
    return e_.vcpu.execute(isa::Decoded{insn, a, 0, 0, imm}, s, t.pc, op, retired);
  };
  switch (Hypercall(t.detail)) {
    case Hypercall::CONSOLE_WRITE: {
      e_.retire(op);
      r1 = console_write(a1, std::min(a2, kMaxConsoleWrite));
      break;
    }
    case Hypercall::GET_PSW: r1 = as(Op::RDPSW).value; break;
    case Hypercall::SET_PSW: as(Op::WRPSW); break;  // from its kernel mode: every writable bit
    case Hypercall::SET_PTR:  // ldptr, then tlbflush
      as(Op::LDPTR);
      as(Op::TLBFLUSH, 0, 0, /*retired=*/true);
      break;
    case Hypercall::MMU_UPDATE:
      e_.retire(op);
      mmu_update(a1, a2, r1);
      if (r1 != 0) ++vc.hc_errors;
      break;
    case Hypercall::SET_TVEC: as(Op::LDTVEC); break;
    case Hypercall::IRET:
      if (const VirtualCpuOps::Result r = as(Op::RTI); r.outcome == VirtualCpuOps::Outcome::Fault) {
        ++e_.guest.executed;  // faults at the hypercall, as `rti` does
        run.reflect(r.cause, 0, r.badaddr, t.pc);
        e_.log(EventKind::REFLECT, t.pc, t.word, v.cause(), v.badaddr(), 0, r.cause);
        return Flow::Continue;
      }
      break;
    case Hypercall::SET_TIMER: as(Op::LDTIMER); break;
    case Hypercall::TLB_FLUSH:
      if (a1 == 0xFFFFFFFFu)
        as(Op::TLBFLUSH);
      else
        as(Op::INVLPG);
      break;
    case Hypercall::IO_KICK:  // an `out PORT_RING_KICK` of 0 (r0) ...
      as(Op::OUT, 0, int32_t(isa::Port::RING_KICK));
      --e_.guest.counters.machine.port_out;  // ... that is not a port access
      break;
    case Hypercall::YIELD:
      e_.retire(op);
      flow = Flow::Stop;  // the rest of this quantum goes to the others
      break;
    case Hypercall::HALT:
      e_.retire(op);
      flow = Flow::Stop;
      break;
    default:
      e_.retire(op);
      r1 = kHcUnknown;
      break;
  }
  s.r[1] = r1;
  e_.m.set_state(s);
  run.sync_hardware();  // SET_PSW, SET_PTR, IRET: another table or view, the real IE
  e_.log(EventKind::HYPERCALL, t.pc, t.word, t.detail, a1, r1);
  if (Hypercall(t.detail) == Hypercall::HALT) {
    e_.log(EventKind::HALT, t.pc, t.word);
    e_.stop(GuestState::Halted, "");
  }
  return flow;
}

}  // namespace trapeze::vmm
