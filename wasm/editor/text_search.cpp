#include "text_search.h"

#include <algorithm>

namespace trapeze::ui::editor {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

size_t find_in(std::string_view hay, std::string_view needle, size_t from, bool case_sensitive) {
  if (case_sensitive) return hay.find(needle, from);
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && fold(hay[i + k]) == fold(needle[k])) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

}  // namespace

void TextSearch::update(const TextBuffer& text, uint64_t revision, std::string_view needle,
                        bool case_sensitive) {
  if (revision == revision_ && needle == needle_ && case_sensitive == case_sensitive_) return;
  revision_ = revision;
  needle_ = std::string(needle);
  case_sensitive_ = case_sensitive;
  matches_.clear();
  truncated_ = false;
  if (needle.empty() || needle.find('\n') != std::string_view::npos) return;
  for (int l = 0; l < text.line_count(); ++l) {
    const std::string& line = text.line(l);
    for (size_t at = find_in(line, needle, 0, case_sensitive); at != std::string_view::npos;
         at = find_in(line, needle, at + needle.size(), case_sensitive)) {
      if (matches_.size() == kMaxMatches) {
        truncated_ = true;
        return;
      }
      matches_.push_back({{l, int(at)}, {l, int(at + needle.size())}});
    }
  }
}

int TextSearch::next_from(TextPos p) const {
  if (matches_.empty()) return -1;
  const auto it = std::lower_bound(matches_.begin(), matches_.end(), p,
                                   [](const Match& m, TextPos q) { return m.begin < q; });
  return it == matches_.end() ? 0 : int(it - matches_.begin());
}

int TextSearch::previous_from(TextPos p) const {
  if (matches_.empty()) return -1;
  const auto it = std::lower_bound(matches_.begin(), matches_.end(), p,
                                   [](const Match& m, TextPos q) { return m.begin < q; });
  return it == matches_.begin() ? int(matches_.size()) - 1 : int(it - matches_.begin()) - 1;
}

int TextSearch::index_of(const Selection& s) const {
  const int i = next_from(s.begin());
  if (i < 0) return -1;
  const Match& m = matches_[size_t(i)];
  return (m.begin == s.begin() && m.end == s.end()) ? i : -1;
}

std::pair<size_t, size_t> TextSearch::on_lines(int first, int last) const {
  const auto lo = std::lower_bound(matches_.begin(), matches_.end(), first,
                                   [](const Match& m, int line) { return m.begin.line < line; });
  const auto hi = std::upper_bound(lo, matches_.end(), last,
                                   [](int line, const Match& m) { return line < m.begin.line; });
  return {size_t(lo - matches_.begin()), size_t(hi - matches_.begin())};
}

}  // namespace trapeze::ui::editor
