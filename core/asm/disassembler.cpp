// The disassembler prints each format the way the assembler reads it
// (syntax.h), so its output assembles back to the same word.
#include "asm/disassembler.h"

#include <cstdio>

#include "asm/assembler.h"
#include "isa/isa.h"

namespace trapeze::assembler {
namespace {

std::string hex(uint32_t v, bool padded) {
  char buf[16];
  std::snprintf(buf, sizeof buf, padded ? "0x%08x" : "0x%x", v);
  return buf;
}

// A label at exactly `address`, else the address itself.
std::string target_text(uint32_t address, const Program* program) {
  if (program)
    for (const Symbol& s : program->symbols)
      if (s.is_label && s.value == address) return s.name;
  return hex(address, true);
}

}  // namespace

std::string disassemble(uint32_t word, uint32_t pc, const Program* program) {
  const isa::InsnInfo* insn = isa::info(uint8_t(word >> 24));
  const isa::Decoded d = isa::decode(word);
  // Only the canonical encoding is an instruction: a word with stray bits in its
  // unused fields (or an out-of-range control register) would not assemble back.
  if (!insn || isa::encode(d) != word) return ".word " + hex(word, true);

  const std::string_view a = isa::reg_name(d.a), b = isa::reg_name(d.b), c = isa::reg_name(d.c);
  const std::string imm =
      isa::imm_is_unsigned(d.op) ? hex(uint32_t(d.imm), false) : std::to_string(d.imm);
  const std::string target = target_text(pc + 4 + uint32_t(d.imm), program);
  std::string ops;
  auto join = [&ops](std::initializer_list<std::string_view> parts) {
    for (std::string_view p : parts) ops += (ops.empty() ? "" : ", ") + std::string(p);
  };
  switch (insn->format) {
    case isa::Format::NONE: break;
    case isa::Format::R3: join({a, b, c}); break;
    case isa::Format::RI: join({a, imm}); break;
    case isa::Format::RRI: join({a, b, imm}); break;
    case isa::Format::LOAD:
    case isa::Format::STORE: join({a, imm + "(" + std::string(b) + ")"}); break;
    case isa::Format::RS:
    case isa::Format::RD: join({a}); break;
    case isa::Format::BR: join({a, b, target}); break;
    case isa::Format::J: join({target}); break;
    case isa::Format::IMM: join({imm}); break;
    case isa::Format::PIN: join({a, imm}); break;
    case isa::Format::POUT: join({imm, a}); break;
    case isa::Format::CRR: join({a, isa::cr_name(d.b)}); break;
    case isa::Format::CRW: join({isa::cr_name(d.b), a}); break;
  }
  return ops.empty() ? std::string(insn->mnemonic) : std::string(insn->mnemonic) + " " + ops;
}

}  // namespace trapeze::assembler
