// The welcome panel: what Trapeze is, in two sentences, and the presets by name
// with the lecture idea each shows, and the labs; a click loads one. Open on a first visit
// (the page's restored layout closes it on later ones); Help and View reopen it.
#include <imgui.h>

#include "app_context.h"
#include "appearance.h"
#include "panels/lab_list.h"
#include "presets.h"

namespace trapeze::ui {

void draw_welcome_panel(AppContext& ctx) {
  if (ctx.raise_welcome) {
    ImGui::SetWindowFocus();
    ctx.raise_welcome = false;
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(
      "Trapeze runs several guest kernels at once on one simulated machine, each under the strategy you "
      "choose (trap-and-emulate, para-virtualization, binary translation or hardware support), and counts "
      "every trap, VM exit, page-table walk and cycle. Click a scenario below, press Run all (F5), and watch "
      "the Console and the Counters. Or take a lab (below, or the Labs menu): guided exercises that check "
      "your work.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  // One line per preset, so the whole list shows even in a small tile: its name,
  // then the lecture idea it shows (cut at the edge; whole in the tooltip).
  const std::string& current = ctx.session.scenario_path();
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
  if (ImGui::BeginTable("presets", 2, flags)) {
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("idea", ImGuiTableColumnFlags_WidthStretch);
    bool first = true;
    for (const Preset& p : presets()) {
      ImGui::PushID(p.path.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string label = p.name + (first ? "  (start here)" : "");
      if (ImGui::Selectable(label.c_str(), p.path == current, ImGuiSelectableFlags_SpanAllColumns)) {
        std::string error;
        if (ctx.load_preset && !ctx.load_preset(p.path, &error)) ctx.notice = error;
      }
      if (!p.idea.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.idea.c_str());
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", p.idea.c_str());
      ImGui::PopID();
      first = false;
    }
    ImGui::EndTable();
  }
  if (!lab_catalog().empty()) {
    ImGui::Spacing();
    ImGui::TextColored(palette().accent, "Labs: guided exercises that check themselves");
    draw_lab_list(ctx);
  }
  ImGui::Separator();
  ImGui::TextDisabled("Reopen this from Help > Welcome.");
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Close").x -
                  ImGui::GetStyle().FramePadding.x * 2);
  if (ImGui::SmallButton("Close")) ctx.open[size_t(PanelId::welcome)] = false;
}

}  // namespace trapeze::ui
