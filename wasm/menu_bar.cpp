#include "menu_bar.h"

#include <imgui.h>

#include "app.h"
#include "appearance.h"
#include "bundled_files.h"

namespace trapeze::ui {

void draw_menu_bar(App& app) {
  AppContext& ctx = app.context();
  session::Session& s = ctx.session;
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("Scenario")) {
    for (const std::string& path : session::list_files(bundled_files(), "scenarios/", ".json")) {
      if (ImGui::MenuItem(path.c_str(), nullptr, path == s.scenario_path())) {
        std::string error;
        if (!app.load_scenario_file(path, &error)) ImGui::SetClipboardText(error.c_str());
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Run")) {
    const int g = ctx.guest();
    if (ImGui::MenuItem(s.any_running() ? "Pause all" : "Run all", "F5")) s.set_all_running(!s.any_running());
    if (ImGui::MenuItem("Step selected guest", "F10", false, g >= 0)) s.step(size_t(g));
    if (ImGui::MenuItem("Assemble and reload selected guest", "Ctrl+Enter", false, g >= 0 && !ctx.read_only))
      s.assemble(size_t(g));
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (const PanelInfo& p : kPanels) ImGui::MenuItem(p.title, nullptr, &ctx.open[size_t(p.id)]);
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) ctx.apply_layout = 2;
    if (ImGui::MenuItem("Open every panel")) app.open_all_panels(), ctx.apply_layout = 2;
    ImGui::Separator();
    draw_appearance_menu();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Run / pause all", "F5", false, false);
    ImGui::MenuItem("Step the selected guest", "F10", false, false);
    ImGui::MenuItem("Assemble and reload", "Ctrl+Enter", false, false);
    ImGui::MenuItem("Find in the editor", "Ctrl+F", false, false);
    ImGui::MenuItem("Undo / redo", "Ctrl+Z / Ctrl+Y", false, false);
    ImGui::Separator();
    // ImGui's keyboard navigation (ImGuiConfigFlags_NavEnableKeyboard).
    ImGui::MenuItem("Menu bar (keyboard)", "Alt", false, false);
    ImGui::MenuItem("Next panel", "Ctrl+Tab", false, false);
    ImGui::MenuItem("Move between controls", "Arrow keys", false, false);
    ImGui::MenuItem("Press a button, toggle a box", "Space", false, false);
    ImGui::MenuItem("Type into a field", "Enter", false, false);
    ImGui::MenuItem("Leave a field or menu", "Escape", false, false);
    ImGui::MenuItem("Next text field", "Tab", false, false);
    ImGui::Separator();
    ImGui::MenuItem("ISA reference and preset notes", nullptr, &ctx.open[size_t(PanelId::help)]);
    ImGui::EndMenu();
  }
  const FrameSummary f = ctx.stats.summary();
  char readout[160];
  std::snprintf(readout, sizeof readout, "frame %.1f ms (p95 %.1f)   sim %.1f ms%s",
                f.mean_ms, f.p95_ms, ctx.last_sim_ms,
                ctx.last_work.budget_hit ? " (budget)" : "");
  const float w = ImGui::CalcTextSize(readout).x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, ImGui::GetWindowWidth() - w - 12));
  ImGui::TextUnformatted(readout);
  ImGui::EndMainMenuBar();
}

}  // namespace trapeze::ui
