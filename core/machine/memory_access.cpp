// The slow paths of memory access: TLB lookups that miss the fast slots, page
// walks, faults, stores into code pages, and refilling the fetch latch.
#include "machine/machine.h"

namespace trapeze::machine {

using isa::Cause;
using isa::Op;

// A walk's references are memory-system timing: they cost cycles but do not
// advance the architectural clock (see machine.h, "Time"). The slice boundary's
// total-cycle limit was computed assuming both clocks move together, so it is
// recomputed at the next instruction boundary.
void Machine::count_walk(const WalkResult& w) {
  ++counters_.walks;
  counters_.walk_refs += w.refs;
  if (vm_.active && vm_.nested) {
    ++counters_.nested_walks;
    counters_.nested_walk_refs += w.refs;
  }
  counters_.ad_updates += w.ad_updates;
  counters_.cycles += uint64_t(w.refs) * cost_[CostEvent::WALK_REF];
  recheck();
}

namespace {
// A fault bit internal to this file: the walk failed in the nested table, not in
// the guest's (never a CAUSE bit: the guest does not see it; page_fault() exits).
constexpr uint32_t kNestedFault = 1u << 31;
}  // namespace

WalkResult Machine::walk(uint32_t va, Access access, bool user_mode) {
  WalkResult w = vm_.active && vm_.nested
                     ? walk_nested(all_, vm_.nested_root, state_.ptr, va, access, user_mode, true)
                     : walk_page_tables(all_, table_root(state_.ptr), va, access, user_mode,
                                        /*writeback=*/true);
  count_walk(w);
  if (w.nested_fault) nested_fault_gpa_ = w.gpa;
  return w;
}

bool Machine::translate_tlb(uint32_t va, Access access, uint32_t* pa, uint32_t* fault) {
  const uint32_t vpn = va >> isa::kPageShift;
  const bool is_user = user();
  const bool write = access == Access::Write;
  const bool fetch = access == Access::Exec;
  uint32_t pfn;
  if (tlb_.fast_lookup(vpn, tag_, is_user, write, &pfn)) {  // a hit needing no bookkeeping
    ++(fetch ? counters_.itlb_hits : counters_.dtlb_hits);
    *pa = (pfn << isa::kPageShift) | (va & (isa::kPageSize - 1));
    return true;
  }
  int i = tlb_.find(vpn, tag_);
  if (i >= 0) {
    ++(fetch ? counters_.itlb_hits : counters_.dtlb_hits);
    TlbEntry& e = tlb_.entry(i);
    if ((is_user && !e.user) || (write && !e.writable)) {
      // Permissions come from the cached entry. Like x86, a fault drops the entry,
      // so the handler's fix is seen on the retry without an invlpg.
      tlb_.invalidate(vpn, tag_);
      *fault = isa::fault::PROTECTION;
      return false;
    }
    if (write && !e.dirty) {
      // First write through an entry filled by a read: walk again to set D.
      const WalkResult w = walk(va, access, is_user);
      if (!w.ok) {
        tlb_.invalidate(vpn, tag_);
        *fault = w.nested_fault ? kNestedFault : w.fault;
        return false;
      }
      e.pfn = w.pfn;
      e.writable = w.writable;
      e.user = w.user;
      e.dirty = w.dirty;
    }
    tlb_.fill_fast(i, mem_.frame(e.pfn), mem_.has_code(e.pfn));
    *pa = (e.pfn << isa::kPageShift) | (va & (isa::kPageSize - 1));
    return true;
  }

  ++(fetch ? counters_.itlb_misses : counters_.dtlb_misses);
  const WalkResult w = walk(va, access, is_user);
  if (!w.ok) {
    *fault = w.nested_fault ? kNestedFault : w.fault;
    return false;
  }
  TlbEntry e;
  e.tag = uint16_t(tag_);
  e.vpn = vpn;
  e.pfn = w.pfn;
  e.writable = w.writable;
  e.user = w.user;
  e.dirty = w.dirty;
  i = tlb_.insert(e);
  tlb_.fill_fast(i, mem_.frame(e.pfn), mem_.has_code(e.pfn));
  *pa = (e.pfn << isa::kPageShift) | (va & (isa::kPageSize - 1));
  return true;
}

Machine::Flow Machine::refill_fetch() {
  const uint32_t pc = state_.pc;
  const uint32_t user_bit = user() ? isa::fault::USER : 0;
  if (pc & 3) return take_trap(Cause::MISALIGNED, 0, pc, pc, nullptr);
  uint32_t pa = pc, fault = 0;
  if (translating()) {
    if (!translate_tlb(pc, Access::Exec, &pa, &fault))
      return page_fault(fault | isa::fault::EXEC | user_bit, pc, pc, nullptr);
  } else if (!mem_.contains(pc, 4)) {
    return take_trap(Cause::PAGE_FAULT, isa::fault::EXEC | user_bit, pc, pc, nullptr);
  }
  const uint32_t pfn = pa >> isa::kPageShift;
  bool created = false;
  fetch_slots_ = mem_.decoded_page(pfn, &created);
  if (created) {
    ++counters_.decoded_pages;
    tlb_.revoke_fast_writes(pfn);  // stores to this frame must now re-decode
  }
  fetch_pfn_ = pfn;
  fetch_page_ = pc & ~(isa::kPageSize - 1);
  return Flow::Next;
}

// A failed translation. The guest never sees a nested fault: it exits to the VMM
// with the guest-physical address (qual), the access (info) and the virtual address.
Machine::Flow Machine::page_fault(uint32_t fault_bits, uint32_t va, uint32_t epc,
                                  const isa::Decoded* insn) {
  if (fault_bits & kNestedFault) {
    recheck();
    VmExitInfo x;
    x.reason = isa::vmcb::ExitReason::NESTED_FAULT;
    x.qual = nested_fault_gpa_;
    x.info = fault_bits & ~kNestedFault;
    x.addr = va;
    x.word = insn ? isa::encode(*insn).value_or(0) : 0;
    return exit_guest(x);
  }
  return take_trap(Cause::PAGE_FAULT, fault_bits, va, epc, insn);
}

// Loads and stores that missed the inline fast path: misaligned, TLB miss, not yet
// dirty, a store into a code page, out of physical memory, or a fault.
Machine::Flow Machine::exec_memory(const isa::Decoded& d) {
  uint32_t* r = state_.r;
  uint32_t va = 0, size = 4;
  bool write = false;
  switch (d.op) {
    case Op::LDW: va = r[d.b] + uint32_t(d.imm); break;
    case Op::LDB: va = r[d.b] + uint32_t(d.imm); size = 1; break;
    case Op::STW: va = r[d.b] + uint32_t(d.imm); write = true; break;
    case Op::STB: va = r[d.b] + uint32_t(d.imm); size = 1; write = true; break;
    case Op::PUSH: va = r[isa::kRegSp] - 4; write = true; break;
    case Op::POP: va = r[isa::kRegSp]; break;
    default: return fault(Cause::ILLEGAL, d);
  }
  if (size == 4 && (va & 3)) return fault(Cause::MISALIGNED, d, 0, va);

  uint32_t pa = va, fault_bits = 0;
  const uint32_t detail = (write ? isa::fault::WRITE : 0) | (user() ? isa::fault::USER : 0);
  if (translating()) {
    if (!translate_tlb(va, write ? Access::Write : Access::Read, &pa, &fault_bits))
      return page_fault(fault_bits | detail, va, state_.pc, &d);
  } else if (!mem_.contains(pa, size)) {
    // Nonexistent physical memory behaves like a page that is not present.
    return fault(Cause::PAGE_FAULT, d, detail, va);
  }

  uint8_t* host = mem_.data() + pa;
  if (write) {
    // push: "sp = sp - 4; mem32[sp] = rs", in that order (push sp stores the new sp).
    if (d.op == Op::PUSH) write_reg(isa::kRegSp, va);
    const uint32_t value = r[d.a];  // STORE: A = value; PUSH: A = rs
    if (size == 4) store_le32(host, value);
    else *host = uint8_t(value);
    if (mem_.note_write(pa, size)) ++counters_.code_writes;
  } else {
    const uint32_t value = size == 4 ? load_le32(host) : *host;
    write_reg(d.a, value);
    // pop: "rd = mem32[sp]; sp = sp + 4", in that order (pop sp gives value + 4).
    if (d.op == Op::POP) write_reg(isa::kRegSp, r[isa::kRegSp] + 4);
  }
  return retire(d);
}

}  // namespace trapeze::machine
