#include "frame_stats.h"

#include <algorithm>
#include <numeric>

namespace trapeze::ui {

void FrameStats::add(double interval_ms, double work_ms, double sim_ms) {
  ++frames_;
  if (interval_.size() < window_) {
    interval_.push_back(interval_ms), work_.push_back(work_ms), sim_.push_back(sim_ms);
    return;
  }
  interval_[next_] = interval_ms, work_[next_] = work_ms, sim_[next_] = sim_ms;
  next_ = (next_ + 1) % window_;
}

namespace {
void summarize(std::vector<double> v, double* mean, double* p95, double* max) {
  if (v.empty()) return;
  *mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  std::sort(v.begin(), v.end());
  *p95 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.95))];
  *max = v.back();
}
}  // namespace

FrameSummary FrameStats::summary() const {
  FrameSummary s;
  s.frames = frames_;
  summarize(interval_, &s.mean_ms, &s.p95_ms, &s.max_ms);
  summarize(work_, &s.work_mean_ms, &s.work_p95_ms, &s.work_max_ms);
  double p, m;
  summarize(sim_, &s.sim_mean_ms, &p, &m);
  return s;
}

}  // namespace trapeze::ui
