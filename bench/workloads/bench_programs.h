// The interpreter's three speed workloads, the same loops as the reference
// measurements in ../shared/anchors/perf.md, ready to run on a Machine. Only the
// CLI's `bench` command and bench/ link them (library trapeze_bench_workloads),
// not the machine library, so the WebAssembly app does not carry them:
//   Alu        add, xor, shift, sub, addi, branch: one dependency chain, 6 per iteration
//   LoadStore  load, add, store, advance over 64 KiB with paging on, kernel mode,
//              the TLB hitting: 5 instructions per word
//   Syscall    user-mode syscall + an 11-instruction kernel handler ending in rti,
//              paging on: 14 instructions per round trip
// Each runs forever; the benchmark gives run() a budget and divides by time.
#pragma once

#include <string_view>

#include "machine/machine.h"

namespace trapeze::machine::bench {

enum class Workload { Alu, LoadStore, Syscall };

struct WorkloadInfo {
  Workload workload;
  std::string_view name;         // "alu", "loadstore", "syscall"
  std::string_view description;
  int instructions_per_iteration;
};

inline constexpr WorkloadInfo kWorkloads[] = {
    {Workload::Alu, "alu", "ALU loop, one dependency chain (add, xor, shift, sub, addi, branch)", 6},
    {Workload::LoadStore, "loadstore", "load/store loop over 64 KiB, paging on, kernel mode, TLB hitting", 5},
    {Workload::Syscall, "syscall", "user->kernel syscall + 11-instruction handler + rti (14 per round trip)", 14},
};

// Resets `m` and loads the workload, ready to run().
void load_workload(Machine& m, Workload w);

}  // namespace trapeze::machine::bench
