#include <memory>

#include "experiments/experiment.h"
#include "experiments/load.h"
#include "experiments/nano.h"
#include "experiments/sweeps.h"

namespace trapeze::experiments {

const std::vector<ExperimentInfo>& experiment_list() {
  static const std::vector<ExperimentInfo> list = [] {
    std::vector<ExperimentInfo> l;
    l.push_back({"nano", "the nanobenchmark table: cycles per operation under every strategy",
                 [](const Sources& s) -> std::unique_ptr<Experiment> { return std::make_unique<NanoTable>(s); }});
    l.push_back({"load", "the load sweep: offered load against throughput, latency and utilization (M/M/1); port I/O vs the batched ring",
                 [](const Sources& s) -> std::unique_ptr<Experiment> {
                   return std::make_unique<LoadSweep>(default_load_sweep(), s);
                 }});
    for (const ExperimentInfo& e : sweep_experiments()) l.push_back(e);
    return l;
  }();
  return list;
}

nlohmann::ordered_json result_json(const Experiment& e) {
  nlohmann::ordered_json j = {{"experiment", e.name()}};
  nlohmann::ordered_json cols = nlohmann::ordered_json::array();
  for (const Column& c : e.table().columns) cols.push_back({{"name", c.name}, {"doc", c.doc}});
  j["columns"] = std::move(cols);
  j["rows"] = e.table().rows_json();
  j["notes"] = e.notes();
  return j;
}

std::unique_ptr<Experiment> make_experiment(std::string_view name, const Sources& sources) {
  for (const ExperimentInfo& e : experiment_list())
    if (e.name == name) return e.make(sources);
  return nullptr;
}

}  // namespace trapeze::experiments
