// Lines as the assembler and the lab parser count them: LF, CRLF and a lone CR
// each end one (for the fuzz targets' "an error's line is inside the input").
#pragma once

#include <cstddef>
#include <string_view>

inline int line_count(std::string_view s) {
  int n = 1;
  for (size_t i = 0; i < s.size(); ++i)
    n += s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'));
  return n;
}
