// The subcommands of the `trapeze` tool, one per cmd_*.cpp file.
#pragma once

#include <string>

namespace trapeze::cli {

inline constexpr const char* kVersion = "0.1.0";

// Exit codes shared by the subcommands (listed in `trapeze help`).
inline constexpr int kExitInputError = 1;        // bad input: assembly errors, unreadable file
inline constexpr int kExitUsage = 2;             // bad command line
inline constexpr int kExitNotVirtualizable = 3;  // isa --check: sensitive ⊄ privileged

int cmd_isa(int argc, char** argv);     // cmd_isa.cpp
int cmd_asm(int argc, char** argv);     // cmd_asm.cpp
int cmd_disasm(int argc, char** argv);  // cmd_asm.cpp
int cmd_run(int argc, char** argv);     // cmd_run.cpp (hands scenarios to cmd_run_scenario)
int cmd_run_scenario(int argc, char** argv);   // cmd_run_scenario.cpp
bool is_scenario_file(const std::string& path);  // .json, or text starting with '{'
int cmd_bench(int argc, char** argv);   // cmd_bench.cpp (hands `bench nano` to cmd_bench_nano)
int cmd_bench_nano(int argc, char** argv);   // cmd_bench_nano.cpp
int cmd_experiment(int argc, char** argv);   // cmd_experiment.cpp
int cmd_check(int argc, char** argv);        // cmd_check.cpp (exit 3: a check failed)

}  // namespace trapeze::cli
