#include "app.h"

#include <imgui.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "bundled_files.h"
#include "layout/window_layout.h"
#include "menu_bar.h"
#include "session/file_table.h"

namespace trapeze::ui {
namespace {

constexpr const char* kStartScenario = "scenarios/uk-bit-problem.json";

double wall_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// The bundled files first; on the desktop, then the filesystem (a user's own files).
scenario::FileReader app_reader() {
  auto bundled = session::table_reader(bundled_files());
#ifdef __EMSCRIPTEN__
  return bundled;
#else
  auto disk = session::disk_reader("");
  return [bundled, disk](const std::string& path) {
    auto text = bundled(path);
    return text ? text : disk(path);
  };
#endif
}

}  // namespace

EditorSlot& AppContext::editor_for(size_t guest) {
  while (editors.size() <= guest) editors.push_back(std::make_unique<EditorSlot>());
  return *editors[guest];
}

App::App() : session_(app_reader()), ctx_(session_) {
  for (const PanelInfo& p : kPanels) ctx_.open[size_t(p.id)] = p.open_by_default;
  ctx_.load_preset = [this](const std::string& path, std::string* error) { return load_scenario_file(path, error); };
  std::string error;
  if (!load_scenario_file(kStartScenario, &error)) {
    const auto presets = session::list_files(bundled_files(), "scenarios/", ".json");
    if (!presets.empty()) load_scenario_file(presets.front(), &error);
  }
}

bool App::load_scenario_file(const std::string& path, std::string* error) {
  const auto text = app_reader()(path);
  if (!text) {
    if (error) *error = "cannot read \"" + path + "\"";
    return false;
  }
  if (!session_.load(*text, path, error)) return false;
  ctx_.selected = 0;
  ctx_.comparison.reset();
  return true;
}

void App::open_all_panels() {
  ctx_.open.fill(true);
  ctx_.apply_layout = 1;
}

bool App::set_ui(std::string_view text, std::string* error) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    if (error) *error = "setUi: expected a JSON object";
    return false;
  }
  if (auto c = j.find("compact"); c != j.end() && c->is_boolean()) ctx_.compact = c->get<bool>();
  if (auto r = j.find("readOnly"); r != j.end() && r->is_boolean()) ctx_.read_only = r->get<bool>();
  if (auto p = j.find("panels"); p != j.end()) {
    if (!p->is_array()) {
      if (error) *error = "setUi: panels: expected a list of panel names";
      return false;
    }
    // Unknown names are reported (with the valid ones) and left out; the valid ones are shown.
    std::array<bool, kPanelCount> open{};
    std::string unknown;
    for (const auto& name : *p) {
      bool known = false;
      for (const PanelInfo& info : kPanels)
        if (name.is_string() && name.get<std::string>() == info.name) open[size_t(info.id)] = known = true;
      if (!known) unknown += (unknown.empty() ? "" : ", ") + name.dump();
    }
    if (open != std::array<bool, kPanelCount>{} || p->empty()) ctx_.open = open;  // none valid: keep them
    ctx_.apply_layout = 1;
    if (!unknown.empty()) {
      std::string names;
      for (const PanelInfo& info : kPanels) names += std::string(names.empty() ? "" : ", ") + info.name;
      if (error) *error = "setUi: panels: unknown panel " + unknown + " (the panels are " + names + ")";
      return false;
    }
  } else if (ctx_.compact) {
    ctx_.open[size_t(PanelId::welcome)] = false;  // an embedded demonstration is no first visit
  }
  ctx_.apply_layout = 1;
  return true;
}

// F5 and F10 act on key-down events, not on ImGui's key state: ImGui 1.86 has no
// input queue, so a press that begins and ends between two slow frames was lost,
// and its own repeat (0.275 s on its clock) stepped twice on a press held across a
// few slow frames. Now one press is one step however slow the frames, and holding
// F10 steps at the system's own repeat delay and rate (repeat key-down events).
void App::key_down(int key, bool shift, bool repeat) {
  if (key == ctx_.key_f10) ++(shift ? presses_.steps_back : presses_.steps);
  if (key == ctx_.key_f5 && !repeat) presses_.f5 = true, presses_.f5_shift = shift;
}

void App::shortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  session::Session& s = session_;
  const int g = ctx_.guest();
  const KeyPresses p = std::exchange(presses_, {});
  // Shift goes back in time (session/rewind.h).
  if (p.f5 && p.f5_shift && g >= 0) session::run_back(s, size_t(g));
  else if (p.f5) s.set_all_running(!s.any_running());
  for (int k = 0; k < p.steps_back && g >= 0; ++k) session::step_back(s, size_t(g));
  for (int k = 0; k < p.steps && g >= 0; ++k) s.step(size_t(g));
  const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
                     ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
  if (io.KeyCtrl && enter && g >= 0 && !ctx_.read_only) s.assemble(size_t(g));
}

void App::frame(double dt_seconds) {
  const double start = wall_seconds();
  ++frames_;
  shortcuts();
  ctx_.last_work = session_.run_frame();
  ctx_.last_sim_ms = ctx_.last_work.ms;
  ctx_.experiment_runner.tick(dt_seconds * 1000);  // panel open or not (the JS API runs it too)
  advance_check(ctx_, kCheckCyclesPerFrame);        // the same for a lab's Check

  if (!ctx_.compact) draw_menu_bar(*this);
  layout_begin_frame(ctx_);
  for (size_t i = 0; i < kPanelCount; ++i) {
    if (!ctx_.open[i] || !layout_shows(ctx_, i)) continue;
    layout_place(ctx_, i);
    const bool closable = ctx_.layout.mode == LayoutMode::Tiled;
    if (ImGui::Begin(kPanels[i].title, closable ? &ctx_.open[i] : nullptr, layout_window_flags(ctx_))) {
      layout_note_window(ctx_, i);
      switch (kPanels[i].id) {
#define TRAPEZE_PANEL_CASE(id, ...) \
  case PanelId::id: draw_##id##_panel(ctx_); break;
        TRAPEZE_PANELS(TRAPEZE_PANEL_CASE)
#undef TRAPEZE_PANEL_CASE
      }
    }
    ImGui::End();
  }
  layout_end_frame(ctx_);
  ctx_.stats.add(dt_seconds * 1000.0, (wall_seconds() - start) * 1000.0, ctx_.last_sim_ms);
}

}  // namespace trapeze::ui
