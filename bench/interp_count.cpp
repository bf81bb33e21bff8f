// trapeze_interp_count: runs one of the interpreter's speed workloads
// (bench/workloads) for a fixed number of guest instructions and prints the state
// hash. A fixed amount of guest work makes the host's cost countable independently of
// the machine's load: under `valgrind --tool=cachegrind` (host instructions per guest
// instruction) or `perf stat` (CPU time). A measurement, not a test.
//
//   trapeze_interp_count alu|loadstore|syscall [MILLION_INSTRUCTIONS]   (default 10)
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "workloads/bench_programs.h"

int main(int argc, char** argv) {
  using namespace trapeze::machine;
  const bench::WorkloadInfo* info = nullptr;
  for (const bench::WorkloadInfo& w : bench::kWorkloads)
    if (argc > 1 && w.name == std::string_view(argv[1])) info = &w;
  const long millions = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 10;
  if (!info || millions <= 0) {
    std::fprintf(stderr, "usage: trapeze_interp_count alu|loadstore|syscall [MILLION_INSTRUCTIONS]\n");
    return 2;
  }
  Machine m;
  bench::load_workload(m, info->workload);
  uint64_t n = 0;
  for (long i = 0; i < millions; ++i) n += m.run(1'000'000).instructions;
  std::printf("%s: %llu instructions, %llu cycles, state hash %016llx\n", std::string(info->name).c_str(),
              (unsigned long long)n, (unsigned long long)m.counters().cycles,
              (unsigned long long)m.state_hash());
  return 0;
}
