// Breakpoints in the editor's gutter follow their line through edits, undo and redo.
#include <gtest/gtest.h>

#include "editor/document.h"

namespace trapeze::ui::editor {
namespace {

TEST(EditorBreakpoints, ToggleAndClamp) {
  Document d;
  d.set_text("a\nb\nc");
  d.toggle_breakpoint(2);
  d.toggle_breakpoint(3);
  EXPECT_EQ(d.breakpoints(), (std::set<int>{2, 3}));
  d.toggle_breakpoint(2);
  EXPECT_EQ(d.breakpoints(), (std::set<int>{3}));
  d.set_text("only one line");
  EXPECT_TRUE(d.breakpoints().empty());
}

TEST(EditorBreakpoints, FollowTheirLineWhenLinesAreInsertedOrRemovedAbove) {
  Document d;
  d.set_text("one\ntwo\nthree\nfour");
  d.toggle_breakpoint(3);  // "three"
  d.toggle_breakpoint(1);  // "one"
  const uint64_t before = d.breakpoint_revision();
  d.buffer().set_cursor({1, 3});  // end of "two"
  d.commit(d.buffer().insert("\nnew\nlines"), EditKind::Other, 0);
  EXPECT_EQ(d.buffer().line(4), "three");
  EXPECT_EQ(d.breakpoints(), (std::set<int>{1, 5}));
  EXPECT_GT(d.breakpoint_revision(), before);
  d.undo();
  EXPECT_EQ(d.breakpoints(), (std::set<int>{1, 3}));
  d.redo();
  EXPECT_EQ(d.breakpoints(), (std::set<int>{1, 5}));
}

TEST(EditorBreakpoints, EnterAtTheStartOfALinePushesItsBreakpointDown) {
  Document d;
  d.set_text("nop\nhalt");
  d.toggle_breakpoint(2);
  d.buffer().set_cursor({1, 0});
  d.commit(d.buffer().newline(), EditKind::Other, 0);
  EXPECT_EQ(d.breakpoints(), (std::set<int>{3}));
  EXPECT_EQ(d.buffer().line(2), "halt");
}

TEST(EditorBreakpoints, ABreakpointOnADeletedLineGoesAway) {
  Document d;
  d.set_text("a\nb\nc");
  d.toggle_breakpoint(2);
  d.toggle_breakpoint(3);
  d.buffer().select_line(1);  // "b\n"
  d.commit(d.buffer().erase_selection(), EditKind::Other, 0);
  EXPECT_EQ(d.text(), "a\nc");
  EXPECT_EQ(d.breakpoints(), (std::set<int>{2}));  // "c"'s breakpoint, moved up
}

TEST(EditorBreakpoints, IndentingABlockKeepsItsBreakpoints) {
  Document d;
  d.set_text("a\nb\nc\nd");
  d.toggle_breakpoint(2);
  d.toggle_breakpoint(3);
  d.buffer().set_selection({1, 0}, {2, 1});
  d.commit(d.buffer().indent(), EditKind::Other, 0);
  EXPECT_EQ(d.text(), "a\n    b\n    c\nd");
  EXPECT_EQ(d.breakpoints(), (std::set<int>{2, 3}));
}

}  // namespace
}  // namespace trapeze::ui::editor
