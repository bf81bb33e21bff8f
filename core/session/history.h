// Sampled history of a guest's counters, for the frontend's live plots and
// per-second rates: a bounded ring of cumulative snapshots taken at most every
// `interval` seconds of wall time. Plots and rates are differences of neighbours.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vmm/vmm_counters.h"

namespace trapeze::session {

// The few series the plots draw, cumulative at one instant.
struct Sample {
  double time = 0;  // wall seconds since the session started
  uint64_t instructions = 0;
  uint64_t traps = 0;     // every exception and interrupt raised for it
  uint64_t vm_exits = 0;  // entries into the VMM on its behalf (intercepted traps, hypercalls included)
  uint64_t tlb_misses = 0;
  uint64_t cycles = 0;  // host cycles charged to it (its own machine's, for native)
};

Sample sample_of(const vmm::GuestCounters& c, double time);

// Per-second rates between two samples (0 if no time passed).
struct Rates {
  double instructions = 0, traps = 0, vm_exits = 0, tlb_misses = 0, cycles = 0;
  double cycles_per_instruction = 0;  // over the interval; 0 if no instruction ran
};
Rates rates_between(const Sample& older, const Sample& newer);

class History {
 public:
  explicit History(size_t capacity = 300, double interval = 0.1)
      : capacity_(capacity), interval_(interval) {}
  // Adds `s` if at least `interval` has passed since the last sample (or forced).
  void offer(const Sample& s, bool force = false);
  void clear() { ring_.clear(), head_ = 0; }
  size_t size() const { return ring_.size(); }
  // Oldest first.
  const Sample& at(size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  const Sample* latest() const { return ring_.empty() ? nullptr : &at(ring_.size() - 1); }
  // The rates over the last second or so (the newest sample against one ~1 s older).
  Rates recent_rates() const;

 private:
  size_t capacity_;
  double interval_;
  std::vector<Sample> ring_;
  size_t head_ = 0;
};

}  // namespace trapeze::session
