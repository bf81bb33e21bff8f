#include "files.h"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace trapeze::cli {

std::optional<std::string> read_text(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  if (limit == SIZE_MAX - 1) {
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  } else {
    text.resize(limit + 1);
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(size_t(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  return text;
}

std::string hex64(uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

}  // namespace trapeze::cli
