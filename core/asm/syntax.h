// How each instruction format is written in assembly and where its operands sit
// in the instruction word. The assembler checks operand counts against it, the
// error messages quote it, and the reference page (docs/isa.md) prints it.
#pragma once

#include <string_view>

#include "isa/isa.h"

namespace trapeze::assembler {

struct FormatSyntax {
  isa::Format format;
  std::string_view name;      // "R3", as in isa::Format
  std::string_view operands;  // "rd, rs1, rs2"; empty for no operands
  int operand_count;
  std::string_view fields;  // the word's fields below the opcode byte
};

// In isa::Format order (checked below), so syntax() is an index.
inline constexpr FormatSyntax kFormatSyntax[] = {
    {isa::Format::NONE, "NONE", "", 0, "[23:0] 0"},
    {isa::Format::R3, "R3", "rd, rs1, rs2", 3, "[23:20] rd, [19:16] rs1, [15:12] rs2, [11:0] 0"},
    {isa::Format::RI, "RI", "rd, imm", 2, "[23:20] rd, [19:16] 0, [15:0] imm"},
    {isa::Format::RRI, "RRI", "rd, rs1, imm", 3, "[23:20] rd, [19:16] rs1, [15:0] imm"},
    {isa::Format::LOAD, "LOAD", "rd, imm(rs1)", 2, "[23:20] rd, [19:16] rs1, [15:0] imm"},
    {isa::Format::STORE, "STORE", "rs2, imm(rs1)", 2, "[23:20] rs2, [19:16] rs1, [15:0] imm"},
    {isa::Format::RS, "RS", "rs", 1, "[23:20] rs, [19:0] 0"},
    {isa::Format::RD, "RD", "rd", 1, "[23:20] rd, [19:0] 0"},
    {isa::Format::BR, "BR", "rs1, rs2, target", 3,
     "[23:20] rs1, [19:16] rs2, [15:0] (target - (pc + 4)) / 4"},
    {isa::Format::J, "J", "target", 1, "[23:0] (target - (pc + 4)) / 4"},
    {isa::Format::IMM, "IMM", "imm", 1, "[23:16] 0, [15:0] imm"},
    {isa::Format::PIN, "PIN", "rd, port", 2, "[23:20] rd, [19:16] 0, [15:0] port"},
    {isa::Format::POUT, "POUT", "port, rs", 2, "[23:20] rs, [19:16] 0, [15:0] port"},
    {isa::Format::CRR, "CRR", "rd, cr", 2, "[23:20] rd, [19:16] cr, [15:0] 0"},
    {isa::Format::CRW, "CRW", "cr, rs", 2, "[23:20] rs, [19:16] cr, [15:0] 0"},
};

constexpr bool format_syntax_in_enum_order() {
  for (size_t i = 0; i < std::size(kFormatSyntax); ++i)
    if (static_cast<size_t>(kFormatSyntax[i].format) != i) return false;
  return true;
}
static_assert(format_syntax_in_enum_order(), "kFormatSyntax must follow isa::Format's order");
static_assert(std::size(kFormatSyntax) == static_cast<size_t>(isa::Format::CRW) + 1,
              "every isa::Format needs a row in kFormatSyntax");

constexpr const FormatSyntax& syntax(isa::Format f) {
  return kFormatSyntax[static_cast<size_t>(f)];
}

}  // namespace trapeze::assembler
