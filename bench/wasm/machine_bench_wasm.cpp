// The machine benchmark for WebAssembly: the same three workloads as
// bench/machine_bench.cpp, timed with the host clock, printed as one JSON line.
// Built and run by bench/wasm/run.sh (node, and headless Chromium with --browser).
#include <chrono>
#include <cstdio>
#include <string>

#include "workloads/bench_programs.h"

namespace {

double measure(trapeze::machine::bench::Workload w, double seconds) {
  using Clock = std::chrono::steady_clock;
  trapeze::machine::Machine m;
  trapeze::machine::bench::load_workload(m, w);
  // Warm up for half a second: the engine compiles a baseline tier first and swaps
  // in optimized code for later calls of run().
  const auto warm = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - warm).count() < 0.5) m.run(1'000'000);
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    uint64_t n = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    while (elapsed < seconds / 3) {
      n += m.run(1'000'000).instructions;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    best = std::max(best, double(n) / elapsed / 1e6);
  }
  return best;
}

}  // namespace

int main() {
  std::string out = "{\"machine\": {";
  bool first = true;
  for (const auto& w : trapeze::machine::bench::kWorkloads) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s\"%.*s\": {\"mips\": %.1f}", first ? "" : ", ",
                  int(w.name.size()), w.name.data(), measure(w.workload, 1.5));
    out += buf;
    first = false;
  }
  out += "}}";
  std::printf("%s\n", out.c_str());
  return 0;
}
