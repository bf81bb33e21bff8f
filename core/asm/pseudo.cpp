#include "asm/pseudo.h"

namespace trapeze::assembler {

const PseudoInsn* find_pseudo(std::string_view name) {
  for (const PseudoInsn& p : kPseudoInsns)
    if (p.name == name) return &p;
  return nullptr;
}

int operand_count(const PseudoInsn& p) {
  if (p.operands.empty()) return 0;
  int n = 1;
  for (char c : p.operands) n += c == ',';
  return n;
}

}  // namespace trapeze::assembler
