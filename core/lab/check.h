// Checking a lab step: run its scenario headless with the student's sources in
// place of the starters (the session's build path, as the app runs it; every
// guest to its end), evaluate each check on what ran and each prediction against
// what was measured. The one JSON shape of the results (results_to_json) is what
// `trapeze check --json` prints and the browser's checkLab() answers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/experiment.h"
#include "lab/lab.h"
#include "scenario/scenario.h"

namespace trapeze::lab {

struct CheckResult {
  std::string id, name;
  bool passed = false;
  std::string measured;  // for a person: "42", "crashed", a console line
  std::string expected;  // "< 100", "halted", "\"mini-os ready\""
  int points = 0;        // earned
  int max_points = 0;
};

struct PredictionResult {
  std::string id;
  bool answered = false;
  std::string answer;
  std::string measured;
  std::string expected;  // "42 ± 10%" or the right option
  bool correct = false;
};

struct StepResult {
  size_t step = 0;       // 0-based index
  std::string error;     // the step could not run (a submission that does not assemble...)
  std::vector<CheckResult> checks;
  std::vector<PredictionResult> predictions;
  int score() const;
  int max_score() const;
  bool passed() const;   // ran, and every check passed
};

// Where a check run reads files: the scenarios' guests and includes, and the
// experiments' guests. default_environment(): the bundled files (what the app and
// the CLI have compiled in).
struct Environment {
  scenario::FileReader files;
  experiments::Sources experiment_sources;
};
Environment default_environment();

// Guest name -> source text: the student's work, replacing that guest's starter
// in every step that has one (a guest without a starter runs its own source).
using Submission = std::map<std::string, std::string>;
// Prediction id -> the student's answer (a number as typed, or an option).
using Answers = std::map<std::string, std::string>;

// Checks step `step` (0-based) of `lab` to the end: runs everything, then judges.
StepResult check_step(const Lab& lab, size_t step, const Submission& submission,
                      const Answers& answers, const Environment& env = default_environment());

// The same in bounded slices, for a frame loop (the browser must not freeze while
// a step runs): each advance() does about `budget` simulated cycles of work and
// returns true once result() is complete. The result does not depend on the
// slicing. `lab` must outlive the checker.
//
//   StepChecker c(lab, step, sources, answers);
//   each frame: if (c.advance(5'000'000)) show(c.result());
class StepChecker {
 public:
  StepChecker(const Lab& lab, size_t step, const Submission& submission, Answers answers,
              Environment env = default_environment());
  ~StepChecker();
  StepChecker(StepChecker&&) noexcept;
  StepChecker& operator=(StepChecker&&) noexcept;
  bool advance(uint64_t budget);
  bool done() const;
  const StepResult& result() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// The results of the given steps (any subset, in order) as docs/labs.md shows.
nlohmann::ordered_json results_to_json(const Lab& lab, const std::vector<StepResult>& results);

}  // namespace trapeze::lab
