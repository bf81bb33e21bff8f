// The app's one experiment run (core/experiments), shared by the experiments
// panel and the JavaScript API (js_experiment_api.cpp): choose one, start it,
// pause, resume or stop it; App::frame calls tick() once per frame, which runs
// the experiment for its share of the frame (share_ms) in bounded slices, so the
// page stays responsive however long the experiment is. The guests and golden
// outputs come from the program's bundle, as for `trapeze experiment NAME`, and
// the simulation is deterministic however it is sliced: the same table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "experiments/experiment.h"

namespace trapeze::ui {

class ExperimentRunner {
 public:
  enum class State { Idle, Running, Paused, Done, Failed };

  // Selects experiment `index` of experiments::experiment_list() without running
  // it; refused (false) while one runs or is paused (stop it first).
  bool choose(size_t index);
  // Starts the chosen experiment from the beginning (any previous run is dropped).
  void start();
  void pause();
  void resume();
  // Drops the run: back to Idle with the same choice.
  void stop();
  // Once per frame, `frame_ms` after the last: runs for its share of the frame if Running.
  void tick(double frame_ms);

  size_t chosen() const { return chosen_; }
  State state() const { return state_; }
  bool active() const { return state_ == State::Running || state_ == State::Paused; }
  // The run (null when Idle).
  const experiments::Experiment* run() const { return run_.get(); }
  // Why it failed (Failed only).
  const std::string& error() const;
  // Increases with every start(), so a caller can tell its run from a later one.
  uint64_t generation() const { return generation_; }
  // Wall time spent running it (pauses excluded), and the last frame's share.
  double seconds() const { return seconds_; }
  double last_frame_ms() const { return last_frame_ms_; }
  uint64_t slice_cycles() const { return budget_; }

  // Wall time per frame given to the experiment: half the frame interval (so
  // where drawing is slow, as under a software renderer, the experiment is not
  // starved), at least kMinShareMs and at most kMaxShareMs (frames keep coming).
  static constexpr double kMinShareMs = 12.0, kMaxShareMs = 50.0;
  static double share_ms(double frame_ms);

 private:
  size_t chosen_ = 0;
  State state_ = State::Idle;
  std::unique_ptr<experiments::Experiment> run_;
  uint64_t generation_ = 0;
  // Simulated cycles per slice, adapted to about 1 ms of wall time.
  static constexpr uint64_t kFirstSlice = 200'000, kMaxSlice = uint64_t(1) << 22;
  uint64_t budget_ = kFirstSlice;
  double seconds_ = 0, last_frame_ms_ = 0;
};

// "running", "paused", "done", ... (the JS API's `state` strings).
const char* state_name(ExperimentRunner::State s);

}  // namespace trapeze::ui
