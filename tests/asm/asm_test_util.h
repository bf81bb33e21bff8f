// Helpers shared by the assembler tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "asm/assembler.h"

namespace trapeze::assembler::testing {

// Every diagnostic as the user sees it: "file:line:col: error: message".
inline std::vector<std::string> messages(const Result& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.errors) out.push_back(d.format());
  return out;
}

// The errors of assembling `source` (empty if it assembled).
inline std::vector<std::string> errors_of(std::string_view source, const Options& options = {}) {
  return messages(assemble(source, options));
}

// The little-endian words of a segment.
inline std::vector<uint32_t> words(const Segment& s) {
  std::vector<uint32_t> w;
  for (size_t i = 0; i + 4 <= s.bytes.size(); i += 4)
    w.push_back(uint32_t(s.bytes[i]) | uint32_t(s.bytes[i + 1]) << 8 |
                uint32_t(s.bytes[i + 2]) << 16 | uint32_t(s.bytes[i + 3]) << 24);
  return w;
}

// The words of a program that must assemble into one segment.
inline std::vector<uint32_t> words_of(std::string_view source, const Options& options = {}) {
  const Result r = assemble(source, options);
  if (!r.ok() || r.program.segments.size() != 1) return {};
  return words(r.program.segments[0]);
}

}  // namespace trapeze::assembler::testing
