// The C functions behind window.trapeze.runExperiment (web/trapeze-api.js,
// docs/js-api.md): start one of core/experiments' experiments on the app's
// ExperimentRunner (the experiments panel shows it as it runs), then poll it,
// once per animation frame, until it ends. The app runs it a slice per frame
// (App::frame -> ExperimentRunner::tick), so the page stays responsive however
// long it takes. Answers are small JSON objects in one buffer, valid until the
// next call of either function.
#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "experiments/experiment.h"
#include "js_api.h"

#include "js_export.h"
#include "text/escape.h"

namespace {

using json = nlohmann::ordered_json;
using trapeze::ui::ExperimentRunner;

std::string g_answer;

const char* answer(const json& j) {
  g_answer = trapeze::text::json_text(j);
  return g_answer.c_str();
}

const char* failure(const std::string& error) { return answer({{"ok", false}, {"error", error}}); }

ExperimentRunner* runner() {
  trapeze::ui::App* app = trapeze::ui::api_app();
  return app ? &app->context().experiment_runner : nullptr;
}

// "nano, load, tlb, tc, nested": the experiments' names, in their table's order.
std::string experiment_names() {
  std::string names;
  for (const auto& e : trapeze::experiments::experiment_list())
    names += (names.empty() ? "" : ", ") + std::string(e.name);
  return names;
}

}  // namespace

// Starts experiment `name` from the beginning (a run in progress is dropped):
// {"ok": true, "run": id for trapeze_experiment_poll} or {"ok": false, "error"}.
TRAPEZE_EXPORT const char* trapeze_experiment_start(const char* name) {
  ExperimentRunner* r = runner();
  if (!r) return failure("not ready");
  const std::string want = name ? name : "";
  const auto& list = trapeze::experiments::experiment_list();
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].name != want) continue;
    r->stop();
    r->choose(i);
    r->start();
    return answer({{"ok", true}, {"run", r->generation()}});
  }
  return failure("unknown experiment " + trapeze::text::json_text(json(want)) +
                 " (expected " + experiment_names() + ")");
}

// Run `run` (from trapeze_experiment_start): {"state": "running" | "paused"} while
// it runs; once it has ended, {"state": "done" | "failed" | "stopped", "ok",
// "error" (null if ok), "experiment", "columns", "rows", "notes"} with the rows so
// far (all of them when done), as `trapeze experiment NAME --json` prints them.
TRAPEZE_EXPORT const char* trapeze_experiment_poll(double run) {
  ExperimentRunner* r = runner();
  if (!r) return failure("not ready");
  const bool same = double(r->generation()) == run;
  if (same && r->active()) return answer({{"state", trapeze::ui::state_name(r->state())}});
  json j = {{"state", "stopped"}, {"ok", false}, {"error", nullptr}};
  if (!same) {
    j["error"] = "stopped: another experiment was started";
    return answer(j);
  }
  if (r->state() == ExperimentRunner::State::Idle || !r->run()) {
    j["error"] = "stopped from the experiments panel";
    return answer(j);
  }
  j["state"] = trapeze::ui::state_name(r->state());
  j["ok"] = r->state() == ExperimentRunner::State::Done;
  if (!j["ok"].get<bool>()) j["error"] = r->error();
  j.update(trapeze::experiments::result_json(*r->run()));
  return answer(j);
}
