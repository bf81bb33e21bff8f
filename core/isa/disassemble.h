// The disassembler: an instruction word -> canonical assembler text, derived
// from the instruction table. `assemble(disassemble(w))` gives back `w`.
// Here, below the assembler, so the VMM (event log, translation cache) can print
// instructions without it; asm/disassembler.h adds a program's labels.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace trapeze::isa {

// The label at an address, or "" for none.
using LabelAt = std::function<std::string(uint32_t address)>;

// `pc` is the instruction's address, used to print branch and jump targets as
// absolute addresses (or as labels when `label_at` names them).
std::string disassemble(uint32_t word, uint32_t pc, const LabelAt& label_at = nullptr);

}  // namespace trapeze::isa
