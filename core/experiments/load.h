// The load sweep: guests/loadgen drives the block device with requests arriving
// open-loop at a swept offered load (requests per million cycles) - seeded
// exponential inter-arrival times, written by the experiment into the guest's
// memory - and the device serves them FIFO with seeded exponential service times.
// Per point: the measured arrival rate, throughput, mean and 99th-percentile
// latency (from the request's arrival - its timer interrupt falling due - to its
// completion, for every variant alike: queue, service, and for the ring the wait
// for its batch) on the guest's clock, the mean latency in host cycles (the VMM's
// work between arrival and completion included, which the guest's clock leaves
// out), device utilization, and the M/M/1 prediction 1 / (mu - lambda) at the
// measured arrival rate; plus what the driver cost the CPU (transitions and VMM
// work, and device interrupts, per request). Variants: port registers natively (the M/M/1
// reference), under trap-and-emulate and hardware-assisted (every port access
// and interrupt a VM exit), and the batched para-virtual ring (pv).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "experiments/experiment.h"
#include "experiments/guest_run.h"

namespace trapeze::experiments {

struct LoadVariant {
  std::string name;  // "port-trap"
  vmm::StrategyKind strategy;
  bool ring;  // -D RING=1 (pv implies PV=1: the ring kicked by hypercall)
};

struct LoadSweepConfig {
  std::vector<LoadVariant> variants;
  std::vector<double> utilizations;  // offered load as a fraction of the service rate
  uint64_t mean_service = 200'000;   // cycles (exponential)
  uint64_t seed = 1;
  uint32_t min_requests = 2'000;     // per point: min_requests / (1 - rho)^2, capped
  uint32_t max_requests = 200'000;
};
LoadSweepConfig default_load_sweep();

class LoadSweep final : public Experiment {
 public:
  LoadSweep(LoadSweepConfig config, Sources sources);
  std::string_view name() const override { return "load"; }
  bool step(uint64_t budget) override;
  const Table& table() const override { return table_; }
  const std::string& error() const override { return error_; }
  std::vector<std::string> notes() const override;

  // Requests at offered utilization rho (enough for the mean to converge).
  uint32_t requests(double rho) const;

 private:
  void finish_point();

  LoadSweepConfig config_;
  Sources sources_;
  size_t variant_ = 0, point_ = 0;
  std::unique_ptr<GuestRun> run_;
  Table table_;
  std::string error_;
};

}  // namespace trapeze::experiments
