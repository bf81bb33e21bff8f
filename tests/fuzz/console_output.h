// A guest's console through the writers that show it (text/escape.h), for the
// differential and VMM fuzzers: the JSON writer every output uses must take any
// bytes (one that is not UTF-8 once aborted `trapeze run --json`) and give JSON
// that parses back; the text a terminal gets must hold no control byte but '\n'.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "text/escape.h"

namespace trapeze::fuzz {

inline void check_console_output(const std::string& console) {
  nlohmann::ordered_json j;
  j["console"] = console;
  const std::string written = text::json_text(j, 2);
  const auto back = nlohmann::json::parse(written, nullptr, /*allow_exceptions=*/false);
  const std::string shown = text::escaped(console, /*keep_newlines=*/true);
  bool clean = true;
  for (size_t i = 0; i < shown.size() && clean;) {
    const size_t n = shown[i] == '\n' ? 1 : text::printable_char_length(std::string_view(shown).substr(i));
    clean = n > 0;
    i += n;
  }
  if (back.is_discarded() || !back["console"].is_string() || !clean) {
    std::fprintf(stderr, "console output not shown safely (%s): %zu bytes:", back.is_discarded() ? "JSON" : "text",
                 console.size());
    for (unsigned char c : console) std::fprintf(stderr, " %02x", c);
    std::fprintf(stderr, "\n");
    std::abort();
  }
}

}  // namespace trapeze::fuzz
