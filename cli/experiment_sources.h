// Where the CLI's experiments find the guest kernels: the repository's guests/
// folder, relative to the current directory unless --guests says otherwise.
#pragma once

#include "experiments/experiment.h"
#include "files.h"

namespace trapeze::cli {

inline experiments::Sources repository_sources() {
  experiments::Sources s;
  s.guests_dir = "guests";
  s.read_file = [](const std::string& path) { return read_text(path); };
  return s;
}

}  // namespace trapeze::cli
