// Small helpers the subcommands share. Input files are read as every input file
// is (text/input_file.h: one size limit, regular files only).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "text/escape.h"
#include "text/input_file.h"

namespace trapeze::cli {

// 16 lowercase hex digits, as state hashes are printed.
std::string hex64(uint64_t v);

// Writes `bytes` to `path` (created or truncated); false if it could not.
bool write_file(const std::string& path, std::string_view bytes);

}  // namespace trapeze::cli
