#include "experiments/nano.h"

namespace trapeze::experiments {

NanoTable::NanoTable(Sources sources) : sources_(std::move(sources)) {
  table_.columns.push_back({"op", "the nanobenchmark (guests/nano/)"});
  for (const vmm::StrategyInfo& s : vmm::kStrategies)
    table_.columns.push_back({std::string(s.name), "cycles per operation under " + std::string(s.name)});
  // Row by row, so that a partial table is made of complete rows.
  for (size_t op = 0; op < kNumNanoOps; ++op)
    for (const vmm::StrategyInfo& s : vmm::kStrategies) jobs_.push_back({op, s.kind});
}

bool NanoTable::step(uint64_t budget) {
  while (next_ < jobs_.size() && error_.empty()) {
    const Job& job = jobs_[next_];
    const NanoOp& op = kNanoOps[job.op];
    if (phase_ == 0 || phase_ == 2) {
      GuestRunSpec spec;
      spec.file = "nano/" + std::string(op.guest) + ".s";
      spec.defines["N"] = phase_ == 0 ? kN1 : kN2;
      spec.strategy = job.strategy;
      run_ = GuestRun::start(spec, sources_, &error_);
      if (!run_) return true;
      ++phase_;
    }
    if (budget == 0) return false;
    if (!run_->step_within(budget)) return false;
    finish_job();
  }
  return true;
}

void NanoTable::finish_job() {
  const Job& job = jobs_[next_];
  const NanoOp& op = kNanoOps[job.op];
  // Correct: it printed what it prints on bare metal (its golden file).
  const auto expected = read_golden(sources_, "nano/" + std::string(op.guest) + ".expected", &error_);
  if (!expected) return;
  const bool ok = run_->halted_with(*expected);
  if (phase_ == 1) {
    cycles_n1_ = run_->cycles();
    ok_n1_ = ok;
    phase_ = 2;
    run_.reset();
    return;
  }
  const std::string_view sname = vmm::strategy_name(job.strategy);
  if (ok && ok_n1_) {
    cells_[job.op][size_t(job.strategy)] = double(run_->cycles() - cycles_n1_) / double(kN2 - kN1);
  } else {
    notes_.push_back(std::string(op.op) + " under " + std::string(sname) +
                     ": not correct (did not print its golden output), null");
  }
  run_.reset();
  phase_ = 0;
  ++next_;
  if (next_ == jobs_.size() || jobs_[next_].op != job.op) add_row(job.op);
}

void NanoTable::add_row(size_t op) {
  std::vector<Value> row(1 + kNumStrategies);
  row[0].emplace<std::string>(kNanoOps[op].op);
  for (const vmm::StrategyInfo& s : vmm::kStrategies)
    if (const auto& c = cells_[op][size_t(s.kind)]) row[1 + size_t(s.kind)].emplace<double>(*c);
  table_.rows.push_back(std::move(row));
}

nlohmann::ordered_json NanoTable::json() const {
  return {{"unit", "cycles"}, {"rows", table_.rows_json()}};
}

}  // namespace trapeze::experiments
