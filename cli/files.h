// Small helpers the subcommands share: reading files, printing hashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace trapeze::cli {

// The whole file, or nullopt if it can't be read. With a `limit`, at most
// limit + 1 bytes are read: enough for the caller to reject an oversized file.
std::optional<std::string> read_text(const std::string& path, size_t limit = SIZE_MAX - 1);

// 16 lowercase hex digits, as state hashes are printed.
std::string hex64(uint64_t v);

}  // namespace trapeze::cli
