// The editor's text buffer: edits, multi-line paste, selection replace,
// movement, indentation, and replaying edits for undo/redo.
#include "editor/text_buffer.h"

#include <gtest/gtest.h>

namespace trapeze::ui::editor {
namespace {

TextBuffer make(std::string_view text) {
  TextBuffer b;
  b.set_text(text);
  return b;
}

TEST(TextBuffer, SplitsAndJoinsLines) {
  TextBuffer b = make("a\r\nbc\rd\n");
  ASSERT_EQ(b.line_count(), 4);
  EXPECT_EQ(b.line(0), "a");
  EXPECT_EQ(b.line(1), "bc");
  EXPECT_EQ(b.line(2), "d");
  EXPECT_EQ(b.line(3), "");
  EXPECT_EQ(b.text(), "a\nbc\nd\n");
  EXPECT_EQ(make("").line_count(), 1);
}

TEST(TextBuffer, TypingInsertsAtTheCursorAndMovesIt) {
  TextBuffer b = make("add r1, r2");
  b.set_cursor({0, 3});
  const auto e = b.insert("i");
  ASSERT_TRUE(e);
  EXPECT_EQ(b.text(), "addi r1, r2");
  EXPECT_EQ(b.cursor(), (TextPos{0, 4}));
  EXPECT_EQ(e->at, (TextPos{0, 3}));
  EXPECT_EQ(e->removed, "");
  EXPECT_EQ(e->inserted, "i");
}

TEST(TextBuffer, MultiLinePasteSplitsTheLineAndLeavesTheCursorAfterIt) {
  TextBuffer b = make("start: halt");
  b.set_cursor({0, 7});
  b.insert("li r1, 1\r\n    out 1, r1\n    ");
  EXPECT_EQ(b.text(), "start: li r1, 1\n    out 1, r1\n    halt");
  EXPECT_EQ(b.line_count(), 3);
  EXPECT_EQ(b.cursor(), (TextPos{2, 4}));
}

TEST(TextBuffer, TypingReplacesTheSelectionAcrossLines) {
  TextBuffer b = make("one\ntwo\nthree");
  b.set_selection({0, 1}, {2, 2});
  EXPECT_EQ(b.selected_text(), "ne\ntwo\nth");
  const auto e = b.insert("X");
  ASSERT_TRUE(e);
  EXPECT_EQ(b.text(), "oXree");
  EXPECT_EQ(e->removed, "ne\ntwo\nth");
  EXPECT_FALSE(b.has_selection());
}

TEST(TextBuffer, EnterKeepsTheIndentation) {
  TextBuffer b = make("    add r1, r2, r3");
  b.move_end(false);
  b.newline();
  EXPECT_EQ(b.text(), "    add r1, r2, r3\n    ");
  EXPECT_EQ(b.cursor(), (TextPos{1, 4}));
  // Inside the indentation, only what is left of the cursor is repeated.
  TextBuffer c = make("    nop");
  c.set_cursor({0, 2});
  c.newline();
  EXPECT_EQ(c.text(), "  \n    nop");
  EXPECT_EQ(c.cursor(), (TextPos{1, 2}));
}

TEST(TextBuffer, BackspaceAndDeleteJoinLines) {
  TextBuffer b = make("ab\ncd");
  b.set_cursor({1, 0});
  b.backspace();
  EXPECT_EQ(b.text(), "abcd");
  EXPECT_EQ(b.cursor(), (TextPos{0, 2}));
  b.set_cursor({0, 4});
  EXPECT_FALSE(b.delete_forward());  // nothing after the end
  b.set_cursor({0, 0});
  EXPECT_FALSE(b.backspace());  // nothing before the start
  b.delete_forward();
  EXPECT_EQ(b.text(), "bcd");
}

TEST(TextBuffer, BackspaceInSpaceIndentationGoesBackToTheTabStop) {
  TextBuffer b = make("      x");
  b.set_cursor({0, 6});
  b.backspace();
  EXPECT_EQ(b.text(), "    x");
  b.backspace();
  EXPECT_EQ(b.text(), "x");
}

TEST(TextBuffer, WordMovesAndWordDeletion) {
  TextBuffer b = make("loop: ldw r1, 4(sp)");
  b.move_right(false, true);
  EXPECT_EQ(b.cursor().col, 4);  // after "loop"
  b.move_right(false, true);
  EXPECT_EQ(b.cursor().col, 5);  // after ":"
  b.move_right(false, true);
  EXPECT_EQ(b.cursor().col, 9);  // after " ldw"
  b.move_end(false);
  b.backspace(true);
  EXPECT_EQ(b.text(), "loop: ldw r1, 4(sp");
  b.move_left(false, true);
  EXPECT_EQ(b.cursor().col, 16);  // before "sp"
}

TEST(TextBuffer, ShiftSelectionAndCollapse) {
  TextBuffer b = make("abc\ndef");
  b.set_cursor({0, 1});
  b.move_right(true);
  b.move_vertical(1, true);
  EXPECT_EQ(b.selected_text(), "bc\nde");
  b.move_left(false);  // collapses to the start
  EXPECT_EQ(b.cursor(), (TextPos{0, 1}));
  EXPECT_FALSE(b.has_selection());
}

TEST(TextBuffer, VerticalMovesKeepTheColumnTheyAimFor) {
  TextBuffer b = make("long line here\nab\nanother long one");
  b.set_cursor({0, 10});
  b.move_vertical(1, false);
  EXPECT_EQ(b.cursor(), (TextPos{1, 2}));
  b.move_vertical(1, false);
  EXPECT_EQ(b.cursor(), (TextPos{2, 10}));
  b.move_vertical(5, false);  // past the end: to the end of the text
  EXPECT_EQ(b.cursor(), b.end_pos());
  b.move_vertical(-99, false);
  EXPECT_EQ(b.cursor(), (TextPos{0, 0}));
}

TEST(TextBuffer, HomeGoesToTheFirstNonBlankThenToColumnZero) {
  TextBuffer b = make("    halt");
  b.move_end(false);
  b.move_home(false);
  EXPECT_EQ(b.cursor().col, 4);
  b.move_home(false);
  EXPECT_EQ(b.cursor().col, 0);
  b.move_home(false);
  EXPECT_EQ(b.cursor().col, 4);
}

TEST(TextBuffer, SelectWordAndLine) {
  TextBuffer b = make("    .word 0x10, label\nnext");
  b.select_word_at({0, 6});
  EXPECT_EQ(b.selected_text(), ".word");
  b.select_word_at({0, 12});
  EXPECT_EQ(b.selected_text(), "0x10");
  b.select_line(0);
  EXPECT_EQ(b.selected_text(), "    .word 0x10, label\n");
  b.select_all();
  EXPECT_EQ(b.selected_text(), b.text());
}

TEST(TextBuffer, TabInsertsSpacesToTheNextStopAndIndentsSelectedLines) {
  TextBuffer b = make("ab\ncd\nef");
  b.set_cursor({0, 1});
  b.indent();
  EXPECT_EQ(b.line(0), "a   b");
  b.set_selection({0, 2}, {2, 0});  // ends at column 0: line 2 is not included
  b.indent();
  EXPECT_EQ(b.text(), "    a   b\n    cd\nef");
  EXPECT_EQ(b.selection().anchor, (TextPos{0, 6}));
  EXPECT_EQ(b.selection().cursor, (TextPos{2, 0}));
  b.outdent();
  EXPECT_EQ(b.text(), "a   b\ncd\nef");
  b.set_cursor({0, 0});
  EXPECT_FALSE(b.outdent());  // no indentation left: nothing to do
}

TEST(TextBuffer, UndoAndRedoReplayAnEditExactly) {
  TextBuffer b = make("one\ntwo\nthree");
  b.set_selection({0, 2}, {1, 1});
  const auto e = b.insert("X\nY\nZ");
  ASSERT_TRUE(e);
  const std::string after = b.text();
  b.undo(*e);
  EXPECT_EQ(b.text(), "one\ntwo\nthree");
  EXPECT_EQ(b.selection(), (Selection{{0, 2}, {1, 1}}));
  b.redo(*e);
  EXPECT_EQ(b.text(), after);
  EXPECT_EQ(b.cursor(), (TextPos{2, 1}));
}

TEST(TextBuffer, TabsAndUtf8InVisualColumns) {
  TextBuffer b = make("\tab\xC3\xA9x");  // tab, "ab", e-acute (2 bytes), "x"
  EXPECT_EQ(b.visual_col(0, 1), 4);
  EXPECT_EQ(b.visual_col(0, 5), 7);  // after the two-byte character
  EXPECT_EQ(b.col_at_visual(0, 7), 5);
  EXPECT_EQ(b.col_at_visual(0, 1), 0);  // nearer the tab's start
  EXPECT_EQ(b.col_at_visual(0, 3), 1);  // nearer its end
  b.set_cursor({0, 3});
  b.move_right(false);
  EXPECT_EQ(b.cursor().col, 5);  // one code point, two bytes
  b.move_left(false);
  EXPECT_EQ(b.cursor().col, 3);
  EXPECT_EQ(b.clamp({0, 4}).col, 3);  // never inside a code point
}

TEST(TextBuffer, ALargeFileStaysCorrect) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "    addi r1, r1, " + std::to_string(i) + "\n";
  TextBuffer b = make(text);
  EXPECT_EQ(b.line_count(), 10001);
  b.set_cursor({5000, 0});
  b.insert("x:\n");
  EXPECT_EQ(b.line(5000), "x:");
  EXPECT_EQ(b.line(5001), "    addi r1, r1, 5000");
  EXPECT_EQ(b.line_count(), 10002);
}

}  // namespace
}  // namespace trapeze::ui::editor
