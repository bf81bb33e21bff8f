#include "text/escape.h"

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

std::string escaped(std::string_view raw, bool keep_newlines) {
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    if (keep_newlines && c == '\n') out += '\n';
    else escape_byte(c, out);
  }
  return out;
}

}  // namespace trapeze::text
