// trapeze isa: the instruction table with each instruction's class (text, JSON
// or Markdown), and the Popek–Goldberg check: is every sensitive instruction
// privileged, i.e. does it trap when a deprivileged guest kernel runs it?
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "asm/reference.h"
#include "asm/syntax.h"
#include "commands.h"
#include "files.h"
#include "isa/isa.h"

namespace trapeze::cli {
namespace {

using assembler::insn_class;
using assembler::sensitive_kind;
using assembler::syntax;

constexpr const char* kUsage =
    "usage: trapeze isa [--json | --check | --markdown | --update-doc FILE]\n"
    "  (no option)        the instruction table with each instruction's class\n"
    "  --json             the same as a JSON array\n"
    "  --check            the Popek-Goldberg check: is every sensitive instruction privileged?\n"
    "                     exit 0: classically virtualizable; exit 3: it is not (and why)\n"
    "  --markdown         the generated reference (the generated part of docs/isa.md)\n"
    "  --update-doc FILE  replace the generated part of FILE (docs/isa.md) with it\n";

std::string hex_opcode(uint8_t opcode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", opcode);
  return buf;
}

int print_table() {
  std::printf("%-10s %-6s %-6s %-23s %-18s %-5s %s\n", "mnemonic", "opcode", "format", "class",
              "sensitive", "traps", "summary");
  for (const isa::InsnInfo& i : isa::instructions()) {
    const std::string_view kind = sensitive_kind(i), cls = insn_class(i);
    std::printf("%-10.*s %-6s %-6.*s %-23.*s %-18.*s %-5s %.*s\n", int(i.mnemonic.size()),
                i.mnemonic.data(), hex_opcode(i.opcode).c_str(), int(syntax(i.format).name.size()),
                syntax(i.format).name.data(), int(cls.size()), cls.data(),
                int(kind == "none" ? 1 : kind.size()), kind == "none" ? "-" : kind.data(),
                i.traps_in_user_mode() ? "yes" : "no", int(i.summary.size()), i.summary.data());
  }
  std::printf("\n%zu instructions. traps = traps in user mode (privileged or always trapping).\n",
              isa::kInstructionCount);
  return 0;
}

int print_json() {
  nlohmann::json all = nlohmann::json::array();
  for (const isa::InsnInfo& i : isa::instructions()) {
    all.push_back({
        {"mnemonic", i.mnemonic},
        {"opcode", i.opcode},
        {"format", syntax(i.format).name},
        {"operands", syntax(i.format).operands},
        {"summary", i.summary},
        {"class", insn_class(i)},
        {"privileged", i.privileged()},
        {"sensitive", i.sensitive()},
        {"sensitive_kind", sensitive_kind(i)},
        {"traps_in_user_mode", i.traps_in_user_mode()},
        {"virtualization_hole", i.virtualization_hole()},
    });
  }
  std::printf("%s\n", text::json_text(all, 2).c_str());
  return 0;
}

int check() {
  size_t sensitive = 0, trapping = 0, holes = 0;
  for (const isa::InsnInfo& i : isa::instructions()) {
    sensitive += i.sensitive();
    trapping += i.sensitive() && i.traps_in_user_mode();
    holes += i.virtualization_hole();
  }
  std::printf(
      "Popek-Goldberg: trap-and-emulate alone can virtualize a machine if every sensitive\n"
      "instruction traps in user mode, where the VMM runs the guest kernel (sensitive ⊆ "
      "privileged).\n\n"
      "sensitive instructions:             %zu\n"
      "  that trap in user mode:           %zu\n"
      "  that do NOT trap in user mode:    %zu\n",
      sensitive, trapping, holes);
  for (const isa::InsnInfo& i : isa::instructions()) {
    if (!i.virtualization_hole()) continue;
    const std::string kind = std::string(sensitive_kind(i)) + "-sensitive";
    std::printf("    %-8.*s %-28s %.*s\n", int(i.mnemonic.size()), i.mnemonic.data(), kind.c_str(),
                int(i.summary.size()), i.summary.data());
  }
  if (holes == 0) {
    std::printf("\nverdict: classically virtualizable (sensitive ⊆ privileged holds)\n");
    return 0;
  }
  std::printf(
      "\nverdict: NOT classically virtualizable: sensitive ⊆ privileged does not hold.\n"
      "A guest kernel deprivileged to user mode runs these without trapping, so it reads and\n"
      "changes the real machine state instead of its virtual one (exit code %d).\n",
      kExitNotVirtualizable);
  return kExitNotVirtualizable;
}

int update_doc(const char* path) {
  const text::FileText doc = text::read_input_file(path);
  if (!doc) {
    std::fprintf(stderr, "trapeze isa: cannot read '%s': %s\n", text::escaped(path).c_str(),
                 doc.error().c_str());
    return 1;
  }
  const auto updated = assembler::with_generated_part(*doc, assembler::reference_markdown());
  if (!updated) {
    std::fprintf(stderr, "trapeze isa: %s has no generated-reference markers:\n%.*s%.*s", path,
                 int(assembler::kGeneratedBegin.size()), assembler::kGeneratedBegin.data(),
                 int(assembler::kGeneratedEnd.size()), assembler::kGeneratedEnd.data());
    return 1;
  }
  if (*updated == *doc) {
    std::printf("%s is up to date\n", path);
    return 0;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << *updated;
  if (!out) {
    std::fprintf(stderr, "trapeze isa: cannot write %s\n", path);
    return 1;
  }
  std::printf("updated %s\n", path);
  return 0;
}

}  // namespace

int cmd_isa(int argc, char** argv) {
  const std::string_view option = argc > 1 ? argv[1] : "";
  if (argc == 1) return print_table();
  if (argc == 2 && option == "--json") return print_json();
  if (argc == 2 && option == "--check") return check();
  if (argc == 2 && option == "--markdown") {
    std::fputs(assembler::reference_markdown().c_str(), stdout);
    return 0;
  }
  if (argc == 3 && option == "--update-doc") return update_doc(argv[2]);
  if (argc == 2 && (option == "--help" || option == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fputs(kUsage, stderr);
  return kExitUsage;
}

}  // namespace trapeze::cli
