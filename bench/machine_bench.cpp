// Guest instructions per second of the interpreter on its three speed workloads
// (workloads/bench_programs.h), reported as items/s (= guest instructions/s).
// Compare with ../shared/anchors/perf.md (same loops on QEMU, TinyEMU, Spike, rv32emu).
//
//   trapeze_bench --benchmark_filter=Machine --benchmark_format=json
#include <benchmark/benchmark.h>

#include "workloads/bench_programs.h"

namespace {

using trapeze::machine::Machine;
using trapeze::machine::bench::Workload;

void run_workload(benchmark::State& state, Workload w) {
  Machine m;
  trapeze::machine::bench::load_workload(m, w);
  const uint64_t slice = uint64_t(state.range(0));
  uint64_t instructions = 0;
  for (auto _ : state) {
    const auto r = m.run(slice);
    instructions += r.instructions;
    benchmark::DoNotOptimize(r.instructions);
  }
  state.SetItemsProcessed(int64_t(instructions));
  state.counters["MIPS"] = benchmark::Counter(double(instructions) / 1e6, benchmark::Counter::kIsRate);
  const auto& c = m.counters();
  if (c.dtlb_hits + c.dtlb_misses)
    state.counters["dtlb_hit_rate"] = double(c.dtlb_hits) / double(c.dtlb_hits + c.dtlb_misses);
}

void BM_MachineAlu(benchmark::State& s) { run_workload(s, Workload::Alu); }
void BM_MachineLoadStore(benchmark::State& s) { run_workload(s, Workload::LoadStore); }
void BM_MachineSyscall(benchmark::State& s) { run_workload(s, Workload::Syscall); }

// Slices of 1M instructions (a frontend frame would use fewer); 10k shows the
// per-slice overhead.
BENCHMARK(BM_MachineAlu)->Arg(1'000'000)->Arg(10'000);
BENCHMARK(BM_MachineLoadStore)->Arg(1'000'000);
BENCHMARK(BM_MachineSyscall)->Arg(1'000'000);

}  // namespace
