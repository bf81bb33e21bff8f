// Symbols given a value from outside the source: `-D NAME[=VALUE]` on the command
// line and a scenario guest's "defines". One set of rules for both, checked before
// anything is assembled (and again by the assembler, for any other caller).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trapeze::assembler {

// Why `name` cannot be defined from outside the source, or "" if it can: it must
// be a symbol name (letters, digits, '_' and '.', not starting with a digit, at
// most 64 characters), not a register and not a predefined symbol (PORT_CONSOLE...),
// which cannot be redefined.
std::string define_name_problem(std::string_view name);

struct Define {
  std::string name;
  int64_t value = 1;
};

// "NAME" (value 1) or "NAME=VALUE", VALUE decimal, 0x.. or 0b.., with an optional
// '-', from -2^63 to 2^63-1. On error sets *error (naming the problem) and
// returns nullopt.
std::optional<Define> parse_define(std::string_view text, std::string* error);

}  // namespace trapeze::assembler
