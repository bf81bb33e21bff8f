// The disassembler with a program's labels: isa/disassemble.h, printing branch
// and jump targets by the label the program defines there.
#pragma once

#include <cstdint>
#include <string>

namespace trapeze::assembler {

struct Program;

// `pc` is the instruction's address, used to print branch and jump targets as
// absolute addresses (or as symbols when `symbols` is given).
std::string disassemble(uint32_t word, uint32_t pc, const Program* symbols = nullptr);

}  // namespace trapeze::assembler
