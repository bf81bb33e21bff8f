#include "asm/defines.h"

#include "asm/lexer.h"
#include "asm/predefined.h"
#include "isa/isa.h"

namespace trapeze::assembler {
namespace {

// As written: whoever prints a message escapes it (text/escape.h). Built by appending: GCC 12 warns (-Wrestrict, falsely) on "'" + std::string.
std::string quoted(std::string_view s) {
  std::string out(1, '\'');
  out += s;
  out += '\'';
  return out;
}

}  // namespace

std::string define_name_problem(std::string_view name) {
  const std::string shown = quoted(name);
  if (name.empty()) return "the name is empty";
  if (name.size() > 64) return shown + " is longer than 64 characters";
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
    if (!letter && !(i > 0 && c >= '0' && c <= '9'))
      return shown + " is not a symbol name (letters, digits, '_' and '.'; not starting with a digit)";
  }
  if (name == ".") return shown + " is not a symbol name (it is the current address)";
  if (isa::parse_reg(to_lower(name))) return shown + " is not a symbol name (it is a register)";
  for (const PredefinedSymbol& s : predefined_symbols())
    if (s.name == name) return shown + " is predefined by the assembler and cannot be redefined";
  return "";
}

std::optional<Define> parse_define(std::string_view text, std::string* error) {
  std::string ignored;
  std::string& err = error ? *error : ignored;
  const size_t eq = text.find('=');
  Define d;
  d.name = std::string(text.substr(0, eq));
  if (std::string problem = define_name_problem(d.name); !problem.empty()) {
    err = problem;
    return std::nullopt;
  }
  if (eq == std::string_view::npos) return d;
  std::string_view value = text.substr(eq + 1);
  const bool negative = !value.empty() && value[0] == '-';
  if (negative) value.remove_prefix(1);
  // parse_integer keeps the bit pattern of literals above 2^63-1; a define may not.
  const auto bits = value.empty() || value[0] == '-' ? std::nullopt : parse_integer(value);
  const uint64_t magnitude = bits ? uint64_t(*bits) : 0;
  if (!bits || magnitude > uint64_t(INT64_MAX) + (negative ? 1 : 0)) {
    err = quoted(text.substr(eq + 1)) +
          " is not an integer from -9223372036854775808 to 9223372036854775807 (decimal, 0x.. or 0b..)";
    return std::nullopt;
  }
  d.value = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
  return d;
}

}  // namespace trapeze::assembler
