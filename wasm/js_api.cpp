#include "js_api.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include <nlohmann/json.hpp>

#include "app.h"
#include "session/state_json.h"

#include "js_export.h"
#include "text/escape.h"

namespace {
trapeze::ui::App* g_app = nullptr;
std::string g_error;

trapeze::session::Session* session() { return g_app ? &g_app->session() : nullptr; }
bool valid_guest(int guest) {
  return session() && session()->loaded() && guest >= 0 && size_t(guest) < session()->guest_count();
}
}  // namespace

void trapeze::ui::set_api_app(App* app) {
  g_app = app;
#ifdef __EMSCRIPTEN__
  // Tell the page the app is up (web/trapeze-api.js resolves `trapeze.ready`).
  EM_ASM({ if (Module.onTrapezeReady) Module.onTrapezeReady(); });
#endif
}

trapeze::ui::App* trapeze::ui::api_app() { return g_app; }

// 1 once the first frame can be drawn.
TRAPEZE_EXPORT int trapeze_is_ready() { return g_app != nullptr; }

// Frames drawn so far (as a double: JavaScript numbers hold 2^53 exactly).
TRAPEZE_EXPORT double trapeze_frame_count() { return g_app ? double(g_app->frames()) : 0; }

// The error of the last call that failed.
TRAPEZE_EXPORT const char* trapeze_last_error() { return g_error.c_str(); }

// Replaces the scenario: 0 if it loaded, else 1 (the session is unchanged; the
// reason is in trapeze_last_error()).
TRAPEZE_EXPORT int trapeze_load_scenario(const char* json) {
  if (!session() || !json) return g_error = "not ready", 1;
  g_error.clear();
  if (!session()->load(json, "", &g_error)) return 1;
  g_app->context().selected = 0;
  g_app->context().comparison.reset();
  return 0;
}

// The current document: edited sources inline, strategies as switched.
TRAPEZE_EXPORT const char* trapeze_scenario_json() {
  static std::string out;
  out = session() && session()->loaded() ? session()->to_json() : "";
  return out.c_str();
}

// Increases with every change to the document or the lab progress (for autosave).
TRAPEZE_EXPORT unsigned trapeze_change_count() {
  return session() ? unsigned(session()->change_count() + g_app->context().lab.changes) : 0;
}

// Runs every ready guest `n` host cycles now (at most 2 s of wall time and 10^10
// cycles). Returns the host cycles run.
TRAPEZE_EXPORT double trapeze_run_cycles(double n) {
  if (!session() || !std::isfinite(n) || n <= 0) return 0;
  return double(session()->run_cycles(uint64_t(std::min(n, 1e10)), 2000));
}

// Starts (1) or pauses (0) every guest.
TRAPEZE_EXPORT void trapeze_set_running(int on) {
  if (session()) session()->set_all_running(on != 0);
}

// One instruction of guest `guest` (which is paused). 1 if it ran one.
TRAPEZE_EXPORT int trapeze_step(int guest) {
  if (!valid_guest(guest)) return g_error = "no guest " + std::to_string(guest), 0;
  return session()->step(size_t(guest)) ? 1 : 0;
}

// Switches guest `guest` to strategy `name` ("native", "trap", "pv", ...): 0 if
// done, else 1 with the reason in trapeze_last_error().
TRAPEZE_EXPORT int trapeze_set_strategy(int guest, const char* name) {
  if (!valid_guest(guest)) return g_error = "no guest " + std::to_string(guest), 1;
  const auto kind = trapeze::vmm::parse_strategy(name ? name : "");
  if (!kind) {
    g_error = "unknown strategy \"" + std::string(name ? name : "") + "\" (expected " +
              trapeze::vmm::strategy_names() + ")";
    return 1;
  }
  g_error.clear();
  return session()->set_strategy(size_t(guest), *kind, &g_error) ? 0 : 1;
}

// Replaces guest `guest`'s source with `text` and assembles it (reloading only that
// guest if it assembles). The text is kept either way and shown in the editor.
// {"ok":bool,"errors":["FILE:LINE:COL: message"...]}, or {"ok":false,"errors":[],
// "error":"no guest N"}.
TRAPEZE_EXPORT const char* trapeze_set_source(int guest, const char* text) {
  static std::string out;
  nlohmann::json j = {{"ok", false}, {"errors", nlohmann::json::array()}};
  if (!valid_guest(guest) || !text) {
    j["error"] = g_error = "no guest " + std::to_string(guest);
  } else {
    session()->set_source(size_t(guest), text);
    j["ok"] = session()->assemble(size_t(guest));
    for (const auto& d : session()->guest(size_t(guest)).errors) j["errors"].push_back(d.format());
  }
  out = trapeze::text::json_text(j);
  return out.c_str();
}

// Restarts guest `guest` (-1: every guest) from the state after loading. 0 if done,
// else 1 with the reason in trapeze_last_error().
TRAPEZE_EXPORT int trapeze_restart(int guest) {
  if (!session() || !session()->loaded()) return g_error = "not ready", 1;
  if (guest == -1) return session()->restart_all() ? 0 : (g_error = session()->message(), 1);
  if (!valid_guest(guest)) return g_error = "no guest " + std::to_string(guest), 1;
  return session()->restart(size_t(guest)) ? 0 : (g_error = session()->message(), 1);
}

// {"hostCycles":N,"guests":[{"name","strategy","state","pc","counters":{...}}]}
TRAPEZE_EXPORT const char* trapeze_state_json() {
  static std::string out;
  out = session() ? trapeze::session::state_json(*session()) : "{}";
  return out.c_str();
}

// The selected guest's editor as last drawn: {"guest","pcLine" (-1: none),"pcWhere"}.
TRAPEZE_EXPORT const char* trapeze_editor_json() {
  static std::string out;
  if (!g_app || g_app->context().guest() < 0) return "{}";
  trapeze::ui::AppContext& ctx = g_app->context();
  const int i = ctx.guest();
  const trapeze::ui::CodeEditor& ed = ctx.editor_for(size_t(i)).editor;
  out = trapeze::text::json_text(nlohmann::json{{"guest", i}, {"pcLine", ed.current_line()}, {"pcWhere", ed.current_line_where()}});
  return out.c_str();
}

// Embed mode: {"compact":bool,"panels":[names],"readOnly":bool}. 0 if all was
// understood, else 1 with the reason in trapeze_last_error() (the valid parts applied).
TRAPEZE_EXPORT int trapeze_set_ui(const char* json) {
  if (!g_app || !json) return g_error = "not ready", 1;
  g_error.clear();
  return g_app->set_ui(json, &g_error) ? 0 : 1;
}

// {"frames","meanMs","p95Ms","maxMs","workMeanMs","workP95Ms","simMeanMs"} over recent frames.
TRAPEZE_EXPORT const char* trapeze_frame_stats_json() {
  static std::string out;
  if (!g_app) return "{}";
  const trapeze::ui::FrameSummary f = g_app->context().stats.summary();
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"frames\":%llu,\"meanMs\":%.3f,\"p95Ms\":%.3f,\"maxMs\":%.3f,\"workMeanMs\":%.3f,"
                "\"workP95Ms\":%.3f,\"simMeanMs\":%.3f}",
                static_cast<unsigned long long>(f.frames), f.mean_ms, f.p95_ms, f.max_ms, f.work_mean_ms,
                f.work_p95_ms, f.sim_mean_ms);
  out = buf;
  return out.c_str();
}

// The layout as the user left it, for share links and autosave:
// {"compact":bool,"readOnly":bool,"panels":[names of the open panels]}.
TRAPEZE_EXPORT const char* trapeze_ui_json() {
  static std::string out;
  if (!g_app) return "{}";
  const trapeze::ui::AppContext& ctx = g_app->context();
  out = std::string("{\"compact\":") + (ctx.compact ? "true" : "false") +
        ",\"readOnly\":" + (ctx.read_only ? "true" : "false") + ",\"panels\":[";
  bool first = true;
  for (const trapeze::ui::PanelInfo& p : trapeze::ui::kPanels) {
    // The welcome is for a first visit: not part of a saved or shared layout.
    if (!ctx.is_open(p.id) || p.id == trapeze::ui::PanelId::welcome) continue;
    out += std::string(first ? "\"" : ",\"") + p.name + "\"";
    first = false;
  }
  out += "]}";
  return out.c_str();
}
