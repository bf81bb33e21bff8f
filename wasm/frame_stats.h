// Frame timing over the last few seconds: the interval between frames (what the
// user sees as frames per second) and the work of a frame (simulation + building
// the UI), for the status bar, --stats and trapeze_frame_stats_json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace trapeze::ui {

struct FrameSummary {
  uint64_t frames = 0;  // in all
  double mean_ms = 0, p95_ms = 0, max_ms = 0;  // frame interval, recent frames
  double work_mean_ms = 0, work_p95_ms = 0, work_max_ms = 0;  // work per frame
  double sim_mean_ms = 0;  // of which simulation
};

class FrameStats {
 public:
  explicit FrameStats(size_t window = 240) : window_(window) {}
  void add(double interval_ms, double work_ms, double sim_ms);
  FrameSummary summary() const;
  void reset() { interval_.clear(), work_.clear(), sim_.clear(), next_ = 0; }

 private:
  size_t window_;
  std::vector<double> interval_, work_, sim_;
  size_t next_ = 0;
  uint64_t frames_ = 0;
};

}  // namespace trapeze::ui
