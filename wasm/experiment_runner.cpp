#include "experiment_runner.h"

#include <algorithm>
#include <chrono>

#include "bundle/bundled_files.h"

namespace trapeze::ui {
namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

bool ExperimentRunner::choose(size_t index) {
  if (active() || index >= experiments::experiment_list().size()) return false;
  if (index != chosen_) {
    chosen_ = index;
    stop();
  }
  return true;
}

void ExperimentRunner::start() {
  run_ = experiments::experiment_list()[chosen_].make(bundle::experiment_sources());
  ++generation_;
  budget_ = kFirstSlice;
  seconds_ = last_frame_ms_ = 0;
  state_ = State::Running;
}

void ExperimentRunner::pause() {
  if (state_ == State::Running) state_ = State::Paused;
}

void ExperimentRunner::resume() {
  if (state_ == State::Paused) state_ = State::Running;
}

void ExperimentRunner::stop() {
  run_.reset();
  state_ = State::Idle;
}

const std::string& ExperimentRunner::error() const {
  static const std::string none;
  return run_ ? run_->error() : none;
}

// Slices of about a millisecond (the budget adapted from the last one) until the
// frame's share is used: a slice's cost in wall time varies by strategy and phase
// (an idle guest skips its cycles at once), so a fixed budget would either waste
// frames or stall one. kMaxSlice bounds the damage when a cheap phase (idle,
// waiting for a request) gives way to a busy one.
double ExperimentRunner::share_ms(double frame_ms) {
  return std::clamp(frame_ms / 2, kMinShareMs, kMaxShareMs);
}

void ExperimentRunner::tick(double frame_ms) {
  if (state_ != State::Running || !run_) return;
  const double start = now_ms(), share = share_ms(frame_ms);
  double t = start;
  bool finished = false;
  while (!finished && t - start < share) {
    finished = run_->step(budget_);
    const double after = now_ms(), ms = after - t;
    t = after;
    if (ms < 0.5 && budget_ < kMaxSlice) budget_ *= 2;
    if (ms > 2.0 && budget_ > 10'000) budget_ /= 2;
  }
  last_frame_ms_ = t - start;
  seconds_ += last_frame_ms_ / 1000.0;
  if (!run_->error().empty())
    state_ = State::Failed;
  else if (finished)
    state_ = State::Done;
}

const char* state_name(ExperimentRunner::State s) {
  switch (s) {
    case ExperimentRunner::State::Idle: return "idle";
    case ExperimentRunner::State::Running: return "running";
    case ExperimentRunner::State::Paused: return "paused";
    case ExperimentRunner::State::Done: return "done";
    case ExperimentRunner::State::Failed: return "failed";
  }
  return "idle";
}

}  // namespace trapeze::ui
