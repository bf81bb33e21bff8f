// Disassembly around the selected guest's pc, read through its own page table,
// with the labels of its program.
#include <imgui.h>

#include "appearance.h"
#include "app_context.h"
#include "asm/disassembler.h"
#include "vmm/inspect.h"

namespace trapeze::ui {
namespace {

// After a row: the guest's source line that produced the word (a macro use or
// an .include for code written elsewhere, which the hover names).
void source_line_note(const assembler::Program& program, uint32_t address, const std::string& main_file) {
  const assembler::ListingLine* l = program.line_at(address);
  if (!l || l->main_line <= 0) return;
  ImGui::SameLine();
  const bool elsewhere = l->file != main_file || l->line != l->main_line;
  ImGui::TextDisabled("; line %d%s", l->main_line, elsewhere ? " *" : "");
  if (elsewhere && ImGui::IsItemHovered())
    ImGui::SetTooltip("written at %s:%d (a macro or included file used on line %d)", l->file.c_str(), l->line,
                      l->main_line);
}

}  // namespace

void draw_disassembly_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Guest& g = s.vmm()->guest(size_t(gi));
  const assembler::Program& program = s.guest(size_t(gi)).image.program;
  const uint32_t pc = g.vcpu.cpu.pc;
  const int before = 12, after = 28;
  const uint32_t start = pc >= uint32_t(before * 4) ? pc - uint32_t(before * 4) : 0;
  ImGui::BeginChild("code");
  for (int k = 0; k < before + after; ++k) {
    const uint32_t a = start + uint32_t(k) * 4;
    for (const assembler::Symbol& sym : program.symbols)
      if (sym.is_label && sym.value == a) ImGui::TextColored(palette().accent, "%s:", sym.name.c_str());
    const auto word = vmm::read_guest_word(*s.vmm(), size_t(gi), a, true);
    const bool here = a == pc;
    const std::string text = word ? assembler::disassemble(*word, a, &program) : "(not mapped)";
    if (here) {
      ImGui::TextColored(palette().current, "> %08X  %08X  %s", a, word.value_or(0), text.c_str());
      if (ctx.session.guest(size_t(gi)).running == false) ImGui::SetScrollHereY(0.35f);
    } else {
      ImGui::Text("  %08X  %08X  %s", a, word.value_or(0), text.c_str());
    }
    source_line_note(program, a, s.guest(size_t(gi)).image.file_name);
  }
  ImGui::EndChild();
}

}  // namespace trapeze::ui
