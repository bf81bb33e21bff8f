// An experiment: a sweep of simulated runs whose results are a Table, computed in
// bounded slices so a browser frame (or a CLI loop) stays responsive:
//
//   auto e = make_experiment("tlb", sources, &error);
//   while (!e->step(5'000'000)) draw(e->table());   // points appear as they finish
//
// step() does at most about `budget` simulated cycles of work (a slice may overshoot
// by one VMM action) and returns true once every point is done. Everything is
// deterministic: the same experiment gives the same table, however it is sliced.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/table.h"
#include "scenario/scenario.h"

namespace trapeze::experiments {

// Where the guest kernels' sources come from: `read_file("<guests_dir>/nano/in.s")`.
// The CLI reads the repository's guests/ folder; the browser can serve embedded text.
struct Sources {
  std::string guests_dir = "guests";
  scenario::FileReader read_file;
};

class Experiment {
 public:
  virtual ~Experiment() = default;
  virtual std::string_view name() const = 0;
  // Bounded work; true when finished (further calls do nothing and return true).
  virtual bool step(uint64_t budget) = 0;
  // The points so far (complete rows only) and the columns.
  virtual const Table& table() const = 0;
  // Why the experiment stopped early (a guest that failed to assemble, crashed...);
  // empty if all is well.
  virtual const std::string& error() const = 0;
  // Lines for a reader (what was skipped and why, which checks apply...).
  virtual std::vector<std::string> notes() const { return {}; }

  // Runs to the end in slices.
  void run_to_end(uint64_t slice = 50'000'000) {
    while (!step(slice)) {
    }
  }
};

struct ExperimentInfo {
  std::string_view name;
  std::string_view summary;
  std::function<std::unique_ptr<Experiment>(const Sources&)> make;
};

// {"experiment": name, "columns": [{"name", "doc"}...], "rows": [{column: value}...],
// "notes": [...]}: what `trapeze experiment NAME --json` prints and the frontend's
// runExperiment() answers, so both give the same rows.
nlohmann::ordered_json result_json(const Experiment& e);

// Every experiment, one table; `trapeze experiment NAME` and the frontend list it.
const std::vector<ExperimentInfo>& experiment_list();
std::unique_ptr<Experiment> make_experiment(std::string_view name, const Sources& sources);

}  // namespace trapeze::experiments
