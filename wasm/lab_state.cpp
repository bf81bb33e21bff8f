#include "lab_state.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app_context.h"
#include "lab/bundled_labs.h"
#include "lab/check.h"
#include "text/escape.h"

namespace trapeze::ui {
namespace {

using json = nlohmann::ordered_json;
namespace progress = scenario::lab;

std::vector<LabEntry> read_catalog() {
  std::vector<LabEntry> out;
  for (const lab::LabInfo& info : lab::bundled_labs()) {
    LabEntry e;
    e.name = info.name;
    e.path = info.path;
    lab::ParseResult r = lab::open_bundled_lab(info.name);
    for (const lab::Diagnostic& d : r.errors) e.errors += d.format() + "\n";
    e.lab = std::move(r.lab);
    out.push_back(std::move(e));
  }
  return out;
}

progress::LabProgress* open_progress(AppContext& ctx) {
  auto it = ctx.lab.progress.labs.find(ctx.lab.progress.open);
  return it == ctx.lab.progress.labs.end() ? nullptr : &it->second;
}

// The session holds a scenario with the step's guests, by name.
bool same_guests(const AppContext& ctx, const lab::Step& step) {
  const session::Session& s = ctx.session;
  if (!s.loaded() || s.guest_count() != step.scenario.guests.size()) return false;
  for (size_t i = 0; i < s.guest_count(); ++i)
    if (s.guest(i).spec.name != step.scenario.guests[i].name) return false;
  return true;
}

// The session still holds the loaded step's scenario (the student may have
// opened a preset since).
bool session_is_step(const AppContext& ctx, const lab::Step& step) {
  return ctx.lab.base_sources.size() == ctx.session.guest_count() && same_guests(ctx, step);
}

// What the student typed in the loaded step: every guest whose source is not
// what the step started with.
lab::Submission typed_sources(const AppContext& ctx) {
  lab::Submission out;
  const session::Session& s = ctx.session;
  for (size_t i = 0; i < s.guest_count() && i < ctx.lab.base_sources.size(); ++i)
    if (s.guest(i).source != ctx.lab.base_sources[i]) out[s.guest(i).spec.name] = s.guest(i).source;
  return out;
}

// Keeps the loaded step's typed sources in the progress.
void keep_typed_sources(AppContext& ctx) {
  const lab::Lab* l = open_lab(ctx);
  progress::LabProgress* p = open_progress(ctx);
  const int n = ctx.lab.loaded_step;
  if (!l || !p || n < 1 || size_t(n) > l->steps.size() || !session_is_step(ctx, l->steps[size_t(n) - 1])) return;
  auto typed = typed_sources(ctx);
  auto& kept = p->at(n).sources;
  // Not a change of its own: the edit that made it was counted by the session
  // (and the serialisers call this, so a count here would make every save twice).
  if (kept != typed) kept = std::move(typed);
}

// Loads step `n` of the open lab: its scenario, its starters, then what the
// student typed there before.
bool load_step(AppContext& ctx, int n, std::string* error) {
  const lab::Lab* l = open_lab(ctx);
  progress::LabProgress* p = open_progress(ctx);
  if (!l || !p) return *error = "no lab is open", false;
  if (n < 1 || size_t(n) > l->steps.size()) {
    *error = "lab \"" + l->name + "\" has steps 1 to " + std::to_string(l->steps.size()) + ", not " + std::to_string(n);
    return false;
  }
  const lab::Step& step = l->steps[size_t(n) - 1];
  session::Session& s = ctx.session;
  std::string why;
  if (!s.load(step.scenario_json, step.scenario_path, &why)) {
    *error = "step " + std::to_string(n) + "'s scenario does not load: " + why;
    return false;
  }
  ctx.comparison.reset();
  ctx.selected = 0;
  auto index_of = [&](const std::string& name) -> int {
    for (size_t i = 0; i < s.guest_count(); ++i)
      if (s.guest(i).spec.name == name) return int(i);
    return -1;
  };
  bool selected = false;
  for (const lab::Starter& st : step.starters) {
    const int i = index_of(st.guest);
    if (i < 0) continue;
    s.set_source(size_t(i), st.source);
    s.assemble(size_t(i));
    if (!selected) ctx.selected = i, selected = true;
  }
  ctx.lab.base_sources.clear();
  for (size_t i = 0; i < s.guest_count(); ++i) ctx.lab.base_sources.push_back(s.guest(i).source);
  for (const auto& [guest, text] : p->at(n).sources) {
    const int i = index_of(guest);
    if (i < 0) continue;  // kept in the progress all the same
    s.set_source(size_t(i), text);
    s.assemble(size_t(i));
  }
  ctx.lab.loaded_step = n;
  if (p->step != n) p->step = n, ++ctx.lab.changes;
  return true;
}

std::string lab_names() {
  std::string names;
  for (const LabEntry& e : lab_catalog()) names += (names.empty() ? "" : ", ") + e.name;
  return names.empty() ? "none are bundled" : names;
}

}  // namespace

const std::vector<LabEntry>& lab_catalog() {
  static const std::vector<LabEntry> catalog = read_catalog();
  return catalog;
}

const LabEntry* find_lab(std::string_view name) {
  for (const LabEntry& e : lab_catalog())
    if (e.name == name) return &e;
  return nullptr;
}

const lab::Lab* open_lab(const AppContext& ctx) {
  const LabEntry* e = find_lab(ctx.lab.progress.open);
  return e && e->lab ? &*e->lab : nullptr;
}

bool open_lab(AppContext& ctx, std::string_view name, int step, std::string* error) {
  const LabEntry* e = find_lab(name);
  if (!e) {
    *error = "there is no lab \"" + std::string(name.substr(0, 64)) + "\" (the labs are " + lab_names() + ")";
    return false;
  }
  if (!e->lab) {
    *error = "lab \"" + e->name + "\" has errors:\n" + e->errors;
    return false;
  }
  if (step < 0 || step > int(e->lab->steps.size())) {
    *error = "lab \"" + e->name + "\" has steps 1 to " + std::to_string(e->lab->steps.size()) + ", not " +
             std::to_string(step);
    return false;
  }
  keep_typed_sources(ctx);
  const std::string before = ctx.lab.progress.open;
  ctx.lab.progress.open = e->name;
  progress::LabProgress& p = ctx.lab.progress.labs[e->name];
  const int n = step > 0 ? step : std::clamp(p.step, 1, int(e->lab->steps.size()));
  ctx.lab.loaded_step = 0;
  if (!load_step(ctx, n, error)) {
    ctx.lab.progress.open = before;
    return false;
  }
  ctx.lab.notice.clear();
  ++ctx.lab.changes;
  if (!ctx.is_open(PanelId::lab)) {
    // A lab's workspace: its text, the guests, the editor, the counters and the
    // console, so the text has room (View reopens the others; an embed keeps
    // the panels its link chose).
    if (!ctx.compact) {
      ctx.open.fill(false);
      for (PanelId id : {PanelId::guests, PanelId::editor, PanelId::counters, PanelId::console})
        ctx.open[size_t(id)] = true;
    }
    ctx.open[size_t(PanelId::lab)] = true;
    ctx.apply_layout = 1;
  }
  return true;
}

bool lab_step_loaded(const AppContext& ctx) {
  const lab::Lab* l = open_lab(ctx);
  const int n = ctx.lab.loaded_step;
  return l && n >= 1 && size_t(n) <= l->steps.size() && session_is_step(ctx, l->steps[size_t(n) - 1]);
}

bool go_to_step(AppContext& ctx, int step, std::string* error) {
  keep_typed_sources(ctx);
  return load_step(ctx, step, error);
}

bool set_answer(AppContext& ctx, const std::string& id, const std::string& value, std::string* error) {
  const lab::Lab* l = open_lab(ctx);
  progress::LabProgress* p = open_progress(ctx);
  if (!l || !p) return *error = "no lab is open", false;
  const int n = std::clamp(p->step, 1, int(l->steps.size()));
  const lab::Step& step = l->steps[size_t(n) - 1];
  const auto pred = std::find_if(step.predictions.begin(), step.predictions.end(),
                                 [&](const lab::Prediction& q) { return q.id == id; });
  if (pred == step.predictions.end()) {
    *error = "step " + std::to_string(n) + " has no prediction \"" + id.substr(0, 64) + "\"";
    return false;
  }
  progress::StepProgress& sp = p->at(n);
  if (sp.checked) return *error = "the predictions of step " + std::to_string(n) + " are locked: it was checked", false;
  if (value.size() > progress::kMaxAnswerChars) return *error = "the answer is too long", false;
  if (pred->kind == lab::Prediction::Kind::Choice && !value.empty() &&
      std::find(pred->options.begin(), pred->options.end(), value) == pred->options.end()) {
    *error = "\"" + value.substr(0, 64) + "\" is not one of the options of \"" + id + "\"";
    return false;
  }
  if (value.empty())
    sp.answers.erase(id);
  else
    sp.answers[id] = value;
  ++ctx.lab.changes;
  return true;
}

namespace {

// Keeps a check's results in the progress of step `n` (1-based) of the open lab.
const std::string& keep_results(AppContext& ctx, const lab::Lab& l, int n, const lab::StepResult& r) {
  progress::StepProgress& sp = ctx.lab.progress.labs[l.name].at(n);
  sp.results_json = text::json_text(lab::results_to_json(l, {r}));
  sp.checked = true;
  ++ctx.lab.changes;
  ctx.lab.scroll_to_results = true;
  return sp.results_json;
}

}  // namespace

std::optional<std::string> check_lab_step(AppContext& ctx, std::string* error) {
  const lab::Lab* l = open_lab(ctx);
  progress::LabProgress* p = open_progress(ctx);
  if (!l || !p) return *error = "no lab is open", std::nullopt;
  const int n = std::clamp(p->step, 1, int(l->steps.size()));
  keep_typed_sources(ctx);
  const progress::StepProgress& sp = p->at(n);
  return keep_results(ctx, *l, n, lab::check_step(*l, size_t(n) - 1, sp.sources, sp.answers));
}

bool start_check(AppContext& ctx, std::string* error) {
  const lab::Lab* l = open_lab(ctx);
  progress::LabProgress* p = open_progress(ctx);
  if (!l || !p) return *error = "no lab is open", false;
  const int n = std::clamp(p->step, 1, int(l->steps.size()));
  keep_typed_sources(ctx);
  const progress::StepProgress& sp = p->at(n);
  ctx.lab.checker = std::make_unique<lab::StepChecker>(*l, size_t(n) - 1, sp.sources, sp.answers);
  ctx.lab.checker_lab = l->name;
  ctx.lab.checker_step = n;
  return true;
}

bool checking(const AppContext& ctx) { return ctx.lab.checker != nullptr; }

void advance_check(AppContext& ctx, uint64_t budget) {
  if (!ctx.lab.checker) return;
  const lab::Lab* l = open_lab(ctx);
  const progress::LabProgress* p = open_progress(ctx);
  if (!l || !p || l->name != ctx.lab.checker_lab || p->step != ctx.lab.checker_step) {
    ctx.lab.checker.reset();  // the student moved on: that check is no longer asked for
    return;
  }
  if (!ctx.lab.checker->advance(budget)) return;
  keep_results(ctx, *l, ctx.lab.checker_step, ctx.lab.checker->result());
  ctx.lab.checker.reset();
}

std::string lab_progress_json(AppContext& ctx, bool open_only) {
  keep_typed_sources(ctx);
  return progress::to_json(ctx.lab.progress, open_only ? ctx.lab.progress.open : "");
}

bool restore_lab_progress(AppContext& ctx, std::string_view text, std::string* error) {
  auto p = progress::parse(text, error);
  if (!p) return false;
  for (auto& [name, lab] : p->labs) ctx.lab.progress.labs[name] = std::move(lab);
  ++ctx.lab.changes;
  if (p->open.empty()) return true;
  const LabEntry* e = find_lab(p->open);
  const auto& kept = ctx.lab.progress.labs[p->open];
  if (e && e->lab && ctx.session.loaded() &&
      !same_guests(ctx, e->lab->steps[size_t(std::clamp(kept.step, 1, int(e->lab->steps.size()))) - 1])) {
    // The document's scenario is not the step's: keep it (it is what the student
    // worked on last); the panel offers "Load this step".
    keep_typed_sources(ctx);
    ctx.lab.progress.open = e->name;
    ctx.lab.loaded_step = 0;
    ctx.lab.notice.clear();
    return true;
  }
  return open_lab(ctx, p->open, 0, error);  // at its saved step
}

std::string lab_summary_json(AppContext& ctx) {
  keep_typed_sources(ctx);
  json out = json::object();
  const lab::Lab* l = open_lab(ctx);
  progress::LabProgress* p = open_progress(ctx);
  out["open"] = l ? json(l->name) : json(nullptr);
  if (l && p) {
    const int n = std::clamp(p->step, 1, int(l->steps.size()));
    out["title"] = l->title;
    out["step"] = n;
    out["steps"] = l->steps.size();
    out["stepTitle"] = l->steps[size_t(n) - 1].title;
    const progress::StepProgress& sp = p->at(n);
    out["answers"] = sp.answers;
    out["checked"] = sp.checked;
    out["results"] = sp.results_json.empty() ? json(nullptr) : json::parse(sp.results_json, nullptr, false);
    out["sources"] = sp.sources;
  }
  out["labs"] = json::array();
  for (const LabEntry& e : lab_catalog()) {
    json entry = {{"name", e.name}, {"title", e.title()}};
    if (e.lab) entry["steps"] = e.lab->steps.size(), entry["minutes"] = e.lab->minutes;
    if (!e.errors.empty()) entry["errors"] = e.errors;
    out["labs"].push_back(std::move(entry));
  }
  out["notice"] = ctx.lab.notice;
  out["controls"] = json::object();
  for (const LabState::Control& c : ctx.lab.controls) out["controls"][c.name] = {{"x", c.x}, {"y", c.y}};
  return text::json_text(out);
}

}  // namespace trapeze::ui
