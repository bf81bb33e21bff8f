// One guest kernel of guests/ run under one strategy on a fresh VMM, in slices:
// the unit every experiment is made of.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>


#include "experiments/experiment.h"
#include "vmm/vmm.h"

namespace trapeze::experiments {

struct GuestRunSpec {
  std::string file;  // relative to Sources::guests_dir: "nano/in.s"
  std::map<std::string, int64_t> defines;
  vmm::StrategyKind strategy = vmm::StrategyKind::NATIVE;  // pv implies PV=1 (scenario rule)
  uint32_t memory_bytes = 256u << 10;
  uint32_t tlb_entries = 64;
  uint64_t max_instructions = 2'000'000'000;
  uint32_t tc_capacity = vmm::kDefaultTcCapacity;  // bt: translated instructions cached
  // Last changes to the VMM's configuration before it is created (device options,
  // data the experiment writes into the guest's memory...).
  std::function<void(vmm::VmmConfig&)> customize;
};

// The golden output `file` (relative to Sources::guests_dir: "nano/in.expected").
// nullopt and *error set if it cannot be read: a missing golden is a broken
// installation, never a guest that "did not print its golden output".
std::optional<std::string> read_golden(const Sources& sources, const std::string& file,
                                       std::string* error);

class GuestRun {
 public:
  // nullptr and *error set if the guest does not assemble or the VMM refuses it.
  static std::unique_ptr<GuestRun> start(const GuestRunSpec& spec, const Sources& sources,
                                         std::string* error);
  // At most about `budget` cycles (the guest's own for native, else host cycles).
  // True when the guest is no longer ready (halted, crashed or stopped).
  bool step(uint64_t budget);
  // step(budget), then takes the guest cycles it used off `budget` (an experiment's
  // slice shared among its runs).
  bool step_within(uint64_t& budget) {
    const uint64_t before = cycles();
    const bool done = step(budget);
    const uint64_t used = cycles() - before;
    budget = used >= budget ? 0 : budget - used;
    return done;
  }
  bool finished() const { return vmm_->finished(); }
  const vmm::Guest& guest() const { return vmm_->guest(0); }
  const vmm::Vmm& vmm() const { return *vmm_; }
  // Host cycles charged to the guest (its machine's, for native): Adams & Agesen's
  // "cycles", VMM overhead included.
  uint64_t cycles() const { return guest().counters.machine.cycles; }
  // Halted with this exact console output.
  bool halted_with(const std::string& console) const;

 private:
  explicit GuestRun(std::unique_ptr<vmm::Vmm> v) : vmm_(std::move(v)) {}
  std::unique_ptr<vmm::Vmm> vmm_;
};

}  // namespace trapeze::experiments
