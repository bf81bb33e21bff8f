// The check engine: one headless run of a step's scenario through the Session
// (the app's build path: the starter or the student's source assembled as the
// editor's text would be), every guest to its end, bare-metal references where a
// check asks for one, experiments where a check names one; then each check and
// prediction compared with what was measured.
#include "lab/check.h"

#include <cmath>
#include <limits>
#include <memory>

#include "bundle/bundled_files.h"
#include "lab/counters.h"
#include "lab/fields.h"
#include "session/reference_run.h"
#include "session/session.h"

namespace trapeze::lab {

int StepResult::score() const {
  int n = 0;
  for (const CheckResult& c : checks) n += c.points;
  return n;
}

int StepResult::max_score() const {
  int n = 0;
  for (const CheckResult& c : checks) n += c.max_points;
  return n;
}

bool StepResult::passed() const {
  if (!error.empty()) return false;
  for (const CheckResult& c : checks)
    if (!c.passed) return false;
  return true;
}

Environment default_environment() { return {bundle::reader(), bundle::experiment_sources()}; }

namespace {

constexpr uint64_t kSlice = 50'000'000;  // host cycles per call; the result does not depend on it

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The first line of `s`, shortened for a result line.
std::string short_text(std::string_view s, size_t max = 120) {
  std::string r(s.substr(0, std::min(s.size(), max)));
  for (char& c : r)
    if (c == '\n') c = '|';
  if (s.size() > max) r += "...";
  return r;
}

// One step's run: the session, its guests run to their ends in slices, then the
// bare-metal references and experiments the checks need; then what is read from them.
class StepRun {
 public:
  StepRun(const Step& step, const Submission& submission, const Environment& env)
      : session_(env.files) {
    if (!session_.load(step.scenario_json, step.scenario_path, &error_)) {
      error_ = "the scenario does not load: " + error_;
      return;
    }
    for (const Starter& st : step.starters) {
      const size_t i = guest_index(st.guest);
      if (i == npos) continue;  // the parser checked the name
      const auto sub = submission.find(st.guest);
      session_.set_source(i, sub == submission.end() ? st.source : sub->second);
      session_.assemble(i);
    }
    // Every guest must run (a half result would mislead): say why one cannot.
    for (size_t i = 0; i < session_.guest_count(); ++i) {
      const session::SessionGuest& g = session_.guest(i);
      if (g.has_image() && !g.dirty() && g.errors.empty()) continue;
      std::string why = "guest " + in_quotes(g.spec.name) + " does not assemble:";
      for (size_t k = 0; k < g.errors.size() && k < 5; ++k) why += "\n  " + g.errors[k].format();
      error_ += (error_.empty() ? "" : "\n") + why;
    }
    for (const Check& c : step.checks) {
      if (c.kind == Check::Kind::ConsoleBareMetal) wants_references_ = true;
      if (c.kind == Check::Kind::Experiment && !experiments_.count(c.experiment))
        experiments_[c.experiment] = experiments::make_experiment(c.experiment, env.experiment_sources);
    }
  }

  // About `budget` host cycles of the remaining work; true when there is none left.
  bool advance(uint64_t budget) {
    if (!error_.empty()) return true;
    if (!session_.vmm()->finished()) {
      if (session_.run_cycles(budget, std::numeric_limits<double>::max()) == 0) error_ = "the run made no progress";
      return !error_.empty();
    }
    if (wants_references_) {
      if (!references_) {
        references_ = std::make_unique<session::ReferenceRuns>();
        references_->sync(session_);
      }
      for (size_t i = 0; i < session_.guest_count(); ++i) {
        const session::ReferenceRun* r = references_->reference(i);
        if (r && !r->finished()) {
          references_->run_to_completion(session_, budget);
          return false;
        }
      }
    }
    for (auto& [name, e] : experiments_)
      if (e && !e->step(budget)) return false;
    return true;
  }

  const std::string& error() const { return error_; }
  static constexpr size_t npos = size_t(-1);

  size_t guest_index(const std::string& name) const {
    for (size_t i = 0; i < session_.guest_count(); ++i)
      if (session_.guest(i).spec.name == name) return i;
    return npos;
  }
  const vmm::Guest& guest(size_t i) const { return session_.vmm()->guest(i); }

  // A counter of guest `name`, or nullopt.
  std::optional<double> counter(const std::string& name, const std::string& counter) {
    const size_t i = guest_index(name);
    if (i == npos) return std::nullopt;
    if (values_.size() != session_.guest_count()) values_.assign(session_.guest_count(), {});
    if (values_[i].empty()) values_[i] = counter_values(guest(i).counters);
    const auto it = values_[i].find(counter);
    if (it == values_[i].end()) return std::nullopt;
    return it->second;
  }

  // Bare metal's run of guest i's source (after advance() has finished).
  session::ConsoleDiff bare_metal_diff(size_t i) const {
    return references_ ? references_->diff(session_, i) : session::ConsoleDiff{};
  }
  const session::ReferenceRun* reference(size_t i) const { return references_ ? references_->reference(i) : nullptr; }

  // Experiment `name` (run to its end by advance()), or null.
  const experiments::Experiment* experiment(const std::string& name) const {
    const auto it = experiments_.find(name);
    return it == experiments_.end() ? nullptr : it->second.get();
  }

 private:
  session::Session session_;
  std::string error_;
  bool wants_references_ = false;
  std::vector<std::map<std::string, double>> values_;
  std::unique_ptr<session::ReferenceRuns> references_;
  std::map<std::string, std::unique_ptr<experiments::Experiment>> experiments_;
};

std::optional<double> cell_number(const experiments::Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return double(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::nullopt;
}

bool cell_matches(const experiments::Value& v, const std::string& want) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s == want;
  const auto n = cell_number(v);
  const auto w = parse_number(want);
  return n && w && std::fabs(*n - *w) <= 1e-9 * std::max(1.0, std::fabs(*w));
}

void compare(CheckResult& r, double value, const Expectation& e, std::optional<double> target) {
  if (!target) {
    r.measured = format_value(value);
    r.expected = e.text;
    r.passed = false;
    return;
  }
  r.measured = format_value(value);
  r.expected = describe(e, *target);
  r.passed = satisfies(value, e, *target);
}

void evaluate(const Check& c, StepRun& run, CheckResult& r) {
  using K = Check::Kind;
  if (c.kind == K::Experiment) {
    const experiments::Experiment* x = run.experiment(c.experiment);
    if (!x) {
      r.measured = "no experiment " + in_quotes(c.experiment);
      return;
    }
    if (!x->error().empty()) {
      r.measured = "the experiment stopped: " + x->error();
      return;
    }
    const experiments::Table& t = x->table();
    auto column = [&](const std::string& name) -> std::optional<size_t> {
      for (size_t k = 0; k < t.columns.size(); ++k)
        if (t.columns[k].name == name) return k;
      return std::nullopt;
    };
    std::string row_text;
    for (const auto& [k, v] : c.row) row_text += (row_text.empty() ? "" : ", ") + k + "=" + v;
    const std::vector<experiments::Value>* row = nullptr;
    for (const auto& candidate : t.rows) {
      bool all = true;
      for (const auto& [k, v] : c.row) {
        const auto col = column(k);
        all = all && col && cell_matches(candidate[*col], v);
      }
      if (all) {
        row = &candidate;
        break;
      }
    }
    const auto col = column(c.column);
    if (!row || !col) {
      r.measured = !row ? "no row " + row_text : "no column " + in_quotes(c.column);
      r.expected = c.expect.text;
      return;
    }
    const auto value = cell_number((*row)[*col]);
    if (!value) {
      r.measured = "(empty)";
      r.expected = c.expect.text;
      return;
    }
    std::optional<double> target = c.expect.number;
    if (c.expect.against == Expectation::Against::Column) {
      const auto other = column(c.expect.name);
      target = other ? cell_number((*row)[*other]) : std::nullopt;
    }
    compare(r, *value, c.expect, target);
    return;
  }

  const size_t i = run.guest_index(c.guest);
  if (i == StepRun::npos) {
    r.measured = "no guest " + in_quotes(c.guest);
    return;
  }
  const vmm::Guest& g = run.guest(i);
  const std::string state(vmm::guest_state_name(g.state));
  switch (c.kind) {
    case K::ConsoleContains:
    case K::ConsoleEquals: {
      const std::string& out = g.console();
      r.passed = c.kind == K::ConsoleContains ? out.find(c.text) != std::string::npos : out == c.text;
      r.expected = (c.kind == K::ConsoleContains ? "contains " : "equals ") + in_quotes(short_text(c.text));
      r.measured = in_quotes(short_text(out));
      break;
    }
    case K::ConsoleBareMetal: {
      const session::ConsoleDiff d = run.bare_metal_diff(i);
      using S = session::ConsoleDiff::Status;
      r.expected = "the same output as bare metal";
      if (d.status == S::None) {
        const session::ReferenceRun* ref = run.reference(i);
        r.passed = !ref;  // a bare-metal guest is its own reference
        r.measured = ref ? "no bare-metal run: " + ref->error : "runs on bare metal";
      } else if (d.status == S::Same) {
        r.passed = true;
        r.measured = "the same output";
      } else if (d.status == S::SameSoFar) {
        r.measured = "the bare-metal run did not finish";
      } else {
        const std::string& out = g.console();
        const size_t end = out.find('\n', d.line_start);
        r.measured = "line " + std::to_string(d.line + 1) + ": " +
                     in_quotes(short_text(out.substr(d.line_start, end == std::string::npos ? std::string::npos
                                                                                              : end - d.line_start)));
        r.expected = "line " + std::to_string(d.line + 1) + ": " + in_quotes(short_text(d.reference_line));
      }
      break;
    }
    case K::Counter:
    case K::Accounting: {
      const auto value = run.counter(c.guest, c.counter);
      if (!value) {
        r.measured = "no counter " + in_quotes(c.counter);
        break;
      }
      const std::optional<double> target =
          c.expect.against == Expectation::Against::Guest ? run.counter(c.expect.name, c.counter) : c.expect.number;
      compare(r, *value, c.expect, target);
      break;
    }
    case K::Halted:
      r.passed = g.state == vmm::GuestState::Halted;
      r.measured = state + (g.reason.empty() ? "" : ": " + g.reason);
      r.expected = "halted";
      break;
    case K::NotCrashed:
      r.passed = g.state != vmm::GuestState::Crashed;
      r.measured = state + (g.reason.empty() ? "" : ": " + g.reason);
      r.expected = "not crashed";
      break;
    case K::Experiment: break;
  }
}

PredictionResult predict(const Prediction& p, StepRun& run, const Answers& answers) {
  PredictionResult r;
  r.id = p.id;
  const auto a = answers.find(p.id);
  if (a != answers.end()) r.answer = trim(a->second);
  r.answered = !r.answer.empty();
  if (p.kind == Prediction::Kind::Number) {
    const auto value = run.counter(p.guest, p.measure);
    if (!value) return r;
    r.measured = format_value(*value);
    r.expected = format_value(*value) + tolerance_text(p.tolerance, p.relative);
    Expectation near;  // the answer within the tolerance of what was measured
    near.tolerance = p.tolerance, near.relative = p.relative;
    const auto n = parse_number(r.answer);
    r.correct = n && satisfies(*n, near, *value);
    return r;
  }
  std::optional<double> best;
  for (const std::string& o : p.options) {
    const auto v = run.counter(o, p.measure);
    if (!v) continue;
    r.measured += (r.measured.empty() ? "" : ", ") + o + ": " + format_value(*v);
    if (!best || (p.pick_largest ? *v > *best : *v < *best)) {
      best = v;
      r.expected = o;
    }
  }
  r.correct = r.answered && r.answer == r.expected;
  return r;
}

}  // namespace

struct StepChecker::State {
  const Lab& lab;
  Environment env;  // owned: the run keeps a reference
  Answers answers;
  StepResult result;
  std::unique_ptr<StepRun> run;
  bool done = false;
  State(const Lab& l, Environment e, Answers a) : lab(l), env(std::move(e)), answers(std::move(a)) {}
};

StepChecker::StepChecker(const Lab& lab, size_t step, const Submission& submission, Answers answers,
                         Environment env)
    : s_(std::make_unique<State>(lab, std::move(env), std::move(answers))) {
  StepResult& r = s_->result;
  r.step = step;
  if (step >= lab.steps.size()) {
    r.error = "no step " + std::to_string(step + 1) + " (the lab has " + std::to_string(lab.steps.size()) + ")";
    s_->done = true;
    return;
  }
  const Step& st = lab.steps[step];
  for (const Check& c : st.checks) {
    CheckResult cr;
    cr.id = c.id;
    cr.name = c.name;
    cr.max_points = c.points;
    r.checks.push_back(std::move(cr));
  }
  s_->run = std::make_unique<StepRun>(st, submission, s_->env);
}

StepChecker::~StepChecker() = default;
StepChecker::StepChecker(StepChecker&&) noexcept = default;
StepChecker& StepChecker::operator=(StepChecker&&) noexcept = default;

bool StepChecker::advance(uint64_t budget) {
  if (s_->done) return true;
  if (!s_->run->advance(std::max<uint64_t>(budget, 1))) return false;
  // Everything ran: judge it.
  StepResult& r = s_->result;
  const Step& st = s_->lab.steps[r.step];
  StepRun& run = *s_->run;
  s_->done = true;
  if (!run.error().empty()) {
    r.error = run.error();
    for (CheckResult& cr : r.checks) cr.measured = "not run";
    for (const Prediction& p : st.predictions) r.predictions.push_back({p.id});
  } else {
    for (size_t k = 0; k < st.checks.size(); ++k) {
      evaluate(st.checks[k], run, r.checks[k]);
      r.checks[k].points = r.checks[k].passed ? r.checks[k].max_points : 0;
    }
    for (const Prediction& p : st.predictions) r.predictions.push_back(predict(p, run, s_->answers));
  }
  s_->run.reset();  // the machines are not needed any more
  return true;
}

bool StepChecker::done() const { return s_->done; }
const StepResult& StepChecker::result() const { return s_->result; }

StepResult check_step(const Lab& lab, size_t step, const Submission& submission, const Answers& answers,
                      const Environment& env) {
  StepChecker checker(lab, step, submission, answers, env);
  while (!checker.advance(kSlice)) {
  }
  return checker.result();
}

nlohmann::ordered_json results_to_json(const Lab& lab, const std::vector<StepResult>& results) {
  nlohmann::ordered_json j;
  j["lab"] = lab.name;
  j["title"] = lab.title;
  int score = 0, max = 0;
  bool passed = true;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const StepResult& r : results) {
    const Step* s = r.step < lab.steps.size() ? &lab.steps[r.step] : nullptr;
    nlohmann::ordered_json o;
    o["step"] = r.step + 1;
    o["title"] = s ? s->title : "";
    o["error"] = r.error;
    o["passed"] = r.passed();
    o["score"] = r.score();
    o["max_score"] = r.max_score();
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (size_t k = 0; k < r.checks.size(); ++k) {
      const CheckResult& c = r.checks[k];
      const Check* def = s && k < s->checks.size() ? &s->checks[k] : nullptr;
      checks.push_back({{"id", c.id},
                        {"name", c.name},
                        {"kind", def ? std::string(kind_name(def->kind)) : ""},
                        {"guest", def ? def->guest : ""},
                        {"task", def && def->task},
                        {"passed", c.passed},
                        {"measured", c.measured},
                        {"expected", c.expected},
                        {"points", c.points},
                        {"max_points", c.max_points}});
    }
    o["checks"] = checks;
    nlohmann::ordered_json predictions = nlohmann::ordered_json::array();
    for (size_t k = 0; k < r.predictions.size(); ++k) {
      const PredictionResult& p = r.predictions[k];
      const Prediction* def = s && k < s->predictions.size() ? &s->predictions[k] : nullptr;
      predictions.push_back({{"id", p.id},
                             {"question", def ? plain_text(def->question) : ""},
                             {"answered", p.answered},
                             {"answer", p.answer},
                             {"measured", p.measured},
                             {"expected", p.expected},
                             {"correct", p.correct}});
    }
    o["predictions"] = predictions;
    score += r.score();
    max += r.max_score();
    passed = passed && r.passed();
    steps.push_back(std::move(o));
  }
  j["passed"] = passed;
  j["score"] = score;
  j["max_score"] = max;
  j["steps"] = steps;
  return j;
}

}  // namespace trapeze::lab
