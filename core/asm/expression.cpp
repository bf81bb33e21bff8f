#include "asm/expression.h"

#include <cstdio>

namespace trapeze::assembler {
namespace {

// Binary operators, loosest first, as in C.
struct BinaryOp {
  std::string_view text;
  int precedence;
};
constexpr BinaryOp kBinaryOps[] = {
    {"||", 1}, {"&&", 2}, {"|", 3},  {"^", 4},  {"&", 5},  {"==", 6},
    {"!=", 6}, {"<", 7},  {"<=", 7}, {">", 7},  {">=", 7}, {"<<", 8},
    {">>", 8}, {"+", 9},  {"-", 9},  {"*", 10}, {"/", 10}, {"%", 10},
};

// Deep enough for any real expression; stops "((((..." from exhausting the stack.
constexpr int kMaxNesting = 200;

// hi(x) and lo(x) split a 32-bit value for `lui` + `ori`; li and la expand to them.
constexpr int64_t kMin32 = INT32_MIN, kMax32 = UINT32_MAX;

class Parser {
 public:
  Parser(std::span<const Token> tokens, const SymbolScope& scope, int end_col)
      : toks_(tokens), scope_(scope), end_col_(end_col) {}

  ExprResult run() {
    ExprValue v = parse(0, 0);
    if (!error_ && pos_ < toks_.size())
      fail(peek().col, "unexpected " + quote(peek()) + " in expression");
    if (error_) return {{}, std::move(error_)};
    return {v, std::nullopt};
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  bool at_end() const { return pos_ >= toks_.size(); }
  int col() const { return at_end() ? end_col_ : peek().col; }
  static std::string quote(const Token& t) {
    std::string q = "'";  // built up by appending: GCC 12 warns (-Wrestrict) on "'" + string
    q.append(t.text).append("'");
    return q;
  }

  ExprValue fail(int at, std::string message) {
    if (!error_) error_ = ExprError{at, std::move(message)};
    return {0, false};
  }

  const BinaryOp* binary_op() const {
    if (at_end() || peek().kind != TokenKind::Punct) return nullptr;
    for (const BinaryOp& op : kBinaryOps)
      if (peek().text == op.text) return &op;
    return nullptr;
  }

  // Precedence climbing: operands bound tighter than `min_prec` are parsed here.
  ExprValue parse(int min_prec, int depth) {
    ExprValue lhs = unary(depth);
    while (!error_) {
      const BinaryOp* op = binary_op();
      if (!op || op->precedence < min_prec) break;
      const Token& op_tok = peek();
      ++pos_;
      // && and || short-circuit as in C, so `defined(X) && X == 2` works when X
      // is undefined: the right side is still parsed, but not evaluated.
      const bool decided = lhs.known && ((op->text == "&&" && lhs.value == 0) ||
                                         (op->text == "||" && lhs.value != 0));
      skipping_ += decided;
      const ExprValue rhs = parse(op->precedence + 1, depth + 1);
      skipping_ -= decided;
      lhs = decided ? ExprValue{op->text == "||", true} : apply(op->text, op_tok, lhs, rhs);
    }
    return lhs;
  }

  ExprValue unary(int depth) {
    if (depth > kMaxNesting) return fail(col(), "expression nested too deeply");
    if (at_end()) return fail(end_col_, "expected an expression");
    const Token& t = peek();
    if (t.is("-") || t.is("~") || t.is("!") || t.is("+")) {
      ++pos_;
      ExprValue v = unary(depth + 1);
      const uint64_t u = uint64_t(v.value);
      if (t.is("-")) v.value = int64_t(0 - u);
      if (t.is("~")) v.value = int64_t(~u);
      if (t.is("!")) v.value = v.value == 0;
      return v;
    }
    return primary(depth);
  }

  ExprValue primary(int depth) {
    const Token& t = peek();
    ++pos_;
    switch (t.kind) {
      case TokenKind::Number: return {t.number, true};
      case TokenKind::Ident:
        if (t.text == ".") return {scope_.here(), true};
        if (!at_end() && peek().is("(")) return call(t, depth);
        return symbol(t);
      case TokenKind::Punct:
        if (t.is("(")) {
          const ExprValue v = parse(0, depth + 1);
          if (error_) return v;
          if (at_end() || !peek().is(")")) return fail(col(), "missing ')'");
          ++pos_;
          return v;
        }
        break;
      default: break;
    }
    return fail(t.col, "expected an expression, got " + quote(t));
  }

  ExprValue symbol(const Token& t) {
    if (skipping_) return {0, true};
    const SymbolValue s = scope_.value_of(t.text);
    if (s.kind == SymbolValue::Error) return fail(t.col, s.error);
    return {s.value, s.kind == SymbolValue::Known};
  }

  // defined(NAME), hi(expr), lo(expr).
  ExprValue call(const Token& fn, int depth) {
    ++pos_;  // '('
    ExprValue v;
    if (fn.text == "defined") {
      if (at_end() || peek().kind != TokenKind::Ident)
        return fail(col(), "defined() needs a symbol name");
      v = {scope_.is_defined(peek().text), true};
      ++pos_;
    } else if (fn.text == "hi" || fn.text == "lo") {
      const int arg_col = col();
      v = parse(0, depth + 1);
      if (error_) return v;
      if (v.known && !skipping_ && (v.value < kMin32 || v.value > kMax32))
        return fail(arg_col, "value " + std::to_string(v.value) + " does not fit in 32 bits");
      const uint32_t u = uint32_t(v.value);
      v.value = fn.text == "hi" ? (u >> 16) : (u & 0xFFFF);
    } else {
      return fail(fn.col,
                  "unknown function '" + std::string(fn.text) + "' (there are defined, hi and lo)");
    }
    if (at_end() || !peek().is(")")) return fail(col(), "missing ')'");
    ++pos_;
    return v;
  }

  ExprValue apply(std::string_view op, const Token& at, ExprValue a, ExprValue b) {
    ExprValue r{0, a.known && b.known};
    if (!r.known || skipping_) return r;
    // Unsigned arithmetic wraps instead of overflowing (which would be undefined).
    const uint64_t x = uint64_t(a.value), y = uint64_t(b.value);
    if (op == "+")
      r.value = int64_t(x + y);
    else if (op == "-")
      r.value = int64_t(x - y);
    else if (op == "*")
      r.value = int64_t(x * y);
    else if (op == "/" || op == "%") {
      if (b.value == 0) return fail(at.col, "division by zero");
      if (b.value == -1)
        r.value = op == "/" ? int64_t(0 - x) : 0;  // INT64_MIN / -1 overflows
      else
        r.value = op == "/" ? a.value / b.value : a.value % b.value;
    } else if (op == "<<" || op == ">>") {
      if (b.value < 0 || b.value > 63)
        return fail(at.col, "shift count " + std::to_string(b.value) + " out of range (0..63)");
      r.value = op == "<<" ? int64_t(x << b.value) : a.value >> b.value;
    } else if (op == "&")
      r.value = int64_t(x & y);
    else if (op == "|")
      r.value = int64_t(x | y);
    else if (op == "^")
      r.value = int64_t(x ^ y);
    else if (op == "==")
      r.value = a.value == b.value;
    else if (op == "!=")
      r.value = a.value != b.value;
    else if (op == "<")
      r.value = a.value < b.value;
    else if (op == "<=")
      r.value = a.value <= b.value;
    else if (op == ">")
      r.value = a.value > b.value;
    else if (op == ">=")
      r.value = a.value >= b.value;
    else if (op == "&&")
      r.value = a.value && b.value;
    else if (op == "||")
      r.value = a.value || b.value;
    return r;
  }

  std::span<const Token> toks_;
  const SymbolScope& scope_;
  int end_col_;
  size_t pos_ = 0;
  int skipping_ = 0;  // > 0 inside the unevaluated side of && or ||
  std::optional<ExprError> error_;
};

}  // namespace

ExprResult evaluate(std::span<const Token> tokens, const SymbolScope& scope, int end_col) {
  return Parser(tokens, scope, end_col).run();
}

}  // namespace trapeze::assembler
