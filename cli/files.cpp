#include "files.h"

#include "commands.h"

#include <filesystem>
#include <fstream>

#include <cinttypes>
#include <cstdio>

namespace trapeze::cli {

std::string hex64(uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

bool write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  return bool(out.flush());
}

}  // namespace trapeze::cli

namespace trapeze::cli {

std::optional<uint64_t> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

bool read_binary_file(const std::string& path, size_t limit, std::vector<uint8_t>* out,
                      std::string* error) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {  // not a FIFO: opening one blocks
    *error = "not a regular file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open it";
    return false;
  }
  out->clear();
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    if (out->size() + size_t(in.gcount()) > limit) {
      *error = "larger than " + std::to_string(limit) + " bytes";
      return false;
    }
    out->insert(out->end(), buf, buf + in.gcount());
  }
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  return true;
}

}  // namespace trapeze::cli

namespace trapeze::cli {
int run_usage_answer(const std::string& error, const char* usage) {
  if (error == "help") {
    std::fputs(usage, stdout);
    return 0;
  }
  std::fprintf(stderr, "trapeze run: %s\n%s", text::escaped(error).c_str(), usage);
  return kExitInputError;
}
}  // namespace trapeze::cli
