// The disassembler: an instruction word -> canonical assembler text, derived
// from the instruction table. `assemble(disassemble(w))` gives back `w`.
#pragma once

#include <cstdint>
#include <string>

namespace trapeze::assembler {

struct Program;

// `pc` is the instruction's address, used to print branch and jump targets as
// absolute addresses (or as symbols when `symbols` is given).
std::string disassemble(uint32_t word, uint32_t pc, const Program* symbols = nullptr);

}  // namespace trapeze::assembler
