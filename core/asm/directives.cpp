// Directives: layout (.org .space .align), data (.word .byte .ascii .asciz),
// constants (.equ) and user errors (.error). .include and .macro live in
// source_stack.cpp, the conditionals in conditionals.cpp.
#include "asm/assembly.h"

namespace trapeze::assembler {
namespace {

std::string range_error(std::string_view what, int64_t v, std::string_view directive,
                        std::string_view range) {
  return std::string(what) + " " + std::to_string(v) + " out of range for " +
         std::string(directive) + " (" + std::string(range) + ")";
}

}  // namespace

void Assembly::directive(const Line& line, const Token& name, Tokens args, int end_col) {
  using Handler = void (Assembly::*)(const Line&, const Token&, const std::vector<Tokens>&, int);
  struct Entry {
    std::string_view name;
    Handler handler;
    int min_args, max_args;  // max_args < 0: no limit
  };
  static constexpr Entry kDirectives[] = {
      {".org", &Assembly::dir_org, 1, 1},       {".word", &Assembly::dir_data, 1, -1},
      {".byte", &Assembly::dir_data, 1, -1},    {".ascii", &Assembly::dir_string, 1, -1},
      {".asciz", &Assembly::dir_string, 1, -1}, {".space", &Assembly::dir_space, 1, 2},
      {".align", &Assembly::dir_align, 1, 1},   {".equ", &Assembly::dir_equ, 2, 2},
      {".error", &Assembly::dir_error, 1, 1},
  };
  const std::string lower = to_lower(name.text);
  if (lower == ".include") return include(line, name, args);
  if (lower == ".macro") return begin_macro(line, name, args);
  if (lower == ".endm") return error(line, name.col, ".endm without .macro");
  if (is_conditional(lower))
    return error(line, name.col, lower + " must be the first word on its line");
  for (const Entry& e : kDirectives) {
    if (e.name != lower) continue;
    const auto parts = split_operands(line, args, end_col);
    if (!parts) return;
    const int n = int(parts->size());
    if (n < e.min_args || (e.max_args >= 0 && n > e.max_args)) {
      const std::string expected =
          e.min_args == e.max_args ? std::to_string(e.min_args)
          : e.max_args < 0         ? "at least " + std::to_string(e.min_args)
                           : std::to_string(e.min_args) + " or " + std::to_string(e.max_args);
      const int col = n > e.max_args && e.max_args >= 0 ? (*parts)[e.max_args][0].col : name.col;
      return error(line, col,
                   lower + " expects " + expected + " argument" + (expected == "1" ? "" : "s") +
                       ", got " + std::to_string(n));
    }
    return (this->*e.handler)(line, name, *parts, end_col);
  }
  error(line, name.col, "unknown directive '" + std::string(name.text) + "'");
}

void Assembly::dir_org(const Line& line, const Token&, const std::vector<Tokens>& args,
                       int end_col) {
  const auto v = eval(line, args[0], Need::Layout, ".org", end_col);
  if (!v) return;
  if (v->value < 0 || v->value > int64_t(UINT32_MAX))
    return error(line, args[0][0].col, range_error("address", v->value, ".org", "0..0xffffffff"));
  set_address(uint32_t(v->value));
}

void Assembly::dir_data(const Line& line, const Token& name, const std::vector<Tokens>& args,
                        int end_col) {
  const bool word = to_lower(name.text) == ".word";
  const int size = word ? 4 : 1;
  const int64_t lo = word ? INT32_MIN : INT8_MIN, hi = word ? int64_t(UINT32_MAX) : UINT8_MAX;
  for (size_t i = 0; i < args.size(); ++i) {
    const int col = args[i][0].col;
    if (!reserve(line, col, size)) return;
    // Every value takes its space even when in error, so the addresses stay right.
    uint32_t bits = 0;
    const int arg_end = i + 1 < args.size() ? args[i + 1][0].col - 1 : end_col;
    if (const auto v = eval(line, args[i], Need::Value, "", arg_end); v && v->known) {
      if (v->value < lo || v->value > hi)
        error(line, col,
              range_error("value", v->value, to_lower(name.text),
                          std::to_string(lo) + ".." + std::to_string(hi)));
      else
        bits = uint32_t(v->value);
    }
    if (word)
      emit_word(line, bits);
    else
      emit_fill(line, 1, uint8_t(bits));
  }
}

void Assembly::dir_string(const Line& line, const Token& name, const std::vector<Tokens>& args,
                          int) {
  const bool zero = to_lower(name.text) == ".asciz";
  for (const Tokens& arg : args) {
    if (arg.size() != 1 || arg[0].kind != TokenKind::String)
      return error(line, arg[0].col,
                   "expected a string in double quotes, got '" + text_of(line, arg) + "'");
    const std::string& s = arg[0].string;
    if (!reserve(line, arg[0].col, s.size() + zero)) return;
    emit(line, {reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    if (zero) emit_fill(line, 1, 0);
  }
}

void Assembly::dir_space(const Line& line, const Token&, const std::vector<Tokens>& args,
                         int end_col) {
  const int size_end = args.size() > 1 ? args[1][0].col - 1 : end_col;
  const auto n = eval(line, args[0], Need::Layout, ".space", size_end);
  if (!n) return;
  if (n->value < 0)
    return error(line, args[0][0].col,
                 "size " + std::to_string(n->value) + " out of range for .space (0 or more)");
  if (!reserve(line, args[0][0].col, uint64_t(n->value))) return;
  uint8_t fill = 0;
  if (args.size() > 1) {
    if (const auto f = eval(line, args[1], Need::Value, "", end_col); f && f->known) {
      if (f->value < INT8_MIN || f->value > UINT8_MAX)
        error(line, args[1][0].col, range_error("fill", f->value, ".space", "-128..255"));
      else
        fill = uint8_t(f->value);
    }
  }
  emit_fill(line, uint64_t(n->value), fill);
}

void Assembly::dir_align(const Line& line, const Token&, const std::vector<Tokens>& args,
                         int end_col) {
  const auto n = eval(line, args[0], Need::Layout, ".align", end_col);
  if (!n) return;
  const int64_t a = n->value;
  if (a < 1 || a > (int64_t(1) << 31) || (a & (a - 1)) != 0)
    return error(line, args[0][0].col,
                 "alignment " + std::to_string(a) + " is not a power of two (1, 2, 4, ... bytes)");
  const uint64_t pad = (uint64_t(a) - address_ % uint64_t(a)) % uint64_t(a);
  if (pad > 0 && reserve(line, args[0][0].col, pad)) emit_fill(line, pad, 0);
}

void Assembly::dir_equ(const Line& line, const Token&, const std::vector<Tokens>& args,
                       int end_col) {
  if (args[0].size() != 1 || args[0][0].kind != TokenKind::Ident)
    return error(line, args[0][0].col,
                 "expected a symbol name, got '" + text_of(line, args[0]) + "'");
  define_constant(line, args[0][0], args[1], end_col);
}

void Assembly::dir_error(const Line& line, const Token& name, const std::vector<Tokens>& args,
                         int) {
  if (args[0].size() != 1 || args[0][0].kind != TokenKind::String)
    return error(line, args[0][0].col, ".error needs a message in double quotes");
  error(line, name.col, args[0][0].string);
}

}  // namespace trapeze::assembler
