// Expressions in operands and directives: 64-bit integer arithmetic over
// literals, symbols and `.` (the current address), with C's operators and
// precedence. Values are range-checked where they are used, not here.
//
// A value can be unknown: in the first pass, a symbol defined further down has
// no value yet. Unknown values propagate through operators without errors; the
// caller decides whether an unknown value is acceptable.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "asm/lexer.h"

namespace trapeze::assembler {

struct SymbolValue {
  enum Kind : uint8_t { Known, Unknown, Error } kind = Unknown;
  int64_t value = 0;
  std::string error;  // for Error: the message, reported at the symbol's column
};

// What an expression can see; the assembler answers differently per pass and
// per use (see Assembly::Scope).
class SymbolScope {
 public:
  virtual ~SymbolScope() = default;
  virtual SymbolValue value_of(std::string_view name) const = 0;
  virtual bool is_defined(std::string_view name) const = 0;  // defined(NAME)
  virtual int64_t here() const = 0;                          // `.`
};

struct ExprValue {
  int64_t value = 0;
  bool known = true;
};

struct ExprError {
  int col = 1;
  std::string message;
};

struct ExprResult {
  ExprValue value;
  std::optional<ExprError> error;
};

// Evaluates all of `tokens` (no End token needed) as one expression.
// `end_col` is where a missing expression is reported.
ExprResult evaluate(std::span<const Token> tokens, const SymbolScope& scope, int end_col);

}  // namespace trapeze::assembler
