// Find: every occurrence of a needle in the text, recomputed only when the
// needle, the options or the text changed, with "next/previous from here" for
// the find bar and a per-line range for highlighting only the visible lines.
// Matches never span lines. No ImGui here: pure logic, unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text_buffer.h"

namespace trapeze::ui::editor {

struct Match {
  TextPos begin;
  TextPos end;  // same line as begin
};

class TextSearch {
 public:
  // Bounds the work for a pathological needle in a huge file ("a" in 10,000 lines).
  static constexpr size_t kMaxMatches = 100000;

  // Finds all matches again if anything that affects them changed since the last call.
  void update(const TextBuffer& text, uint64_t revision, std::string_view needle,
              bool case_sensitive);
  const std::vector<Match>& matches() const { return matches_; }
  bool truncated() const { return truncated_; }

  // The first match starting at or after `p`, wrapping around; -1 when there are none.
  int next_from(TextPos p) const;
  // The last match starting before `p`, wrapping around; -1 when there are none.
  int previous_from(TextPos p) const;
  // The match the selection covers exactly, or -1.
  int index_of(const Selection& s) const;
  // The matches on lines [first, last]: indices [result.first, result.second).
  std::pair<size_t, size_t> on_lines(int first, int last) const;

 private:
  std::vector<Match> matches_;
  std::string needle_;
  bool case_sensitive_ = false;
  uint64_t revision_ = ~uint64_t{0};
  bool truncated_ = false;
};

}  // namespace trapeze::ui::editor
