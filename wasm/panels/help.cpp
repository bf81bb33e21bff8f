// Help: what to look at in the loaded preset (its description, and where its
// output is), the strategies,
// the keyboard shortcuts, and an ISA quick reference generated from the ISA table.
#include <imgui.h>

#include <string>
#include <vector>

#include "appearance.h"
#include "app_context.h"
#include "isa/isa.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

std::string flags_text(const isa::InsnInfo& in) {
  std::string f;
  if (in.privileged()) f += "privileged ";
  if (in.flags & isa::TRAP) f += "traps ";
  if (in.virtualization_hole()) f += "sensitive-unprivileged ";
  else if (in.sensitive()) f += "sensitive ";
  return f;
}

// One row of the ISA reference, its texts made once.
struct IsaRow {
  const isa::InsnInfo* insn;
  std::string mnemonic, cls, summary, filtered;  // filtered: what the filter matches
};

struct HelpView {
  ImGuiTextFilter filter;     // the ISA reference's
  std::vector<IsaRow> isa;    // every instruction, made on first draw
};

}  // namespace

void draw_help_panel(AppContext& ctx) {
  const scenario::Scenario& doc = ctx.session.settings();
  HelpView& view = ctx.view<HelpView>(PanelId::help);
  if (ImGui::CollapsingHeader("This scenario", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::TextUnformatted(doc.name.empty() ? ctx.session.scenario_path().c_str() : doc.name.c_str());
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(doc.description.empty() ? "(no description)" : doc.description.c_str());
    ImGui::TextDisabled(
        "What each guest prints is in the Console (View > Console); beside a virtualized guest it marks in "
        "red where the output departs from a bare-metal run of the same kernel.");
    ImGui::PopTextWrapPos();
  }
  if (ImGui::CollapsingHeader("Strategies")) {
    for (const vmm::StrategyInfo& s : vmm::kStrategies) {
      ImGui::BulletText("%s", std::string(s.name).c_str());
      ImGui::Indent();
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", std::string(s.summary).c_str());
      ImGui::PopTextWrapPos();
      ImGui::Unindent();
    }
  }
  if (ImGui::CollapsingHeader("Keys")) {
    ImGui::BulletText("F5 run / pause all guests");
    ImGui::BulletText("F10 step the selected guest one instruction");
    ImGui::BulletText("Shift+F10 step it back; Shift+F5 run it back to its previous trap");
    ImGui::BulletText("Ctrl+Enter assemble the selected guest and reload only it");
    ImGui::BulletText("Ctrl+F find, Ctrl+Z / Ctrl+Y undo / redo; click the gutter for a breakpoint");
  }
  if (ImGui::CollapsingHeader("ISA quick reference", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGuiTextFilter& filter = view.filter;
    if (view.isa.empty())
      for (const isa::InsnInfo& in : isa::instructions()) {
        IsaRow r{&in, std::string(in.mnemonic), flags_text(in), std::string(in.summary), ""};
        r.filtered = r.mnemonic + " " + r.cls + r.summary;
        view.isa.push_back(std::move(r));
      }
    filter.Draw("filter", ImGui::GetFontSize() * 12);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("isa", 4, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn("insn");
      ImGui::TableSetupColumn("opcode");
      ImGui::TableSetupColumn("class");
      ImGui::TableSetupColumn("what it does", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableHeadersRow();
      for (const IsaRow& r : view.isa) {
        const isa::InsnInfo& in = *r.insn;
        const std::string &m = r.mnemonic, &summary = r.summary, &cls = r.cls;
        if (!filter.PassFilter(r.filtered.c_str())) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%02X", in.opcode);
        ImGui::TableNextColumn();
        if (in.virtualization_hole())
          ImGui::TextColored(palette().changed, "%s", cls.c_str());
        else
          ImGui::TextUnformatted(cls.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", summary.c_str());
      }
      ImGui::EndTable();
    }
  }
}

}  // namespace trapeze::ui
