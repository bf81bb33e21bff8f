#include "experiments/load.h"

#include <algorithm>
#include <cmath>

#include "asm/assembler.h"
#include "vmm/native.h"

namespace trapeze::experiments {

namespace {

constexpr uint32_t kTableBase = 0x10000;  // guests/loadgen: LG_TABLE

// splitmix64: the same sequence on every host.
struct Random {
  uint64_t state;
  double uniform() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return double(z >> 11) * 0x1.0p-53;
  }
  uint32_t exponential(double mean) {
    const double x = std::llround(-mean * std::log1p(-uniform()));
    return uint32_t(std::clamp(x, 1.0, double(INT32_MAX)));  // 0 would stop the timer
  }
};

const machine::DeviceStats& stats_of(const vmm::Guest& g) {
  if (const auto* n = dynamic_cast<const vmm::NativeStrategy*>(g.strategy.get()))
    return n->machine().device_stats();
  return g.bus.stats();
}

}  // namespace

LoadSweepConfig default_load_sweep() {
  LoadSweepConfig c;
  c.variants = {{"port-native", vmm::StrategyKind::NATIVE, false},
                {"port-trap", vmm::StrategyKind::TRAP, false},
                {"port-hw", vmm::StrategyKind::HW, false},
                {"ring-pv", vmm::StrategyKind::PV, true}};
  c.utilizations = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  return c;
}

LoadSweep::LoadSweep(LoadSweepConfig config, Sources sources)
    : config_(std::move(config)), sources_(std::move(sources)) {
  table_.columns = {
      {"variant", "driver and strategy: port registers or the batched ring"},
      {"strategy", "how the guest runs"},
      {"offered_load", "requests per million cycles offered (the table's mean rate)"},
      {"rho", "offered load / service rate"},
      {"requests", "requests in the point"},
      {"arrival_rate", "requests per million cycles reaching the device (measured)"},
      {"throughput", "requests completed per million cycles"},
      {"utilization", "fraction of the time the device was serving"},
      {"mean_latency", "mean time from a request's arrival to its completion (queue + service; for the ring also the wait for its batch), cycles of the guest's clock"},
      {"p99_latency", "99th percentile of that time, guest cycles"},
      {"host_latency", "mean time from arrival to completion in host cycles: the guest's clock plus the VMM's work and the transitions in between"},
      {"mm1_latency", "M/M/1 mean time in system 1 / (mu - lambda) at the measured arrival rate, cycles"},
      {"vmm_overhead_per_request", "host cycles per request spent crossing into the VMM and in it: the cycle accounting's transitions + vmm (0 natively)"},
      {"interrupts_per_request", "device interrupts the guest kernel handled per request"},
  };
}

uint32_t LoadSweep::requests(double rho) const {
  const double n = config_.min_requests / ((1 - rho) * (1 - rho));
  return uint32_t(std::clamp(n, double(config_.min_requests), double(config_.max_requests)));
}

std::vector<std::string> LoadSweep::notes() const {
  return {"service: exponential, mean " + std::to_string(config_.mean_service) +
              " cycles; arrivals: exponential gaps (seed " + std::to_string(config_.seed) + ")",
          "latency is measured from each request's arrival (its timer interrupt falling due) to its completion, "
          "for every variant; host_latency counts host cycles, the VMM's work included"};
}

bool LoadSweep::step(uint64_t budget) {
  while (variant_ < config_.variants.size() && error_.empty()) {
    const LoadVariant& v = config_.variants[variant_];
    const double rho = config_.utilizations[point_];
    if (!run_) {
      const uint32_t n = requests(rho);
      const double mean_gap = double(config_.mean_service) / rho;
      Random rng{config_.seed * 1000003 + point_};
      assembler::Segment table{kTableBase, {}};
      table.bytes.resize(4 * (size_t(n) + 1));
      auto put = [&](size_t i, uint32_t w) {
        for (int b = 0; b < 4; ++b) table.bytes[4 * i + b] = uint8_t(w >> (8 * b));
      };
      put(0, n);
      for (uint32_t i = 1; i <= n; ++i) put(i, rng.exponential(mean_gap));
      GuestRunSpec spec;
      spec.file = "loadgen/loadgen.s";
      spec.strategy = v.strategy;
      if (v.ring) spec.defines["RING"] = 1;
      const uint32_t need = kTableBase + uint32_t(table.bytes.size());
      spec.memory_bytes = (need + 0xFFFF) & ~0xFFFFu;
      spec.max_instructions = vmm::kNoLimit;
      const uint64_t seed = config_.seed * 7919 + point_;
      const uint64_t mean_service = config_.mean_service;
      spec.customize = [table = std::move(table), seed, mean_service](vmm::VmmConfig& c) {
        vmm::GuestConfig& g = c.guests[0];
        g.image.push_back(table);
        g.block.queue_depth = machine::kMaxQueueDepth;
        g.block.service = {machine::ServiceTime::Kind::Exponential, mean_service, seed};
        g.block.record_latencies = true;
      };
      run_ = GuestRun::start(spec, sources_, &error_);
      if (!run_) return true;
    }
    if (budget == 0) return false;
    if (!run_->step_within(budget)) return false;
    finish_point();
    if (!error_.empty()) return true;
    if (++point_ == config_.utilizations.size()) {
      point_ = 0;
      ++variant_;
    }
  }
  return true;
}

void LoadSweep::finish_point() {
  const LoadVariant& v = config_.variants[variant_];
  const double rho = config_.utilizations[point_];
  const vmm::Guest& g = run_->guest();
  if (!run_->halted_with("loadgen: ok\n")) {
    error_ = "loadgen (" + v.name + ", rho " + std::to_string(rho) + ") did not finish: " +
             std::string(vmm::guest_state_name(g.state)) + " " + g.reason + " console \"" + g.console() + "\"";
    return;
  }
  const machine::DeviceStats& s = stats_of(g);
  // Request i arrived at the i-th timer interrupt and completed i-th (the device
  // and the ring are FIFO): its latency, on the guest's clock and in host time.
  const size_t count = s.completions.size();
  if (count < 2 || s.timer_raises.size() != count || s.completions_host.size() != count ||
      s.timer_raises_host.size() != count) {
    error_ = "loadgen (" + v.name + ", rho " + std::to_string(rho) + "): " +
             std::to_string(s.timer_raises.size()) + " arrivals for " + std::to_string(count) +
             " completions";
    return;
  }
  std::vector<uint64_t> times(count);
  uint64_t total = 0, host_total = 0;
  for (size_t i = 0; i < count; ++i) {
    times[i] = s.completions[i] - s.timer_raises[i];
    total += times[i];
    host_total += s.completions_host[i] - s.timer_raises_host[i];
  }
  const double n = double(count);
  const uint64_t first = s.timer_raises.front(), last = s.timer_raises.back();
  const double elapsed = double(s.last_completion - first);
  const double lambda = (n - 1) / double(last - first);  // per cycle
  const double mu = 1.0 / double(config_.mean_service);
  const size_t k = std::min(times.size() - 1, size_t(std::ceil(0.99 * double(times.size()))) - 1);
  std::nth_element(times.begin(), times.begin() + ptrdiff_t(k), times.end());
  std::vector<Value> row(table_.columns.size());
  size_t c = 0;
  row[c++].emplace<std::string>(v.name);
  row[c++].emplace<std::string>(vmm::strategy_name(v.strategy));
  row[c++].emplace<double>(rho * mu * 1e6);
  row[c++].emplace<double>(rho);
  row[c++].emplace<int64_t>(int64_t(n));
  row[c++].emplace<double>(lambda * 1e6);
  row[c++].emplace<double>(n / elapsed * 1e6);
  row[c++].emplace<double>(double(s.busy_cycles) / elapsed);
  row[c++].emplace<double>(double(total) / n);
  row[c++].emplace<double>(double(times[k]));
  row[c++].emplace<double>(double(host_total) / n);
  if (lambda < mu) row[c].emplace<double>(1.0 / (mu - lambda));
  ++c;
  row[c++].emplace<double>(double(g.counters.accounting.transitions + g.counters.accounting.vmm) / n);
  // Natively the machine's own DEVICE traps; a virtualized guest's are the ones the
  // VMM delivered into it (its host machine's traps are the VMM's).
  const uint64_t device_interrupts =
      v.strategy == vmm::StrategyKind::NATIVE
          ? g.counters.machine.trap_count(isa::Cause::DEVICE)
          : g.counters.vmm.reflected_by_cause[size_t(isa::Cause::DEVICE)];
  row[c++].emplace<double>(double(device_interrupts) / n);
  table_.rows.push_back(std::move(row));
  run_.reset();
}

}  // namespace trapeze::experiments
