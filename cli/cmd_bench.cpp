// trapeze bench: how fast the interpreter runs its three speed workloads
// (bench/workloads/bench_programs.h), in guest instructions per second. The measurement
// uses the host's clock; the simulation itself never does.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "workloads/bench_programs.h"
#include "text/escape.h"

namespace trapeze::cli {
namespace {

constexpr const char* kBenchUsage =
    "usage: trapeze bench [machine] [--json] [--seconds S]\n"
    "  runs each workload for S seconds (default 1, best of 3 rounds) and prints guest MIPS\n";

struct Measurement {
  double mips = 0;
  uint64_t instructions = 0;
  double seconds = 0;
};

Measurement measure(machine::bench::Workload w, double seconds) {
  using Clock = std::chrono::steady_clock;
  machine::Machine m;
  machine::bench::load_workload(m, w);
  m.run(5'000'000);  // warm up: decode, TLB, caches
  Measurement best;
  for (int round = 0; round < 3; ++round) {
    uint64_t n = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    while (elapsed < seconds / 3) {
      n += m.run(1'000'000).instructions;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    }
    const double mips = double(n) / elapsed / 1e6;
    if (mips > best.mips) best = {mips, n, elapsed};
  }
  return best;
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "nano") return cmd_bench_nano(argc, argv);
  bool json = false;
  double seconds = 1.0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "machine") continue;
    if (arg == "--json") {
      json = true;
    } else if (arg == "--seconds" && i + 1 < argc) {
      char* end = nullptr;
      seconds = std::strtod(argv[++i], &end);
      if (!end || *end || !(seconds > 0) || seconds > 600) {
        std::fprintf(stderr, "trapeze bench: bad --seconds '%s'\n%s", text::escaped(argv[i]).c_str(), kBenchUsage);
        return kExitInputError;
      }
    } else {
      std::fprintf(stderr, "trapeze bench: unknown argument '%s'\n%s", argv[i], kBenchUsage);
      return kExitInputError;
    }
  }
  nlohmann::ordered_json out;
  if (!json) std::printf("%-10s %10s  %s\n", "workload", "MIPS", "what");
  for (const machine::bench::WorkloadInfo& w : machine::bench::kWorkloads) {
    const Measurement r = measure(w.workload, seconds);
    nlohmann::ordered_json j = {{"mips", r.mips},
                                {"instructions", r.instructions},
                                {"seconds", r.seconds},
                                {"description", w.description}};
    if (w.workload == machine::bench::Workload::Syscall)
      j["round_trips_per_second"] = r.mips * 1e6 / w.instructions_per_iteration;
    out[std::string(w.name)] = j;
    if (!json) {
      std::printf("%-10s %10.1f  %.*s", std::string(w.name).c_str(), r.mips,
                  int(w.description.size()), w.description.data());
      if (w.workload == machine::bench::Workload::Syscall)
        std::printf(" = %.2f M round trips/s", r.mips / w.instructions_per_iteration);
      std::printf("\n");
    }
  }
  if (json) std::printf("%s\n", text::json_text(nlohmann::ordered_json{{"machine", out}}, 2).c_str());
  return 0;
}

}  // namespace trapeze::cli
