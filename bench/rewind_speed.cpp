// trapeze_rewind_speed: what one step back costs deep into a run (issue 20). A
// guest that counts forever runs N guest instructions in the session (as the app
// runs it, quantum-sized Vmm::run calls), then steps back one instruction, a few
// times (each followed by a step forward, so every try starts from the same
// place); the median wall time, and the checkpoints and memory the history holds.
// A measurement, not a test: nothing here asserts a time.
//
// With --log-ops N: the cost of the history's log as it grows and is cut, instead:
// four guests run N short slices (one logged operation each, as frames make them),
// and the slowest slices are printed (a copy of the whole log shows as one).
//
//   trapeze_rewind_speed [--instructions N] [--strategy NAME]   (default 100M, every strategy)
//   trapeze_rewind_speed --log-ops N
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "session/rewind.h"
#include "session/session.h"

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A loop with a store, so memory changes as it runs.
const char* kSource =
    "_start: li r1, 0\\n li r2, 1\\n li r3, 0x4000\\n"
    "loop: add r1, r1, r2\\n stw r1, 0(r3)\\n jmp loop\\n";

void measure(trapeze::vmm::StrategyKind kind, uint64_t instructions) {
  using namespace trapeze;
  session::Session s([](const std::string&) { return text::FileText(); });
  const std::string json = std::string(R"({"version": 1, "name": "bench", "guests": [{"name": "g", )") +
                           R"("memory": "64K", "strategy": ")" + std::string(vmm::strategy_name(kind)) +
                           R"(", "source": ")" + kSource + R"("}]})";
  std::string error;
  if (!s.load(json, "", &error) || !s.can_run(0)) {
    if (error.empty() && !s.guest(0).errors.empty()) error = s.guest(0).errors[0].format();
    std::fprintf(stderr, "%s\n", error.c_str());
    std::exit(1);
  }
  const auto start = Clock::now();
  while (s.vmm()->guest(0).executed < instructions && s.can_run(0)) s.run_cycles(10'000'000, 60'000);
  const double run_ms = ms_since(start);
  std::vector<double> tries;
  for (int k = 0; k < 7; ++k) {
    const auto t = Clock::now();
    if (!session::step_back(s, 0)) {
      std::fprintf(stderr, "step back failed: %s\n", s.rewind().error().c_str());
      std::exit(1);
    }
    tries.push_back(ms_since(t));
    s.step(0);
  }
  std::sort(tries.begin(), tries.end());
  std::printf("%-10s %12llu instr  run %8.0f ms  step back: median %6.1f ms (min %6.1f, max %6.1f)  "
              "%zu checkpoints, %.1f MB of %.0f MB\n",
              std::string(vmm::strategy_name(kind)).c_str(),
              static_cast<unsigned long long>(s.vmm()->guest(0).executed), run_ms, tries[tries.size() / 2],
              tries.front(), tries.back(), s.rewind().checkpoint_count(),
              double(s.rewind().memory_bytes()) / (1 << 20), double(s.rewind().settings.budget_bytes) / (1 << 20));
}

// Many short slices of four guests: each is one logged operation; the slices that
// copied the whole log (growing it, or cutting its oldest part) are the slow ones.
void measure_log(uint64_t ops) {
  using namespace trapeze;
  session::Session s([](const std::string&) { return text::FileText(); });
  std::string guests;
  for (int g = 0; g < 4; ++g)
    guests += std::string(g ? ", " : "") + R"({"name": "g)" + std::to_string(g) +
              R"(", "memory": "64K", "strategy": "trap", "source": ")" + kSource + R"("})";
  std::string error;
  if (!s.load(std::string(R"({"version": 1, "name": "bench", "guests": [)") + guests + "]}", "", &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    std::exit(1);
  }
  std::vector<double> times;
  times.reserve(ops);
  const auto start = Clock::now();
  for (uint64_t k = 0; k < ops; ++k) {
    const auto t = Clock::now();
    s.run_cycles(400);
    times.push_back(ms_since(t));
  }
  const double total = ms_since(start);
  std::sort(times.begin(), times.end());
  const auto at = [&](double q) { return times[size_t(q * double(times.size() - 1))]; };
  std::printf("%llu slices in %.0f ms: median %.4f ms, p99.9 %.3f ms, max %.3f ms; log %zu ops, "
              "%zu checkpoints, %.1f MB\n",
              static_cast<unsigned long long>(ops), total, at(0.5), at(0.999), times.back(), s.rewind().log_size(),
              s.rewind().checkpoint_count(), double(s.rewind().memory_bytes()) / (1 << 20));
  std::printf("slowest:");
  for (size_t k = times.size(); k-- > 0 && k + 8 >= times.size();) std::printf(" %.2f", times[k]);
  std::printf(" ms\n");
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t instructions = 100'000'000;
  std::string only;
  uint64_t log_ops = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--instructions") instructions = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--strategy") only = argv[i + 1];
    else if (a == "--log-ops") log_ops = std::strtoull(argv[i + 1], nullptr, 10);
  }
  if (log_ops) {
    measure_log(log_ops);
    return 0;
  }
  for (const trapeze::vmm::StrategyInfo& info : trapeze::vmm::kStrategies)
    if (only.empty() || only == info.name) measure(info.kind, instructions);
}
