// Where the CLI's experiments find the guest kernels and their golden outputs:
// the copies compiled into the program (bundle/bundled_files.h), so that
// `trapeze experiment` and `trapeze bench nano` run from any directory; with
// --guests DIR, the files under DIR instead (to try an edited guest).
#pragma once

#include <string>

#include "bundle/bundled_files.h"
#include "experiments/experiment.h"
#include "files.h"

namespace trapeze::cli {

inline experiments::Sources bundled_sources() { return bundle::experiment_sources(); }

inline experiments::Sources directory_sources(const std::string& dir) {
  experiments::Sources s;
  s.guests_dir = dir;
  s.read_file = [](const std::string& path) { return text::read_input_file(path); };
  return s;
}

}  // namespace trapeze::cli
