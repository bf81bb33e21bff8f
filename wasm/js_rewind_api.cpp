// Going back in time through the JS API (web/trapeze-api.js: stepBack, runBack,
// goTo, rewind): numbers in, numbers and JSON text out.
#include <string>

#include <nlohmann/json.hpp>

#include "app.h"
#include "js_api.h"
#include "js_export.h"
#include "session/rewind.h"

namespace {
trapeze::session::Session* rewinding(int guest) {
  trapeze::ui::App* app = trapeze::ui::api_app();
  if (!app || !app->session().loaded() || guest < 0 || size_t(guest) >= app->session().guest_count())
    return nullptr;
  return &app->session();
}
}  // namespace

// Guest `guest` back one instruction: 1 if it went back.
TRAPEZE_EXPORT int trapeze_step_back(int guest) {
  trapeze::session::Session* s = rewinding(guest);
  return s && trapeze::session::step_back(*s, size_t(guest)) ? 1 : 0;
}

// Guest `guest` back to just before its previous trap, VM exit or console write: 1 if it went.
TRAPEZE_EXPORT int trapeze_run_back(int guest) {
  trapeze::session::Session* s = rewinding(guest);
  return s && trapeze::session::run_back(*s, size_t(guest)) ? 1 : 0;
}

// Guest `guest` to `executed` instructions (in its history): 1 if it went.
TRAPEZE_EXPORT int trapeze_go_to(int guest, double executed) {
  trapeze::session::Session* s = rewinding(guest);
  return s && executed >= 0 && s->rewind().go_to(*s, size_t(guest), uint64_t(executed)) ? 1 : 0;
}

// {available, checkpoints, memoryBytes, budgetBytes, earliest, executed, error,
//  marks: [{kind, executed}]} for guest `guest` (null: no such guest).
TRAPEZE_EXPORT const char* trapeze_rewind_json(int guest) {
  static std::string out;
  trapeze::session::Session* s = rewinding(guest);
  if (!s) return out = "null", out.c_str();
  const trapeze::session::Rewind& r = s->rewind();
  nlohmann::json j = {{"available", r.available()},
                      {"checkpoints", r.checkpoint_count()},
                      {"memoryBytes", r.memory_bytes()},
                      {"budgetBytes", r.settings.budget_bytes},
                      {"earliest", r.earliest(size_t(guest))},
                      {"executed", s->vmm()->guest(size_t(guest)).executed},
                      {"error", r.error()},
                      {"marks", nlohmann::json::array()}};
  for (const trapeze::session::TimelineMark& m : r.timeline(size_t(guest), 512))
    j["marks"].push_back({{"kind", trapeze::session::mark_kind_name(m.kind)}, {"executed", m.executed}});
  out = j.dump();
  return out.c_str();
}
