#include "asm/reference.h"

#include <cstdio>
#include <vector>

#include "asm/predefined.h"
#include "asm/pseudo.h"
#include "asm/syntax.h"
#include "isa/ports.h"

namespace trapeze::assembler {
namespace {

std::string hex(uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", digits, v);
  return buf;
}

// Markdown table cells: a '|' would end the cell.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string code(std::string_view s) {
  std::string c = "`";  // appended, not "`" + string: GCC 12 warns (-Wrestrict) on that
  c.append(s).append("`");
  return c;
}

std::string usage(std::string_view mnemonic, std::string_view operands) {
  return operands.empty() ? std::string(mnemonic)
                          : std::string(mnemonic) + " " + std::string(operands);
}

std::string mnemonic_list(const std::vector<const isa::InsnInfo*>& insns) {
  std::string s;
  for (const isa::InsnInfo* i : insns) s += (s.empty() ? "" : ", ") + code(i->mnemonic);
  return s.empty() ? "—" : s;
}

// A pseudo-instruction's template with $N replaced by its operand names.
std::string expansion_text(const PseudoInsn& p, std::string_view templ) {
  std::vector<std::string> names;
  std::string_view ops = p.operands;
  while (!ops.empty()) {
    const size_t comma = ops.find(", ");
    names.emplace_back(ops.substr(0, comma));
    ops = comma == std::string_view::npos ? std::string_view() : ops.substr(comma + 2);
  }
  std::string out;
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] == '$' && i + 1 < templ.size() && templ[i + 1] >= '1' && templ[i + 1] <= '9') {
      out += names[size_t(templ[i + 1] - '1')];
      ++i;
    } else {
      out += templ[i];
    }
  }
  return out;
}

void formats(std::string& md) {
  md +=
      "### Instruction formats\n\n"
      "Every instruction is one 32-bit little-endian word; bits 31..24 hold the opcode.\n"
      "Immediates are 16 bits: sign-extended, except for `lui`, the logical and shift\n"
      "immediates, ports and hypercall numbers, which are zero-extended.\n\n"
      "| format | operands | bits 23..0 |\n|---|---|---|\n";
  for (const FormatSyntax& f : kFormatSyntax)
    md += "| " + std::string(f.name) + " | " + (f.operands.empty() ? "—" : code(f.operands)) +
          " | " + std::string(f.fields) + " |\n";
  md +=
      "\nFields shown as 0 are reserved. The machine ignores them: a word with stray bits\n"
      "there runs as the instruction without them (an `mfcr`/`mtcr` register number of 6 or\n"
      "more is not a reserved field: it raises ILLEGAL). The assembler never sets them, and\n"
      "the disassembler shows such a word as `.word`, since it would not assemble back.\n\n";
}

void instructions(std::string& md) {
  md += "### Instructions\n\n" + std::to_string(isa::kInstructionCount) +
        " instructions. Class: **innocuous** (runs the same in any mode), **privileged** "
        "(faults with `PRIVILEGED` in user mode), **trap** (always raises an exception), "
        "**sensitive-unprivileged** (sensitive, yet runs in user mode without a trap). "
        "Sensitive: **control** (changes privileged state) or **behaviour** (its effect depends "
        "on the mode or on privileged state).\n\n";
  for (const OpcodeGroup& g : kOpcodeGroups) {
    md += "#### " + std::string(g.title) + "\n\n" +
          "| instruction | opcode | format | class | sensitive | traps in user mode | what it does "
          "|\n"
          "|---|---|---|---|---|---|---|\n";
    for (const isa::InsnInfo& i : isa::instructions()) {
      if (i.opcode < g.first || i.opcode > g.last) continue;
      const std::string_view kind = sensitive_kind(i);
      md += "| " + code(usage(i.mnemonic, syntax(i.format).operands)) + " | " + hex(i.opcode, 2) +
            " | " + std::string(syntax(i.format).name) + " | " + std::string(insn_class(i)) +
            " | " + (kind == "none" ? "—" : std::string(kind)) + " | " +
            (i.traps_in_user_mode() ? "yes" : "no") + " | " + cell(i.summary) + " |\n";
    }
    md += "\n";
  }
}

void pseudo_instructions(std::string& md) {
  md +=
      "### Pseudo-instructions\n\n"
      "Assembler shorthands; the machine only ever sees the instructions they expand to.\n\n"
      "| pseudo-instruction | expands to |\n|---|---|\n";
  for (const PseudoInsn& p : kPseudoInsns) {
    std::string to = code(expansion_text(p, p.expansion));
    if (!p.short_expansion.empty())
      to = code(expansion_text(p, p.short_expansion)) +
           " if the value is known at that line and fits in 16 signed bits, else " + to;
    md += "| " + code(usage(p.name, p.operands)) + " | " + cell(to) + " |\n";
  }
  md += "\n";
}

void machine_constants(std::string& md) {
  md += "### I/O ports\n\n| port | symbol | what it does |\n|---|---|---|\n";
  for (const isa::PortInfo& p : isa::kPorts)
    md += "| " + hex(p.number, 2) + " | " + code("PORT_" + std::string(p.name)) + " | " +
          cell(p.summary) + " |\n";
  md += "\n### Trap causes\n\n| code | symbol | meaning |\n|---|---|---|\n";
#define TRAPEZE_CAUSE_ROW(NAME, num, text) \
  md += "| " + std::to_string(num) + " | `CAUSE_" #NAME "` | " text " |\n";
  TRAPEZE_CAUSES(TRAPEZE_CAUSE_ROW)
#undef TRAPEZE_CAUSE_ROW
  md += "\n### Control registers (`mfcr`, `mtcr`)\n\n| number | name |\n|---|---|\n";
  for (int cr = 0; cr < isa::kNumControlRegs; ++cr)
    md += "| " + std::to_string(cr) + " | " + code(isa::cr_name(cr)) + " |\n";
  md += "\n### Predefined symbols\n\nBesides `PORT_*` and `CAUSE_*` above:\n\n";
  std::string group;
  for (const PredefinedSymbol& s : predefined_symbols()) {
    if (s.name.rfind("PORT_", 0) == 0 || s.name.rfind("CAUSE_", 0) == 0) continue;
    if (s.group != group) md += (group.empty() ? "" : "\n") + std::string("- ") + s.group + ":";
    md += std::string(s.group != group ? " " : ", ") + code(s.name) + " = " +
          hex(uint32_t(s.value), 1);
    group = s.group;
  }
  md += "\n\n";
}

void popek_goldberg(std::string& md) {
  std::vector<const isa::InsnInfo*> sensitive, trapping, holes, innocuous;
  for (const isa::InsnInfo& i : isa::instructions()) {
    if (i.sensitive()) sensitive.push_back(&i);
    if (i.sensitive() && i.traps_in_user_mode()) trapping.push_back(&i);
    if (i.virtualization_hole()) holes.push_back(&i);
    if (!i.sensitive()) innocuous.push_back(&i);
  }
  md +=
      "### Popek–Goldberg classification\n\n"
      "A machine can be virtualized by trap-and-emulate alone if every sensitive instruction "
      "traps when the deprivileged guest kernel runs it in user mode (sensitive ⊆ privileged; "
      "Popek & Goldberg, 1974).\n\n"
      "| instructions | count | which |\n|---|---|---|\n";
  md += "| sensitive | " + std::to_string(sensitive.size()) + " | " + mnemonic_list(sensitive) +
        " |\n";
  md += "| sensitive, trap in user mode | " + std::to_string(trapping.size()) + " | " +
        mnemonic_list(trapping) + " |\n";
  md += "| **sensitive, do not trap in user mode** | " + std::to_string(holes.size()) + " | " +
        mnemonic_list(holes) + " |\n";
  md += "| not sensitive | " + std::to_string(innocuous.size()) + " | " + mnemonic_list(innocuous) +
        " |\n\n";
  md += holes.empty()
            ? "Verdict: **classically virtualizable**; `trapeze isa --check` exits with 0.\n"
            : "Verdict: **not classically virtualizable**: " + std::to_string(holes.size()) +
                  " sensitive instructions do not trap in user mode. `trapeze isa --check` exits "
                  "with 3.\n";
}

}  // namespace

std::string_view insn_class(const isa::InsnInfo& i) {
  if (i.virtualization_hole()) return "sensitive-unprivileged";
  if (i.privileged()) return "privileged";
  if (i.flags & isa::TRAP) return "trap";
  return "innocuous";
}

std::string_view sensitive_kind(const isa::InsnInfo& i) {
  const bool control = i.flags & isa::SENS_CTRL, behaviour = i.flags & isa::SENS_BEHAV;
  if (control && behaviour) return "control+behaviour";
  if (control) return "control";
  if (behaviour) return "behaviour";
  return "none";
}

std::string reference_markdown() {
  std::string md = "## Reference\n\n";
  formats(md);
  instructions(md);
  pseudo_instructions(md);
  machine_constants(md);
  popek_goldberg(md);
  return md;
}

std::optional<std::string_view> generated_part(std::string_view doc) {
  const size_t begin = doc.find(kGeneratedBegin);
  if (begin == std::string_view::npos) return std::nullopt;
  const size_t start = begin + kGeneratedBegin.size();
  const size_t end = doc.find(kGeneratedEnd, start);
  if (end == std::string_view::npos) return std::nullopt;
  return doc.substr(start, end - start);
}

std::optional<std::string> with_generated_part(std::string_view doc, std::string_view generated) {
  const auto part = generated_part(doc);
  if (!part) return std::nullopt;
  const size_t start = size_t(part->data() - doc.data());
  return std::string(doc.substr(0, start)) + std::string(generated) +
         std::string(doc.substr(start + part->size()));
}

}  // namespace trapeze::assembler
