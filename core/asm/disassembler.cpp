#include "asm/disassembler.h"

#include "asm/assembler.h"
#include "isa/disassemble.h"

namespace trapeze::assembler {

std::string disassemble(uint32_t word, uint32_t pc, const Program* program) {
  if (!program) return isa::disassemble(word, pc);
  return isa::disassemble(word, pc, [program](uint32_t address) {
    for (const Symbol& s : program->symbols)
      if (s.is_label && s.value == address) return s.name;
    return std::string();
  });
}

}  // namespace trapeze::assembler
