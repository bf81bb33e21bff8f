#include "menu_bar.h"

#include <imgui.h>

#include <cmath>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "app.h"
#include "appearance.h"
#include "panels/lab_list.h"
#include "panels/widgets.h"
#include "presets.h"
#include "layout/window_layout.h"

namespace trapeze::ui {
namespace {

// View > Performance: the frame time, for whoever tunes the app (not the lecture).
void draw_performance(const AppContext& ctx) {
  const FrameSummary f = ctx.stats.summary();
  ImGui::Text("frame     %6.1f ms mean, %.1f ms p95", f.mean_ms, f.p95_ms);
  ImGui::Text("work      %6.1f ms mean, %.1f ms p95", f.work_mean_ms, f.work_p95_ms);
  ImGui::Text("simulate  %6.1f ms mean, %.1f ms this frame%s", f.sim_mean_ms, ctx.last_sim_ms,
              ctx.last_work.budget_hit ? " (budget hit)" : "");
  ImGui::TextDisabled("recent frames; %llu drawn so far", static_cast<unsigned long long>(f.frames));
}

// The page's toolbar (Copy link, Export, Import, Docs: web/trapeze-page.js) sits
// in the menu bar after the last menu; where that is depends on the menus, the
// font and the UI scale, so the app tells the page (a CSS variable) when it moves.
void note_menu_end(AppContext& ctx, int x) {
  if (x == ctx.layout.menu_end) return;
  ctx.layout.menu_end = x;
#ifdef __EMSCRIPTEN__
  EM_ASM({ document.documentElement.style.setProperty('--menu-end', $0 + 'px'); }, x);
#endif
}

// Save snapshot / Open snapshot: the page does the download and the upload
// (web/trapeze-snapshot.js); the desktop build has no file dialogs.
void snapshot_menu_items(const session::Session& s) {
#ifdef __EMSCRIPTEN__
  ImGui::Separator();
  if (ImGui::MenuItem("Save snapshot (.trpz)", nullptr, false, s.loaded()))
    EM_ASM({ if (window.trapeze && window.trapeze.saveSnapshotFile) window.trapeze.saveSnapshotFile(); });
  tooltip("Downloads the whole running session (document, images and state) to open again later.");
  if (ImGui::MenuItem("Open snapshot..."))
    EM_ASM({ if (window.trapeze && window.trapeze.chooseSnapshotFile) window.trapeze.chooseSnapshotFile(); });
  tooltip("Opens a .trpz file saved here: it replaces the scenario (your autosaved work is kept aside).");
#else
  (void)s;
#endif
}

}  // namespace

void draw_menu_bar(App& app) {
  AppContext& ctx = app.context();
  session::Session& s = ctx.session;
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("Scenario")) {
    for (const Preset& p : presets()) {
      if (ImGui::MenuItem(p.name.c_str(), nullptr, p.path == s.scenario_path())) {
        std::string error;
        if (!app.load_scenario_file(p.path, &error)) ctx.notice = error;
      }
      if (!p.idea.empty()) tooltip(p.idea.c_str());
    }
    snapshot_menu_items(s);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Labs")) {
    draw_lab_list(ctx);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Run")) {
    const int g = ctx.guest();
    if (ImGui::MenuItem(s.any_running() ? "Pause all" : "Run all", "F5")) s.set_all_running(!s.any_running());
    if (ImGui::MenuItem("Step selected guest", "F10", false, g >= 0)) s.step(size_t(g));
    if (ImGui::MenuItem("Step back", "Shift+F10", false, g >= 0)) session::step_back(s, size_t(g));
    if (ImGui::MenuItem("Run back to the previous trap", "Shift+F5", false, g >= 0)) session::run_back(s, size_t(g));
    if (ImGui::MenuItem("Restart selected guest", nullptr, false, g >= 0 && s.guest(size_t(g)).has_image()))
      s.restart(size_t(g));
    if (ImGui::MenuItem("Restart all")) s.restart_all();
    if (ImGui::MenuItem("Assemble and reload selected guest", "Ctrl+Enter", false, g >= 0 && !ctx.read_only))
      s.assemble(size_t(g));
    ImGui::EndMenu();
  }
  const bool view = ImGui::BeginMenu("View");
  layout_note_menu_item(ctx, "View");  // where the items are, for trapeze.layout() (tests click them)
  if (view) {
    for (const PanelInfo& p : kPanels) {
      ImGui::MenuItem(p.title, nullptr, &ctx.open[size_t(p.id)]);
      layout_note_menu_item(ctx, p.title);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) ctx.apply_layout = 2;
    layout_note_menu_item(ctx, "Reset layout");
    if (ImGui::MenuItem("Open every panel")) app.open_all_panels(), ctx.apply_layout = 2;
    ImGui::Separator();
    if (ImGui::BeginMenu("Performance")) {
      draw_performance(ctx);
      ImGui::EndMenu();
    }
    draw_appearance_menu();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Run / pause all", "F5", false, false);
    ImGui::MenuItem("Step the selected guest", "F10", false, false);
    ImGui::MenuItem("Step it back one instruction", "Shift+F10", false, false);
    ImGui::MenuItem("Run it back to its previous trap, exit or output", "Shift+F5", false, false);
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
    if (ImGui::MenuItem("Welcome", nullptr, ctx.is_open(PanelId::welcome)))
      ctx.open[size_t(PanelId::welcome)] = true, ctx.raise_welcome = true;
    ImGui::EndMenu();
  }
  note_menu_end(ctx, int(std::ceil(ImGui::GetCursorScreenPos().x)));
  ImGui::EndMainMenuBar();
}

}  // namespace trapeze::ui
