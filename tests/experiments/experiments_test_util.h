// The repository's guests/ folder as experiment sources.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "experiments/experiment.h"

namespace trapeze::experiments_test {

inline experiments::Sources repo_sources() {
  experiments::Sources s;
  s.guests_dir = std::string(TRAPEZE_SOURCE_DIR) + "/guests";
  s.read_file = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  return s;
}

}  // namespace trapeze::experiments_test
