// The nanobenchmark table (Adams & Agesen, ASPLOS 2006, Fig. 4): simulated cycles
// per operation of each guests/nano/ guest under every strategy of the strategy
// table, computed as (cycles at N2 - cycles at N1) / (N2 - N1) so that boot and
// exit cancel. Cycles are the host cycles charged to the guest (VMM overhead
// included); for native, its own machine's. A cell is null when the guest did not
// print its golden output under it.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/experiment.h"
#include "experiments/guest_run.h"
#include "vmm/strategy.h"

namespace trapeze::experiments {

struct NanoOp {
  std::string_view op;     // the row's name: "call-ret"
  std::string_view guest;  // guests/nano/<guest>.s
  std::string_view doc;    // what one operation is
};

// clang-format off
inline constexpr NanoOp kNanoOps[] = {
  {"syscall", "syscall", "a null system call from user mode and the handler's return (rti)"},
  {"in",      "in",      "a port read of an idle device register (`in`)"},
  {"cr8wr",   "cr8wr",   "an interrupt-mask write (`di` or `ei`)"},
  {"call-ret","callret", "`call` + `ret`"},
  {"pgfault", "pgfault", "a load from an absent page, the handler's fixup and return"},
  {"divzero", "divzero", "`div` by zero, the handler's skip and return"},
  {"ptemod",  "ptemod",  "a page-table-entry write and its `invlpg`"},
};
// clang-format on
inline constexpr size_t kNumNanoOps = std::size(kNanoOps);
inline constexpr size_t kNumStrategies = std::size(vmm::kStrategies);

class NanoTable final : public Experiment {
 public:
  static constexpr int64_t kN1 = 1000, kN2 = 2000;
  explicit NanoTable(Sources sources);

  std::string_view name() const override { return "nano"; }
  bool step(uint64_t budget) override;
  const Table& table() const override { return table_; }
  const std::string& error() const override { return error_; }
  std::vector<std::string> notes() const override { return notes_; }

  // Cycles per operation; nullopt if not (yet) measured or not correct.
  std::optional<double> cycles(size_t op, vmm::StrategyKind s) const {
    return cells_[op][size_t(s)];
  }
  // {"unit": "cycles", "rows": [{"op": ..., "<strategy>": N or null, ...}]}
  nlohmann::ordered_json json() const;

 private:
  struct Job {
    size_t op;
    vmm::StrategyKind strategy;
  };
  void finish_job();
  void add_row(size_t op);

  Sources sources_;
  std::vector<Job> jobs_;
  size_t next_ = 0;
  int phase_ = 0;  // 0: start N1, 1: running N1, 2: start N2, 3: running N2
  std::unique_ptr<GuestRun> run_;
  uint64_t cycles_n1_ = 0;
  bool ok_n1_ = false;
  std::array<std::array<std::optional<double>, kNumStrategies>, kNumNanoOps> cells_{};
  Table table_;
  std::string error_;
  std::vector<std::string> notes_;
};

}  // namespace trapeze::experiments
