// The editor of the selected guest: its source in the CodeEditor (syntax colours
// from the ISA table, errors on their lines, the PC's line while paused, gutter
// breakpoints), Ctrl+Enter to assemble and reload only this guest, and the
// assembler's errors listed below (a click jumps to the line).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "appearance.h"
#include "app_context.h"
#include "clipboard.h"
#include "guest_picker.h"
#include "scenario/scenario.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

// "lib/arch.inc:165: ldtvec r2", or "line 12 (macro body): ..." for a macro
// written in the guest's own source.
std::string pc_place(const assembler::ListingLine& l, const std::string& main_file) {
  const size_t first = l.text.find_first_not_of(" \t");
  const std::string text = first == std::string::npos ? "" : l.text.substr(first);
  if (l.file == main_file) return "line " + std::to_string(l.line) + " (macro body): " + text;
  return l.file + ":" + std::to_string(l.line) + ": " + text;
}

// Hands the session's state for guest `i` to its editor (text, errors, PC line).
void sync_editor(AppContext& ctx, size_t i, EditorSlot& slot) {
  const session::SessionGuest& g = ctx.session.guest(i);
  CodeEditor& ed = slot.editor;
  if (slot.revision != g.source_revision) {
    ed.set_text(g.source);
    ed.set_breakpoints(g.breakpoints);
    slot.revision = g.source_revision;
  }
  ed.set_read_only(ctx.read_only || (ctx.layout.mode == LayoutMode::Phone && ctx.layout.touch_sized));  // no editing by touch
  std::string shown;
  for (const session::GuestDiagnostic& d : g.errors) shown += d.format() + "\n";
  if (shown != slot.errors_shown) {
    std::vector<CodeEditor::Diagnostic> marks;
    for (const session::GuestDiagnostic& d : g.errors)
      if (d.in_source && d.line > 0) marks.push_back({d.line, d.col, d.message});
    ed.set_diagnostics(std::move(marks));
    slot.errors_shown = std::move(shown);
  }
  // The PC's line, while the guest is not running (the listing is its image's):
  // the line of this source that produced the instruction, which for a macro use
  // or an .include is that line, with where the instruction is written beside it.
  int line = -1;
  std::string where;
  const vmm::Guest& vg = ctx.session.vmm()->guest(i);
  if (!g.running || !vg.ready()) {
    if (const assembler::ListingLine* l = g.image.program.line_at(vg.vcpu.cpu.pc)) {
      line = l->main_line > 0 ? l->main_line : -1;
      if (l->file != g.image.file_name || l->line != l->main_line)
        where = pc_place(*l, g.image.file_name);
    }
  }
  ed.set_current_line(line, std::move(where));
}

}  // namespace

void draw_editor_panel(AppContext& ctx) {
  session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const size_t i = size_t(gi);
  draw_guest_picker(ctx);
  const session::SessionGuest& g = s.guest(i);
  EditorSlot& slot = ctx.editor_for(i);
  sync_editor(ctx, i, slot);
  slot.editor.palette() = editor_palette();  // the theme's colours

  ImGui::BeginDisabled(ctx.read_only);
  if (ImGui::Button("Assemble + reload (Ctrl+Enter)")) s.assemble(i);
  ImGui::EndDisabled();
  tooltip("Assembles this guest's source and reloads only this guest; the others keep running. "
          "On errors the previous image keeps running.");
  ImGui::SameLine();
  ImGui::TextDisabled("%s%s  Ln %d, Col %d", g.origin.empty() ? "(inline source)" : g.origin.c_str(),
                      g.dirty() ? "  modified" : "", slot.editor.cursor_line(), slot.editor.cursor_col());

  // The error list takes what its rows need (its title and up to 5 errors), but
  // at most a quarter of the panel: the editor keeps the most of it, and the list
  // scrolls. Its title and one error always show.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  float list_h = 0;
  if (!g.errors.empty()) {
    const float want = line * float(std::min<size_t>(g.errors.size(), 5) + 1) + ImGui::GetStyle().ItemSpacing.y;
    list_h = std::min(want, std::max(line * 2 + ImGui::GetStyle().ItemSpacing.y,
                                     ImGui::GetContentRegionAvail().y * 0.25f));
  }
  if (slot.refused_bytes) list_h += line * 3;  // the message below, wrapped
  const std::string id = "source" + std::to_string(i);
  if (slot.editor.draw(id.c_str(), ImVec2(-1, -list_h))) {
    std::string text = slot.editor.text();
    if (text.size() > scenario::kMaxSourceBytes && text.size() > g.source.size()) {
      // A source no scenario may hold could be neither saved nor shared, and would
      // be lost on a reload: the edit (a huge paste, as a rule) is undone and said.
      slot.refused_bytes = text.size();
      slot.editor.undo();
    } else {
      slot.refused_bytes = 0;
      s.set_source(i, std::move(text));
      slot.revision = s.guest(i).source_revision;
    }
  }
  if (slot.refused_bytes) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().bad);
    ImGui::TextWrapped("Undone: that edit would make the source %zu bytes; a guest's source holds at most "
                       "%zu bytes (more could not be saved or shared).", slot.refused_bytes,
                       scenario::kMaxSourceBytes);
    ImGui::PopStyleColor();
  }
  if (slot.editor.breakpoints_changed()) s.set_breakpoints(i, slot.editor.breakpoints());
  if (slot.editor.focused()) clipboard::offer_selection(slot.editor.document().buffer().selected_text());

  if (!g.errors.empty()) {
    ImGui::TextColored(palette().bad, "%zu error%s (%s):", g.errors.size(),
                       g.errors.size() == 1 ? "" : "s",
                       g.has_image() ? "the previous image keeps running" : "it cannot run until it assembles");
    ImGui::BeginChild("errors");
    for (size_t k = 0; k < g.errors.size(); ++k) {
      const session::GuestDiagnostic& d = g.errors[k];
      ImGui::PushID(int(k));
      if (ImGui::Selectable(d.format().c_str()) && d.in_source && d.line > 0)
        slot.editor.goto_line(d.line, d.col);
      ImGui::PopID();
    }
    ImGui::EndChild();
  }
}

}  // namespace trapeze::ui
