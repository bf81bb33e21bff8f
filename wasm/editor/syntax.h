// Syntax colouring for the guest assembly: one source line -> classified spans.
//
// Everything the colours say comes from the tables the assembler uses: mnemonics
// and their privilege/sensitivity from the ISA table (isa::kInstructions), the
// pseudo-instructions from the assembler's own table (asm/pseudo.h), register
// and control-register names from isa::parse_reg / isa::parse_cr. Privileged
// instructions and the sensitive-but-unprivileged ones ("virtualization holes",
// Popek & Goldberg) get their own classes because that distinction is what the
// lecture is about. No ImGui here: this is pure logic, unit-tested.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace trapeze::ui::editor {

enum class TokenKind : uint8_t {
  Plain,        // anything unclassified (an unknown word at the mnemonic position)
  Instruction,  // an ordinary machine instruction
  Privileged,   // InsnInfo::privileged(): faults in user mode, a VMM traps and emulates it
  VirtHole,     // InsnInfo::virtualization_hole(): sensitive, yet does not trap
  Pseudo,       // an assembler pseudo-instruction (li, mov, b, ...)
  Directive,    // .word, .org, ...
  Label,        // "name:" at the start of a statement, colon included
  Register,     // r0..r15, sp, lr, zero
  ControlReg,   // epc, cause, ... as an operand of an instruction that takes one
  Number,       // 42, 0x2a, 0b101010, 'H'
  String,       // "text"
  Comment,      // ; ... or // ... to the end of the line
  Symbol,       // a name used as an operand (a label, an .equ constant)
  Punct,        // , ( ) + - and other operators
  Count
};

std::string_view token_kind_name(TokenKind k);

struct Token {
  int begin = 0;  // byte offsets into the line, [begin, end)
  int end = 0;
  TokenKind kind = TokenKind::Plain;
};

// Classifies one line. Whitespace is not covered by any token; every other byte
// is covered by exactly one. Never fails: unterminated strings run to the end
// of the line, unknown bytes are Punct. `out` is cleared first.
void tokenize_line(std::string_view line, std::vector<Token>& out);
std::vector<Token> tokenize_line(std::string_view line);

// How a word at the mnemonic position of a statement is classified
// (Instruction, Privileged, VirtHole, Pseudo, or Plain when it is none of them).
TokenKind classify_mnemonic(std::string_view word);

}  // namespace trapeze::ui::editor
