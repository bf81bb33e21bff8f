#include "asm/lexer.h"

#include <cstdio>

namespace trapeze::assembler {
namespace {

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Unsigned digits in `base`, or nullopt if a digit is invalid, there are none, or
// the value does not fit in 64 bits (`overflow` then tells which).
std::optional<uint64_t> parse_digits(std::string_view digits, int base, bool& overflow) {
  overflow = false;
  if (digits.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    const int d = hex_value(c);
    if (d < 0 || d >= base) return std::nullopt;
    if (v > (UINT64_MAX - uint64_t(d)) / uint64_t(base)) {
      overflow = true;
      return std::nullopt;
    }
    v = v * uint64_t(base) + uint64_t(d);
  }
  return v;
}

// A literal as written (no sign): 123, 0x7f, 0b101. Values above INT64_MAX keep
// their bit pattern, so 0xffffffffffffffff is -1.
std::optional<int64_t> parse_literal(std::string_view s, bool& overflow) {
  int base = 10;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) base = 2;
  const auto v = parse_digits(base == 10 ? s : s.substr(2), base, overflow);
  if (!v) return std::nullopt;
  return static_cast<int64_t>(*v);
}

std::string describe_char(char c) {
  char buf[32];
  if (c >= 0x20 && c < 0x7F)
    std::snprintf(buf, sizeof buf, "'%c'", c);
  else
    std::snprintf(buf, sizeof buf, "0x%02x", unsigned(static_cast<unsigned char>(c)));
  return buf;
}

class LineLexer {
 public:
  LineLexer(std::string_view line, bool allow_params) : s_(line), allow_params_(allow_params) {}

  LexResult run() {
    LexResult r;
    while (true) {
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
      if (i_ >= s_.size() || s_[i_] == ';' || s_.substr(i_, 2) == "//") break;
      Token t;
      t.col = int(i_) + 1;
      if (auto err = next(t)) {
        r.error = std::move(err);
        r.tokens.clear();
        return r;
      }
      r.tokens.push_back(std::move(t));
    }
    Token end;
    end.col = int(s_.size()) + 1;
    r.tokens.push_back(end);
    return r;
  }

 private:
  std::optional<LexError> error(size_t at, std::string message) {
    return LexError{int(at) + 1, std::move(message)};
  }

  std::optional<LexError> next(Token& t) {
    const size_t start = i_;
    const char c = s_[i_];
    if (is_ident_start(c)) {
      while (i_ < s_.size() && is_ident_char(s_[i_])) ++i_;
      t.kind = TokenKind::Ident;
    } else if (is_digit(c)) {
      while (i_ < s_.size() && is_ident_char(s_[i_]) && s_[i_] != '.') ++i_;
      t.kind = TokenKind::Number;
      bool overflow = false;
      const auto v = parse_literal(s_.substr(start, i_ - start), overflow);
      if (!v) {
        const std::string lit(s_.substr(start, i_ - start));
        return error(start, overflow ? "number '" + lit + "' does not fit in 64 bits"
                                     : "bad number literal '" + lit + "'");
      }
      t.number = *v;
    } else if (c == '"') {
      t.kind = TokenKind::String;
      ++i_;
      while (true) {
        if (i_ >= s_.size()) return error(start, "unterminated string");
        if (s_[i_] == '"') break;
        if (auto err = read_char(t.string)) return err;
      }
      ++i_;
    } else if (c == '\'') {
      t.kind = TokenKind::Number;
      ++i_;
      std::string bytes;
      while (i_ < s_.size() && s_[i_] != '\'')
        if (auto err = read_char(bytes)) return err;
      if (i_ >= s_.size()) return error(start, "unterminated character literal");
      ++i_;
      if (bytes.size() != 1)
        return error(start, "character literal " + std::string(s_.substr(start, i_ - start)) +
                                " must hold exactly one character");
      t.number = static_cast<unsigned char>(bytes[0]);
    } else if (c == '$' && allow_params_ && i_ + 1 < s_.size() && is_digit(s_[i_ + 1])) {
      t.kind = TokenKind::Param;
      t.number = s_[i_ + 1] - '0';
      i_ += 2;
    } else if (size_t n = punct_length(); n > 0) {
      t.kind = TokenKind::Punct;
      i_ += n;
    } else {
      return error(start, "unexpected character " + describe_char(c));
    }
    t.text = s_.substr(start, i_ - start);
    return std::nullopt;
  }

  size_t punct_length() const {
    static constexpr std::string_view kTwo[] = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||"};
    for (std::string_view p : kTwo)
      if (s_.substr(i_, 2) == p) return 2;
    static constexpr std::string_view kOne = "(),:=+-*/%~!&|^<>";
    return kOne.find(s_[i_]) != std::string_view::npos ? 1 : 0;
  }

  // One character of a string or character literal, with escapes.
  std::optional<LexError> read_char(std::string& out) {
    if (s_[i_] != '\\') {
      out.push_back(s_[i_++]);
      return std::nullopt;
    }
    const size_t at = i_;
    if (++i_ >= s_.size()) return error(at, "unterminated escape sequence");
    const char e = s_[i_++];
    switch (e) {
      case 'n': out.push_back('\n'); return std::nullopt;
      case 't': out.push_back('\t'); return std::nullopt;
      case 'r': out.push_back('\r'); return std::nullopt;
      case '0': out.push_back('\0'); return std::nullopt;
      case '\\':
      case '"':
      case '\'': out.push_back(e); return std::nullopt;
      case 'x': {
        int v = 0, digits = 0;
        while (digits < 2 && i_ < s_.size() && hex_value(s_[i_]) >= 0) {
          v = v * 16 + hex_value(s_[i_++]);
          ++digits;
        }
        if (digits == 0) return error(at, "escape sequence \\x needs hex digits");
        out.push_back(static_cast<char>(v));
        return std::nullopt;
      }
      default: return error(at, "unknown escape sequence '\\" + std::string(1, e) + "'");
    }
  }

  std::string_view s_;
  bool allow_params_;
  size_t i_ = 0;
};

}  // namespace

LexResult lex_line(std::string_view line, bool allow_params) {
  return LineLexer(line, allow_params).run();
}

std::optional<int64_t> parse_integer(std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  bool overflow = false;
  const auto v = parse_literal(text, overflow);
  if (!v) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - static_cast<uint64_t>(*v)) : *v;
}

std::string_view first_word(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  size_t j = i;
  while (j < line.size() && is_ident_char(line[j])) ++j;
  return line.substr(i, j - i);
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

}  // namespace trapeze::assembler
