#include "lab/check.h"

#include "bundle/bundled_files.h"

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

StepResult check_step(const Lab&, size_t step, const Submission&, const Answers&, const Environment&) {
  StepResult r;
  r.step = step;
  r.error = "checking is not implemented yet";
  return r;
}

nlohmann::ordered_json results_to_json(const Lab&, const std::vector<StepResult>&) {
  return {{"error", "not implemented yet"}};
}

}  // namespace trapeze::lab
