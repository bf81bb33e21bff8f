// Pseudo-instructions: assembler conveniences that expand to table instructions.
// They exist only in the source; the machine, the disassembler and the
// Popek–Goldberg classification see only the instructions they expand to.
#pragma once

#include <string_view>

namespace trapeze::assembler {

struct PseudoInsn {
  std::string_view name;
  std::string_view operands;   // as written in messages and docs: "rd, rs"
  std::string_view expansion;  // instructions separated by ';'; $1..$3 are the operands
  // li only: the one-instruction form, used when $2's value is known at that point
  // of the first pass and fits in 16 signed bits. Both passes decide alike, so
  // the sizes (and every label after it) agree.
  std::string_view short_expansion = {};
};

// clang-format off
inline constexpr PseudoInsn kPseudoInsns[] = {
  {"nop",  "",                 "add r0, r0, r0"},
  {"mov",  "rd, rs",           "add $1, $2, r0"},
  {"li",   "rd, value",        "lui $1, hi($2); ori $1, $1, lo($2)", "addi $1, r0, $2"},
  {"la",   "rd, address",      "lui $1, hi($2); ori $1, $1, lo($2)"},
  {"not",  "rd, rs",           "sub $1, r0, $2; addi $1, $1, -1"},  // ~x == -x - 1
  {"neg",  "rd, rs",           "sub $1, r0, $2"},
  {"b",    "target",           "jmp $1"},
  {"beqz", "rs, target",       "beq $1, r0, $2"},
  {"bnez", "rs, target",       "bne $1, r0, $2"},
  {"bgt",  "rs1, rs2, target", "blt $2, $1, $3"},
  {"ble",  "rs1, rs2, target", "bge $2, $1, $3"},
  {"bgtu", "rs1, rs2, target", "bltu $2, $1, $3"},
  {"bleu", "rs1, rs2, target", "bgeu $2, $1, $3"},
};
// clang-format on

// `name` in lower case; nullptr if it is not a pseudo-instruction.
const PseudoInsn* find_pseudo(std::string_view name);

// How many operands a pseudo-instruction takes (counted from `operands`).
int operand_count(const PseudoInsn& p);

}  // namespace trapeze::assembler
