// Parameter sweeps: one guest kernel run once per value of a parameter, under one
// or more strategies (the series), with a few measurements per run. Each sweep is
// ONE row of kSweeps (sweeps.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "experiments/experiment.h"
#include "experiments/guest_run.h"

namespace trapeze::experiments {

struct Measure {
  Column column;  // its name is prefixed with the series' strategy when there are several
  std::function<Value(const GuestRun&)> value;
};

struct SweepSpec {
  std::string name;
  std::string summary;
  Column parameter;              // the swept value's column
  std::vector<int64_t> values;
  std::vector<vmm::StrategyKind> series;
  // The run for one value under one strategy.
  std::function<GuestRunSpec(int64_t value, vmm::StrategyKind strategy)> run;
  std::vector<Measure> measures;
  // The guest's golden console output, relative to the guests folder ("" = don't check).
  std::string expected_file;
};

class Sweep final : public Experiment {
 public:
  Sweep(SweepSpec spec, Sources sources);
  std::string_view name() const override { return spec_.name; }
  bool step(uint64_t budget) override;
  const Table& table() const override { return table_; }
  const std::string& error() const override { return error_; }
  std::vector<std::string> notes() const override { return notes_; }

 private:
  SweepSpec spec_;
  Sources sources_;
  size_t value_ = 0, series_ = 0;
  std::unique_ptr<GuestRun> run_;
  std::vector<Value> row_;
  Table table_;
  std::string error_;
  std::vector<std::string> notes_;
};

// The sweeps, as experiment_list() entries.
std::vector<ExperimentInfo> sweep_experiments();
const std::vector<SweepSpec>& sweep_specs();

}  // namespace trapeze::experiments
