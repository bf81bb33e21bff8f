// The welcome panel: what Trapeze is, in two sentences, and the presets by name
// with the lecture idea each shows; a click loads one. Open on a first visit
// (the page's restored layout closes it on later ones); Help and View reopen it.
#include <imgui.h>

#include "app_context.h"
#include "presets.h"

namespace trapeze::ui {

void draw_welcome_panel(AppContext& ctx) {
  if (ctx.raise_welcome) {
    ImGui::SetWindowFocus();
    ctx.raise_welcome = false;
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(
      "Trapeze is a hypervisor playground for a course on virtual machines: several guest kernels run at "
      "once on one simulated machine, each under the virtualization strategy you choose (trap-and-emulate, "
      "para-virtualization, binary translation or hardware support). Every trap, VM exit, page-table walk "
      "and cycle is counted, so you see each idea of the lecture happen and compare the strategies side "
      "by side.");
  ImGui::TextDisabled("Click a scenario to load it, press Run all (F5), and watch the Console and the Counters.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  const std::string& current = ctx.session.scenario_path();
  bool first = true;
  for (const Preset& p : presets()) {
    ImGui::PushID(p.path.c_str());
    const std::string label = p.name + (first ? "  (start here)" : "") + (p.path == current ? "  - loaded" : "");
    if (ImGui::Selectable(label.c_str(), p.path == current)) {
      std::string error;
      if (ctx.load_preset && !ctx.load_preset(p.path, &error)) ctx.notice = error;
    }
    if (!p.idea.empty()) {
      ImGui::Indent();
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", p.idea.c_str());
      ImGui::PopTextWrapPos();
      ImGui::Unindent();
    }
    ImGui::Spacing();
    ImGui::PopID();
    first = false;
  }
  ImGui::Separator();
  ImGui::TextDisabled("Reopen this from Help > Welcome.");
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Close").x -
                  ImGui::GetStyle().FramePadding.x * 2);
  if (ImGui::SmallButton("Close")) ctx.open[size_t(PanelId::welcome)] = false;
}

}  // namespace trapeze::ui
