// The C functions behind trapeze.openLab(), lab(), checkLab(), setLabAnswer()
// and the lab part of autosave and share links (web/trapeze-lab.js). Answers are
// small JSON objects in one buffer, valid until the next call; names and
// answers come in as text and are only ever compared and stored.
#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "js_api.h"
#include "lab_state.h"

#include "js_export.h"
#include "text/escape.h"

namespace {

using json = nlohmann::json;
std::string g_answer;

const char* answer(const json& j) {
  g_answer = trapeze::text::json_text(j);
  return g_answer.c_str();
}
const char* ok() { return answer({{"ok", true}, {"error", nullptr}}); }
const char* failure(const std::string& error) { return answer({{"ok", false}, {"error", error}}); }

trapeze::ui::AppContext* context() {
  trapeze::ui::App* app = trapeze::ui::api_app();
  return app ? &app->context() : nullptr;
}

}  // namespace

// Opens lab `name` at step `step` (1-based; 0: where the student left it): {ok, error}.
TRAPEZE_EXPORT const char* trapeze_lab_open(const char* name, int step) {
  auto* ctx = context();
  if (!ctx) return failure("not ready");
  std::string error;
  if (!trapeze::ui::open_lab(*ctx, name ? name : "", step, &error)) return failure(error);
  return ok();
}

// Checks the open lab's current step: {"ok":true,"results":{...}} or {ok:false,error}.
TRAPEZE_EXPORT const char* trapeze_lab_check() {
  auto* ctx = context();
  if (!ctx) return failure("not ready");
  std::string error;
  auto results = trapeze::ui::check_lab_step(*ctx, &error);
  if (!results) return failure(error);
  return answer({{"ok", true}, {"results", json::parse(*results, nullptr, false)}});
}

// The student's prediction `id` of the current step: {ok, error}.
TRAPEZE_EXPORT const char* trapeze_lab_answer(const char* id, const char* value) {
  auto* ctx = context();
  if (!ctx) return failure("not ready");
  std::string error;
  if (!trapeze::ui::set_answer(*ctx, id ? id : "", value ? value : "", &error)) return failure(error);
  return ok();
}

// trapeze.lab(): the open lab, its step and the student's progress there.
TRAPEZE_EXPORT const char* trapeze_lab_json() {
  auto* ctx = context();
  if (!ctx) return "{}";
  g_answer = trapeze::ui::lab_summary_json(*ctx);
  return g_answer.c_str();
}

// The progress for a saved document (all labs) or a share link (open_only: the
// open lab's): its JSON text, "" when there is none.
TRAPEZE_EXPORT const char* trapeze_lab_progress(int open_only) {
  auto* ctx = context();
  if (!ctx || ctx->lab.progress.labs.empty()) return "";
  g_answer = trapeze::ui::lab_progress_json(*ctx, open_only != 0);
  return g_answer.c_str();
}

// Takes the progress of a saved document or link and opens its lab: {ok, error}.
TRAPEZE_EXPORT const char* trapeze_lab_restore(const char* progress_json) {
  auto* ctx = context();
  if (!ctx) return failure("not ready");
  std::string error;
  if (!trapeze::ui::restore_lab_progress(*ctx, progress_json ? progress_json : "", &error)) return failure(error);
  return ok();
}

// Increases with every change of the lab progress (autosave adds it to the document's).
TRAPEZE_EXPORT double trapeze_lab_changes() {
  auto* ctx = context();
  return ctx ? double(ctx->lab.changes) : 0;
}
