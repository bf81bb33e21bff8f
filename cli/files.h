// Small helpers the subcommands share. Input files are read as every input file
// is (text/input_file.h: one size limit, regular files only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/escape.h"
#include "text/input_file.h"

namespace trapeze::cli {

// 16 lowercase hex digits, as state hashes are printed.
std::string hex64(uint64_t v);

// Writes `bytes` to `path` (created or truncated); false if it could not.
bool write_file(const std::string& path, std::string_view bytes);

// A decimal count of at most 19 digits (no sign, no spaces), or nothing.
std::optional<uint64_t> parse_count(std::string_view s);

// The whole of a binary file of at most `limit` bytes; false with *error if not.
bool read_binary_file(const std::string& path, size_t limit, std::vector<uint8_t>* out,
                      std::string* error);

}  // namespace trapeze::cli

namespace trapeze::cli {
// What `trapeze run` answers when its arguments do not parse: for "help" (asked
// for), the usage on stdout and 0; else the error and the usage on stderr and
// kExitInputError. One answer for a program, a scenario and a snapshot.
int run_usage_answer(const std::string& error, const char* usage);
}  // namespace trapeze::cli
