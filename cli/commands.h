// The subcommands of the `trapeze` tool, one per cmd_*.cpp file.
#pragma once

namespace trapeze::cli {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace trapeze::cli
