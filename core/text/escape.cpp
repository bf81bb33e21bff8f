#include "text/escape.h"

#include <algorithm>
#include <cstdio>

namespace trapeze::text {

void escape_byte(unsigned char c, std::string& out) {
  if (c >= 0x20 && c < 0x7F && c != '\\') {
    out += char(c);
    return;
  }
  switch (c) {
    case '\\': out += "\\\\"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    default: {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
}

size_t printable_char_length(std::string_view s) {
  if (s.empty()) return 0;
  const auto b = [&](size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  const unsigned c = b(0);
  if (c < 0x80) return c >= 0x20 && c < 0x7F ? 1 : 0;
  const auto cont = [&](size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) { return b(i) >= lo && b(i) <= hi; };
  if (c == 0xC2) return cont(1, 0xA0) ? 2 : 0;  // U+0080..U+009F are C1 controls
  if (c >= 0xC3 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;  // no surrogates
  if (c >= 0xE1 && c <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

std::string escaped(std::string_view raw, bool keep_newlines) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (keep_newlines && c == '\n') {
      out += '\n';
      ++i;
      continue;
    }
    if (const size_t n = printable_char_length(raw.substr(i)); n > 0) {
      out.append(raw.substr(i, n));
      i += n;
      continue;
    }
    escape_byte(c, out);
    ++i;
  }
  return out;
}

size_t utf8_cut(std::string_view s, size_t n) {
  n = std::min(s.size(), n);
  for (size_t back = 0; n < s.size() && n > 0 && back < 3 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80; ++back)
    --n;
  return n;
}

std::string quoted(std::string_view s, size_t max_chars) {
  const size_t n = utf8_cut(s, max_chars);
  std::string out(1, '"');  // appended, not "\"" + ...: GCC 12 warns falsely (-Wrestrict)
  out += escaped(s.substr(0, n));
  out += n < s.size() ? "...\"" : "\"";
  return out;
}

}  // namespace trapeze::text
