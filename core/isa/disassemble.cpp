// The disassembler prints each format the way the assembler reads it
// (asm/syntax.h), so its output assembles back to the same word.
#include "isa/disassemble.h"

#include <cstdio>

#include "isa/isa.h"

namespace trapeze::isa {
namespace {

std::string hex(uint32_t v, bool padded) {
  char buf[16];
  std::snprintf(buf, sizeof buf, padded ? "0x%08x" : "0x%x", v);
  return buf;
}

// A label at exactly `address`, else the address itself.
std::string target_text(uint32_t address, const LabelAt& label_at) {
  if (label_at)
    if (std::string label = label_at(address); !label.empty()) return label;
  return hex(address, true);
}

}  // namespace

std::string disassemble(uint32_t word, uint32_t pc, const LabelAt& label_at) {
  const InsnInfo* insn = info(uint8_t(word >> 24));
  const Decoded d = decode(word);
  // Only the canonical encoding is an instruction: a word with stray bits in its
  // unused fields (or an out-of-range control register) would not assemble back.
  if (!insn || encode(d) != word) return ".word " + hex(word, true);

  const std::string_view a = reg_name(d.a), b = reg_name(d.b), c = reg_name(d.c);
  const std::string imm =
      imm_is_unsigned(d.op) ? hex(uint32_t(d.imm), false) : std::to_string(d.imm);
  const std::string target = target_text(pc + 4 + uint32_t(d.imm), label_at);
  std::string ops;
  auto join = [&ops](std::initializer_list<std::string_view> parts) {
    for (std::string_view p : parts) ops += (ops.empty() ? "" : ", ") + std::string(p);
  };
  switch (insn->format) {
    case Format::NONE: break;
    case Format::R3: join({a, b, c}); break;
    case Format::RI: join({a, imm}); break;
    case Format::RRI: join({a, b, imm}); break;
    case Format::LOAD:
    case Format::STORE: join({a, imm + "(" + std::string(b) + ")"}); break;
    case Format::RS:
    case Format::RD: join({a}); break;
    case Format::BR: join({a, b, target}); break;
    case Format::J: join({target}); break;
    case Format::IMM: join({imm}); break;
    case Format::PIN: join({a, imm}); break;
    case Format::POUT: join({imm, a}); break;
    case Format::CRR: join({a, cr_name(d.b)}); break;
    case Format::CRW: join({cr_name(d.b), a}); break;
  }
  return ops.empty() ? std::string(insn->mnemonic) : std::string(insn->mnemonic) + " " + ops;
}

}  // namespace trapeze::isa
