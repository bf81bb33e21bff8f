// Undo and redo through the editor's Document: steps, coalescing of typing into
// words, pauses, and what ends a step.
#include <gtest/gtest.h>

#include "editor/document.h"

namespace trapeze::ui::editor {
namespace {

// Types `text` one character at a time, `dt` seconds apart, as the editor does.
void type(Document& d, std::string_view text, double& now, double dt = 0.1) {
  for (char c : text) {
    const EditKind kind = d.buffer().has_selection() ? EditKind::Other : EditKind::Typing;
    d.commit(d.buffer().insert(std::string(1, c)), kind, now);
    now += dt;
  }
}

TEST(UndoHistory, TypingIsUndoneAWordAtATime) {
  Document d;
  double now = 0;
  type(d, "mov r1, r2", now);
  EXPECT_EQ(d.text(), "mov r1, r2");
  // Steps: "mov ", "r1, ", "r2".
  EXPECT_EQ(d.history().undo_steps(), 3u);
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "mov r1, ");
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "mov ");
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "");
  EXPECT_FALSE(d.undo());
  // Redo replays them in order, with the cursor where the typing left it.
  ASSERT_TRUE(d.redo());
  ASSERT_TRUE(d.redo());
  EXPECT_EQ(d.text(), "mov r1, ");
  EXPECT_EQ(d.buffer().cursor(), (TextPos{0, 8}));
  ASSERT_TRUE(d.redo());
  EXPECT_FALSE(d.redo());
  EXPECT_EQ(d.text(), "mov r1, r2");
}

TEST(UndoHistory, APauseEndsTheStep) {
  Document d;
  double now = 0;
  type(d, "hal", now);
  now += UndoHistory::kPauseSeconds + 0.5;
  type(d, "t", now);
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "hal");
}

TEST(UndoHistory, MovingTheCursorEndsTheStep) {
  Document d;
  double now = 0;
  type(d, "ab", now);
  d.buffer().move_left(false);
  d.close_undo_step();
  type(d, "X", now);
  EXPECT_EQ(d.text(), "aXb");
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "ab");
  EXPECT_EQ(d.buffer().cursor(), (TextPos{0, 1}));
}

TEST(UndoHistory, BackspacesCoalesceAndEnterIsAStepOfItsOwn) {
  Document d;
  double now = 0;
  type(d, "halt", now);
  d.commit(d.buffer().newline(), EditKind::Other, now);
  for (int i = 0; i < 3; ++i) d.commit(d.buffer().backspace(), EditKind::Deleting, now += 0.1);
  EXPECT_EQ(d.text(), "ha");
  ASSERT_TRUE(d.undo());  // the three backspaces together
  EXPECT_EQ(d.text(), "halt\n");
  ASSERT_TRUE(d.undo());  // Enter
  EXPECT_EQ(d.text(), "halt");
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "");
}

TEST(UndoHistory, ReplacingASelectionAndPastingAreSingleSteps) {
  Document d;
  d.set_text("li r1, 1\nhalt");
  double now = 0;
  d.buffer().set_selection({0, 7}, {0, 8});
  type(d, "42", now);  // the first character replaces the selection
  EXPECT_EQ(d.text(), "li r1, 42\nhalt");
  d.buffer().move_to_end(false);
  d.commit(d.buffer().insert("\nnop\nnop"), EditKind::Other, now);
  EXPECT_EQ(d.buffer().line_count(), 4);
  ASSERT_TRUE(d.undo());
  EXPECT_EQ(d.text(), "li r1, 42\nhalt");
  ASSERT_TRUE(d.undo());  // "2"
  ASSERT_TRUE(d.undo());  // "4" replacing "1"
  EXPECT_EQ(d.text(), "li r1, 1\nhalt");
  EXPECT_EQ(d.buffer().selection(), (Selection{{0, 7}, {0, 8}}));
}

TEST(UndoHistory, ANewEditClearsRedo) {
  Document d;
  double now = 0;
  type(d, "a ", now);
  type(d, "b", now);
  d.undo();
  EXPECT_TRUE(d.can_redo());
  type(d, "c", now += 5);
  EXPECT_FALSE(d.can_redo());
  EXPECT_EQ(d.text(), "a c");
}

TEST(EditorDocument, RevisionCountsEveryChange) {
  Document d;
  const uint64_t r0 = d.revision();
  d.set_text("x");
  EXPECT_GT(d.revision(), r0);
  const uint64_t r1 = d.revision();
  EXPECT_FALSE(d.commit(std::nullopt, EditKind::Other, 0));
  d.buffer().move_end(false);  // moving is not a change
  EXPECT_EQ(d.revision(), r1);
  d.commit(d.buffer().insert("y"), EditKind::Typing, 0);
  d.undo();
  d.redo();
  EXPECT_EQ(d.revision(), r1 + 3);
}

TEST(EditorDocument, SetTextClearsTheHistory) {
  Document d;
  d.commit(d.buffer().insert("x"), EditKind::Typing, 0);
  d.set_text("fresh");
  EXPECT_FALSE(d.can_undo());
  EXPECT_FALSE(d.undo());
  EXPECT_EQ(d.text(), "fresh");
}

}  // namespace
}  // namespace trapeze::ui::editor
