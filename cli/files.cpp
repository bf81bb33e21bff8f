#include "files.h"

#include <cinttypes>
#include <cstdio>

namespace trapeze::cli {

std::string hex64(uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

}  // namespace trapeze::cli
