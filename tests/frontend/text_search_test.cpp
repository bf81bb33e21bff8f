// Find in the editor: all matches, case, next/previous with wrap-around, and
// the per-line ranges the editor draws.
#include "editor/text_search.h"

#include <gtest/gtest.h>

namespace trapeze::ui::editor {
namespace {

TextBuffer make(std::string_view text) {
  TextBuffer b;
  b.set_text(text);
  return b;
}

TEST(TextSearch, FindsEveryMatchAndHonoursCase) {
  const TextBuffer b = make("add r1, r1, r2\nADD r3, r1, r1\nhalt");
  TextSearch s;
  s.update(b, 1, "r1", true);
  ASSERT_EQ(s.matches().size(), 4u);
  EXPECT_EQ(s.matches()[0].begin, (TextPos{0, 4}));
  EXPECT_EQ(s.matches()[3].end, (TextPos{1, 14}));
  s.update(b, 1, "add", true);
  EXPECT_EQ(s.matches().size(), 1u);
  s.update(b, 1, "add", false);
  EXPECT_EQ(s.matches().size(), 2u);
  s.update(b, 1, "", false);
  EXPECT_TRUE(s.matches().empty());
}

TEST(TextSearch, NextAndPreviousWrapAround) {
  const TextBuffer b = make("nop\nnop x\nhalt\nnop");
  TextSearch s;
  s.update(b, 1, "nop", true);
  ASSERT_EQ(s.matches().size(), 3u);
  EXPECT_EQ(s.next_from({0, 0}), 0);
  EXPECT_EQ(s.next_from({0, 1}), 1);
  EXPECT_EQ(s.next_from({2, 0}), 2);
  EXPECT_EQ(s.next_from({3, 1}), 0);  // wraps to the top
  EXPECT_EQ(s.previous_from({1, 0}), 0);
  EXPECT_EQ(s.previous_from({0, 0}), 2);  // wraps to the bottom
  EXPECT_EQ(s.index_of(Selection{{1, 0}, {1, 3}}), 1);
  EXPECT_EQ(s.index_of(Selection{{1, 3}, {1, 0}}), 1);  // either direction
  EXPECT_EQ(s.index_of(Selection{{1, 0}, {1, 2}}), -1);
}

TEST(TextSearch, MatchesOnAGivenRangeOfLines) {
  const TextBuffer b = make("a\nxa a\nb\na");
  TextSearch s;
  s.update(b, 1, "a", true);
  ASSERT_EQ(s.matches().size(), 4u);
  EXPECT_EQ(s.on_lines(1, 2), (std::pair<size_t, size_t>{1, 3}));
  EXPECT_EQ(s.on_lines(2, 2), (std::pair<size_t, size_t>{3, 3}));
  EXPECT_EQ(s.on_lines(0, 9), (std::pair<size_t, size_t>{0, 4}));
}

TEST(TextSearch, RecomputesOnlyWhenTheTextChanged) {
  TextBuffer b = make("nop");
  TextSearch s;
  s.update(b, 1, "nop", true);
  EXPECT_EQ(s.matches().size(), 1u);
  b.set_cursor(b.end_pos());
  b.insert("\nnop");
  s.update(b, 1, "nop", true);  // same revision: the cached result
  EXPECT_EQ(s.matches().size(), 1u);
  s.update(b, 2, "nop", true);
  EXPECT_EQ(s.matches().size(), 2u);
}

TEST(TextSearch, MatchesDoNotOverlap) {
  const TextBuffer b = make("aaaa");
  TextSearch s;
  s.update(b, 1, "aa", true);
  EXPECT_EQ(s.matches().size(), 2u);
}

}  // namespace
}  // namespace trapeze::ui::editor
