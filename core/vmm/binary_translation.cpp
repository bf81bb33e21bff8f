#include "vmm/binary_translation.h"

#include "machine/page_walker.h"

namespace trapeze::vmm {

using isa::Cause;
using isa::Op;
using machine::CostEvent;
using machine::CpuState;

BinaryTranslation::BinaryTranslation(Host& host, Guest& guest, const GuestPlacement& place,
                                     uint32_t capacity)
    : DeprivilegedStrategy(host, guest, place, /*intercept_hypercalls=*/false),
      e_(run_.engine()),
      guest_(guest),
      m_(host.machine),
      shadows_(e_.shadows),
      cache_(capacity, [this](uint32_t gframe, bool has_code) {
        if (has_code)
          shadows_.protect_code(gframe);
        else
          shadows_.unprotect_code(gframe);
      }) {
  e_.code_written = [this](uint32_t gframe, CodeWrite how) { code_written(gframe, how); };
}

uint32_t BinaryTranslation::code_address(uint32_t va) const {
  if (va & 3) return ~0u;
  const uint32_t root = guest_.vcpu.cpu.ptr;
  if (root == 0) return guest_.memory.contains(va, 4) ? va : ~0u;
  const machine::WalkResult w = machine::walk_page_tables(guest_.memory, root, va,
                                                          machine::Access::Exec, false, false);
  if (!w.ok) return ~0u;
  return (w.pfn << isa::kPageShift) | (va & (isa::kPageSize - 1));
}

// ---------------------------------------------------------------------------------
// The run loop's step: user mode untranslated, kernel mode block by block

Flow BinaryTranslation::step(DeprivilegedRun&, const Limits& limits) {
  step_vmm_cycles_ = guest_.counters.vmm.vmm_cycles;
  if (virtual_user()) {  // untranslated, as under trap-and-emulate
    lose_position();
    return run_on_host(limits.instructions, limits);
  }
  if (guest_.counters.vmm.reflected != reflected_) {  // a trap or interrupt came in
    lose_position();
    reflected_ = guest_.counters.vmm.reflected;
  }
  const uint32_t pc = m_.state().pc;
  const uint32_t gpa = code_address(pc);
  if (gpa == ~0u) {  // fetching it faults: let the host take the fault, precisely
    lose_position();
    return run_on_host(1, limits);
  }
  if (cache_.alive(current_)) {  // resume the block a trap or a device event interrupted
    const Block& b = cache_.at(current_.slot);
    if (pc == b.gva + 4 * offset_ && gpa == b.gpa + 4 * offset_)
      return run_block(current_.slot, limits);
  }
  const uint32_t slot = enter(pc, gpa);
  current_ = cache_.link_to(slot);
  from_ = BlockLink{};
  offset_ = 0;
  ++cache_.at(slot).chain.runs;
  return run_block(slot, limits);
}

uint32_t BinaryTranslation::enter(uint32_t pc, uint32_t gpa) {
  VmmCounters& vc = guest_.counters.vmm;
  int edge = -1;  // the successor of the block just finished that pc is
  if (cache_.alive(from_)) {
    const Block& f = cache_.at(from_.slot);
    for (int e = 0; e < 2 && edge < 0; ++e)
      if (f.successor[e] == pc) edge = e;
    if (edge >= 0 && cache_.alive(f.link[edge])) {
      const uint32_t to = f.link[edge].slot;
      const Block& t = cache_.at(to);
      if (t.gva == pc && t.gpa == gpa) {  // the chain still leads to the right code
        ++vc.bt_chained;
        return to;
      }
    }
  }
  // The dispatcher: look it up, translate it on a miss.
  charge(CostEvent::BT_LOOKUP);
  uint32_t slot = cache_.find(gpa, pc);
  if (slot != ~0u) {
    ++vc.bt_hits;
  } else {
    ++vc.bt_misses;
    slot = translate(pc, gpa);
  }
  if (edge >= 0 && cache_.alive(from_))  // (a translation may have evicted it)
    cache_.at(from_.slot).link[edge] = cache_.link_to(slot);
  return slot;
}

uint32_t BinaryTranslation::translate(uint32_t pc, uint32_t gpa) {
  fold_host_counters();  // protecting a new code page moves the host's TLB counters
  Block b = translate_block(
      pc, gpa, [this](uint32_t at) { return guest_.memory.read32(at); },
      [this](uint32_t at) { return adaptive_.count(at) != 0; });
  const uint32_t n = uint32_t(b.insns.size());
  const bool callout = b.has_callout();
  VmmCounters& vc = guest_.counters.vmm;
  ++vc.bt_blocks_translated;
  vc.bt_instructions_translated += n;
  charge(CostEvent::BT_TRANSLATE, n);
  uint32_t evicted = 0;
  const uint32_t slot = cache_.insert(std::move(b), evicted);
  vc.bt_evictions += evicted;
  log(EventKind::TRANSLATE, pc, 0, gpa, n, callout ? 1 : 0);
  return slot;
}

Flow BinaryTranslation::run_block(uint32_t slot, const Limits& limits) {
  if (offset_ < cache_.at(slot).kept) {
    // The kept instructions, in place on the host. An idle loop runs on to the
    // next event at once, as the machine runs it (idle_loop()). Any other block
    // runs with the machine's block observer, which enters its successors along
    // their chains in the same run (block_end()): the run stops where the VMM has
    // to act, and `current_` and `offset_` then say where, as if it had gone
    // block by block.
    const bool idle = offset_ == 0 && idle_loop(slot);
    const uint64_t before = guest_.executed;
    Flow flow;
    if (idle) {
      flow = run_on_host(limits.instructions, limits);
    } else {
      block_start_ = 0 - uint64_t(offset_);
      m_.set_block_observer(this, cache_.at(slot).kept - offset_, &cache_.at(slot).chain);
      m_.chain_run().owed = guest_.counters.vmm.vmm_cycles - step_vmm_cycles_;
      flow = run_on_host(limits.instructions, limits);  // (run_stopped() says where)
      m_.set_block_observer(nullptr, 0, nullptr);
    }
    if (flow == Flow::Stop) return Flow::Stop;
    if (guest_.counters.vmm.reflected != reflected_ || virtual_user() || !cache_.alive(current_)) {
      lose_position();  // a trap went to the guest, or the block was invalidated
      reflected_ = guest_.counters.vmm.reflected;
      return Flow::Continue;
    }
    uint64_t ran = guest_.executed - before;
    if (idle) {
      if (ran > 1) {
        // Each iteration after the first would have entered the block again along
        // its chain to itself: free, counted.
        guest_.counters.vmm.bt_chained += ran - 1;
        cache_.at(slot).chain.runs += ran - 1;
        ran = 1;
      }
      offset_ += uint32_t(ran);
    } else {
      offset_ = uint32_t(ran - block_start_);  // in the block it stopped in
    }
    // Interrupted (a device event is due, a hidden fault, a limit), or at the
    // callout: back to the loop first, so an interrupt due before the callout is
    // delivered before it, as on bare metal.
    const Block& b = cache_.at(current_.slot);
    if (offset_ < b.kept || b.has_callout()) return Flow::Continue;
    from_ = current_;  // done: its successor is entered by a chain or a lookup
    current_ = BlockLink{};
    return Flow::Continue;
  }
  return callout(cache_.at(slot), limits);
}

// `jmp .` chained to itself: entering it again costs the VMM nothing (a chain,
// no lookup, no charge) and changes nothing the guest sees, so running its
// iterations in one host run (the machine's idle fast path, up to the next event,
// the quantum or a limit) is what running them one by one does. Until the chain
// exists the first entries go the ordinary way (the lookup that makes it is
// charged).
bool BinaryTranslation::idle_loop(uint32_t slot) const {
  const Block& b = cache_.at(slot);
  if (b.kept != 1 || b.insns.size() != 1 || b.successor[0] != b.gva) return false;
  const isa::Decoded d = isa::decode(b.insns[0].word);
  if (d.op != Op::JMP) return false;
  return cache_.alive(b.link[0]) && b.link[0].slot == slot;
}

// ---------------------------------------------------------------------------------
// Callouts

Flow BinaryTranslation::callout(const Block& b, const Limits& limits) {
  const TranslatedInsn row = b.callout();  // a copy: the call may drop the block
  fold_host_counters();
  // The instruction is fetched from the host's view, as the kept ones are: if the
  // shadow does not map it yet, that is the fetch fault the host would take.
  const machine::Machine::Translation fetch = m_.translate(row.pc, machine::Access::Exec, true);
  if (!fetch.ok) {
    machine::TrapEvent f;
    f.cause = Cause::PAGE_FAULT;
    f.detail = isa::fault::EXEC | isa::fault::USER | fetch.fault;
    f.badaddr = f.pc = f.epc = row.pc;
    f.user = true;
    return handle_trap(f);  // hidden: the next step comes back here; else reflected
  }
  const isa::Decoded d = isa::decode(row.word);
  const uint64_t executed = guest_.executed;
  Flow flow;
  if (row.form == Translated::StoreCallout) {
    flow = adaptive_store(d, row.pc, row.word, limits);
  } else {
    const Entry entry = row.form == Translated::Inline ? Entry::Inline : Entry::Callout;
    VmmCounters& vc = guest_.counters.vmm;
    ++vc.bt_callouts;
    ++vc.bt_callouts_by_op[uint8_t(d.op)];
    if (entry == Entry::Inline) ++vc.bt_inline;
    charge(entry == Entry::Inline ? CostEvent::BT_INLINE : CostEvent::BT_CALLOUT);
    // rdpsw, wrpsw and sptr too: on the virtual PSW and PTR, as bare metal runs
    // them in kernel mode (under trap-and-emulate they never reach the VMM).
    flow = run_.emulate(d, row.pc, row.word, entry);
  }
  if (flow == Flow::Stop) return flow;
  if (guest_.counters.vmm.reflected != reflected_ || !cache_.alive(current_)) {
    lose_position();
    reflected_ = guest_.counters.vmm.reflected;
  } else if (guest_.executed != executed) {  // done (not stopped by a hidden fault)
    from_ = current_;
    current_ = BlockLink{};
  }
  return Flow::Continue;
}

// A store translated as a callout because it once trapped on a page table: the VMM
// does the store and the shadow update itself, with no trap. If the store would not
// hit a page table now (or would fault), the host runs it instead, precisely.
Flow BinaryTranslation::adaptive_store(const isa::Decoded& d, uint32_t pc, uint32_t word,
                                       const Limits& limits) {
  const CpuState& s = m_.state();
  const uint32_t va = d.op == Op::PUSH ? s.r[isa::kRegSp] - 4 : s.r[d.b] + uint32_t(d.imm);
  const bool aligned = d.op == Op::STB || (va & 3) == 0;
  const uint32_t root = guest_.vcpu.cpu.ptr;
  if (aligned && root != 0) {
    const machine::WalkResult w = machine::walk_page_tables(guest_.memory, root, va,
                                                            machine::Access::Write, false, false);
    if (w.ok && shadows_.is_table_page(w.pfn)) {
      // The walk the hardware would make (A and D set in the guest's entry).
      const ShadowPageTables::FaultResult r = shadows_.handle_fault(va, machine::Access::Write);
      sync_hardware();
      if (r.outcome == ShadowPageTables::Outcome::WriteProtected) {
        uint32_t dropped = 0;
        if (run_.apply_store(d, pc, va, r.gpa, dropped)) {
          VmmCounters& vc = guest_.counters.vmm;
          ++vc.bt_callouts;
          ++vc.bt_callouts_by_op[uint8_t(d.op)];
          ++vc.bt_adaptive_stores;
          charge(CostEvent::BT_CALLOUT);
          if (dropped) charge(CostEvent::SHADOW_UPDATE, dropped);
          log(EventKind::CALLOUT, pc, word, va, payload(CalloutEntry::CALL));
          return Flow::Continue;
        }
      }
    }
  }
  return run_on_host(1, limits);
}

// ---------------------------------------------------------------------------------
// Invalidation and adaptation

void BinaryTranslation::code_written(uint32_t gframe, CodeWrite how) {
  fold_host_counters();
  const uint32_t dropped = cache_.invalidate_page(gframe);
  for (auto it = adaptive_.begin(); it != adaptive_.end();)  // the code may be new
    it = (*it >> isa::kPageShift) == gframe ? adaptive_.erase(it) : std::next(it);
  VmmCounters& vc = guest_.counters.vmm;
  ++vc.bt_invalidations;
  vc.bt_blocks_invalidated += dropped;
  log(EventKind::INVALIDATE, m_.state().pc, 0, gframe << isa::kPageShift, dropped,
      payload(how == CodeWrite::Dma ? Invalidation::DMA : Invalidation::STORE));
}

void BinaryTranslation::store_emulated(uint32_t pc, uint32_t word, bool table) {
  if (!table || virtual_user() || !cache_.alive(current_)) return;
  const Block& b = cache_.at(current_.slot);
  if (pc < b.gva || pc >= b.gva + 4 * b.kept) return;  // not from this block's kept code
  // Next time this store is a callout: re-translate its block.
  adaptive_.insert(b.gpa + (pc - b.gva));
  const uint32_t page = b.gpa & isa::pte::FRAME;
  cache_.remove(current_.slot);
  lose_position();
  log(EventKind::INVALIDATE, pc, word, page, 1, payload(Invalidation::ADAPTIVE));
}

}  // namespace trapeze::vmm
