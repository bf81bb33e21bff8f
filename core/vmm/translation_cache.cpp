#include "vmm/translation_cache.h"

#include <algorithm>
#include <cstdio>

#include "isa/disassemble.h"
#include "isa/isa.h"

namespace trapeze::vmm {

using isa::Op;

bool translated_inline(uint8_t opcode) {
  const isa::InsnInfo* i = isa::info(opcode);
  return i && i->bt_inline();  // the ISA table's BT_INLINE flag
}

namespace {

bool is_store(Op op) { return op == Op::STW || op == Op::STB || op == Op::PUSH; }

}  // namespace

Block translate_block(uint32_t gva, uint32_t gpa, const std::function<uint32_t(uint32_t)>& word,
                      const std::function<bool(uint32_t)>& adaptive) {
  Block b;
  b.gva = gva;
  b.gpa = gpa;
  for (uint32_t i = 0; i < kMaxBlockLength; ++i) {
    const uint32_t pc = gva + 4 * i, at = gpa + 4 * i;
    const uint32_t w = word(at);
    const isa::Decoded d = isa::decode(w);
    const isa::InsnInfo* info = isa::info(uint8_t(w >> 24));
    TranslatedInsn row{pc, w, Translated::Kept};
    const uint32_t next = pc + 4;
    if (!info || d.op == Op::ILLEGAL) {
      row.form = Translated::Trap;
    } else if (info->privileged() || info->sensitive()) {
      row.form = translated_inline(info->opcode) ? Translated::Inline : Translated::Callout;
    } else if (is_store(d.op) && adaptive(at)) {
      row.form = Translated::StoreCallout;
    } else if (info->ends_block()) {
      switch (d.op) {
        case Op::JMP: row.form = Translated::Jump; break;
        case Op::CALL: row.form = Translated::Call; break;
        case Op::JR: case Op::CALLR: case Op::RET: row.form = Translated::Indirect; break;
        case Op::SYSCALL: case Op::HYPERCALL: case Op::BRK: row.form = Translated::Trap; break;
        default: row.form = Translated::Jump; break;  // conditional branches
      }
    }
    b.insns.push_back(row);
    switch (row.form) {
      case Translated::Kept:
        if (((next ^ gva) >> isa::kPageShift) != 0 || i + 1 == kMaxBlockLength) {
          b.kept = uint32_t(b.insns.size());
          b.successor[1] = next;  // the page's (or the length's) end
          return b;
        }
        continue;
      case Translated::Jump:
        b.successor[0] = next + uint32_t(d.imm);
        if (d.op != Op::JMP) b.successor[1] = next;
        break;
      case Translated::Call: b.successor[0] = next + uint32_t(d.imm); break;
      case Translated::Indirect:
      case Translated::Trap: break;
      case Translated::Callout:
      case Translated::Inline:
      case Translated::StoreCallout:
        // rti goes where EPC says (a lookup); halt goes nowhere.
        if (d.op != Op::RTI && d.op != Op::HALT) b.successor[1] = next;
        b.kept = uint32_t(b.insns.size()) - 1;
        return b;
    }
    b.kept = uint32_t(b.insns.size());
    return b;
  }
  b.kept = uint32_t(b.insns.size());  // not reached: the loop returns at the length limit
  return b;
}

// ---------------------------------------------------------------------------------

TranslationCache::TranslationCache(uint32_t capacity, PageFn on_page)
    : capacity_(std::clamp(capacity, kMinTcCapacity, kMaxTcCapacity)), on_page_(std::move(on_page)) {}

uint32_t TranslationCache::find_indexed(uint32_t gpa, uint32_t gva) const {
  const auto it = index_.find(key(gpa, gva));
  if (it == index_.end()) return ~0u;
  memo_[(gva >> 2) & (kMemoSize - 1)] = it->second;
  return it->second;
}

uint32_t TranslationCache::insert(Block block, uint32_t& evicted) {
  evicted = 0;
  const uint32_t n = uint32_t(block.insns.size());
  while (used_ + n > capacity_ && !order_.empty()) {
    const BlockLink oldest = order_.front();
    order_.pop_front();
    if (!alive(oldest)) continue;  // already invalidated
    drop(oldest.slot);
    ++evicted;
  }
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = uint32_t(slots_.size());
    slots_.emplace_back();
  }
  block.serial = next_serial_++;
  const uint32_t gframe = block.gpa >> isa::kPageShift;
  slots_[slot] = std::move(block);
  describe_to_machine(slot);
  index_[key(slots_[slot].gpa, slots_[slot].gva)] = slot;
  std::vector<uint32_t>& page = by_page_[gframe];
  page.push_back(slot);
  if (page.size() == 1 && on_page_) on_page_(gframe, true);
  order_.push_back(link_to(slot));
  used_ += n;
  // The FIFO keeps dead entries until they reach the front: bound it.
  if (order_.size() > 4 * capacity_)
    order_.erase(std::remove_if(order_.begin(), order_.end(),
                                [this](const BlockLink& l) { return !alive(l); }),
                 order_.end());
  return slot;
}

void TranslationCache::describe_to_machine(uint32_t slot) {
  Block& b = slots_[slot];
  b.chain.length = b.kept;
  b.chain.exit_pc[0] = b.successor[0];
  b.chain.exit_pc[1] = b.successor[1];
  b.chain.exit_pc[machine::ChainedBlock::kIndirect] = kNoPc;
  b.chain.tag = slot;
  b.chain.next[0] = b.chain.next[1] = b.chain.next[2] = nullptr;  // (none outside a run)
}

void TranslationCache::drop(uint32_t slot) {
  Block& b = slots_[slot];
  const uint32_t gframe = b.gpa >> isa::kPageShift;
  index_.erase(key(b.gpa, b.gva));
  auto it = by_page_.find(gframe);
  if (it != by_page_.end()) {
    std::vector<uint32_t>& page = it->second;
    page.erase(std::remove(page.begin(), page.end(), slot), page.end());
    if (page.empty()) {
      by_page_.erase(it);
      if (on_page_) on_page_(gframe, false);
    }
  }
  used_ -= uint32_t(b.insns.size());
  b = Block{};  // serial 0: every chain into it is dead
  free_.push_back(slot);
}

void TranslationCache::remove(uint32_t slot) {
  if (slot < slots_.size() && slots_[slot].serial) drop(slot);
}

uint32_t TranslationCache::invalidate_page(uint32_t gframe) {
  const auto it = by_page_.find(gframe);
  if (it == by_page_.end()) return 0;
  const std::vector<uint32_t> slots = it->second;  // drop() edits the list
  for (uint32_t s : slots) drop(s);
  return uint32_t(slots.size());
}

void TranslationCache::clear() {
  for (uint32_t s = 0; s < slots_.size(); ++s)
    if (slots_[s].serial) drop(s);
  order_.clear();
}

// ---------------------------------------------------------------------------------
// Inspection

std::vector<TranslationCache::BlockInfo> TranslationCache::blocks() const {
  std::vector<BlockInfo> out;
  for (const BlockLink& l : order_) {
    if (!alive(l)) continue;
    const Block& b = slots_[l.slot];
    BlockInfo i;
    i.id = b.serial;
    i.gva = b.gva;
    i.gpa = b.gpa;
    i.length = uint32_t(b.insns.size());
    i.kept = b.kept;
    i.callout = b.has_callout();
    for (int e = 0; e < 2; ++e) {
      i.successor[e] = b.successor[e];
      i.chained[e] = alive(b.link[e]);
    }
    i.runs = b.chain.runs;
    out.push_back(i);
  }
  return out;
}

namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string reg(int r) { return std::string(isa::reg_name(r)); }

// What the VMM does for a callout, in the virtual CPU's terms.
std::string callout_text(const isa::Decoded& d, const std::string& original) {
  switch (d.op) {
    case Op::EI: return "inline: vcpu.psw.IE = 1";
    case Op::DI: return "inline: vcpu.psw.IE = 0";
    case Op::RDPSW: return "inline: " + reg(d.a) + " = vcpu.psw";
    case Op::SPTR: case Op::RDPTR: return "inline: " + reg(d.a) + " = vcpu.ptr";
    case Op::MFCR: return "inline: " + reg(d.a) + " = vcpu.cr[" + std::string(isa::cr_name(d.b)) + "]";
    case Op::MTCR: return "inline: vcpu.cr[" + std::string(isa::cr_name(d.b)) + "] = " + reg(d.a);
    case Op::LDTVEC: return "inline: vcpu.tvec = " + reg(d.a);
    case Op::WRPSW: return "callout vmm_wrpsw(" + reg(d.a) + ")  ; may switch to user mode";
    case Op::LDPTR: return "callout vmm_ldptr(" + reg(d.a) + ")  ; switch shadow tables";
    case Op::RTI: return "callout vmm_rti()  ; pc = vcpu.epc, psw = vcpu.epsw; lookup";
    default: return "callout vmm_" + original;
  }
}

}  // namespace

std::vector<TranslationCache::Row> TranslationCache::rows(uint64_t id) const {
  std::vector<Row> out;
  for (const Block& b : slots_) {
    if (b.serial != id || id == 0) continue;
    for (const TranslatedInsn& t : b.insns) {
      Row r;
      r.pc = t.pc;
      r.word = t.word;
      r.original = isa::disassemble(t.word, t.pc);
      const isa::Decoded d = isa::decode(t.word);
      const uint32_t next = t.pc + 4;
      switch (t.form) {
        case Translated::Kept: r.translated = r.original; break;
        case Translated::Jump:
          r.translated = r.original + "  ; to block " + hex(next + uint32_t(d.imm));
          break;
        case Translated::Call:
          r.translated = "lr = " + hex(next) + "; jmp block " + hex(next + uint32_t(d.imm));
          break;
        case Translated::Indirect:
          r.translated = d.op == Op::RET   ? "dispatch(lr)  ; lookup"
                         : d.op == Op::JR ? "dispatch(" + reg(d.a) + ")  ; lookup"
                                           : "lr = " + hex(next) + "; dispatch(" + reg(d.a) +
                                                 ")  ; lookup";
          break;
        case Translated::Trap: r.translated = r.original + "  ; traps: reflected"; break;
        case Translated::Callout:
        case Translated::Inline: r.translated = callout_text(d, r.original); break;
        case Translated::StoreCallout:
          r.translated = "callout vmm_store(" + r.original + ")  ; page table: store + shadow";
          break;
      }
      out.push_back(std::move(r));
    }
    break;
  }
  return out;
}

}  // namespace trapeze::vmm
