// Snapshots on the command line (cmd_run_snapshot.cpp):
//   trapeze run SCENARIO.json --save-at N [--snapshot FILE]   (cmd_run_scenario.cpp)
//   trapeze run FILE.snap [--max-instr N] [--max-cycles N] [--json]
#pragma once

#include <cstdint>
#include <string>

#include "scenario/scenario.h"

namespace trapeze::cli {

struct SaveAt {
  uint64_t instructions = 0;  // of the first guest
  uint64_t cycles = 0;        // host cycles (by_cycles)
  bool by_cycles = false;
};

// Runs scenario `s` (read from `path`) until `at`, writes its snapshot to `file`,
// and prints the run so far as `trapeze run` does. Returns the exit code.
int run_and_save(const scenario::Scenario& s, const std::string& path, const SaveAt& at,
                 const std::string& file, bool json);

// The file starts with the snapshot magic (whatever its name).
bool is_snapshot_file(const std::string& path);
int cmd_run_snapshot(int argc, char** argv);

}  // namespace trapeze::cli
