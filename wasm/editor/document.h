// What the editor edits: the text with its cursor, the undo history, the
// breakpoints, and revision counters that tell views what changed. The editor
// widget is a view over a Document plus keyboard and mouse handling; everything
// here can be driven and checked without a window. No ImGui here.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "breakpoint_set.h"
#include "text_buffer.h"
#include "undo_history.h"

namespace trapeze::ui::editor {

class Document {
 public:
  // The text and the cursor. Moving the cursor directly is fine; a change to the
  // text made through it must be handed to commit() (the edit commands return it).
  TextBuffer& buffer() { return buffer_; }
  const TextBuffer& buffer() const { return buffer_; }

  // Records an edit the buffer has just made: undo history, breakpoints that
  // follow their lines, revision. Returns false (and does nothing) for nullopt.
  bool commit(std::optional<Edit> edit, EditKind kind, double now_seconds);
  // The next edit starts a new undo step (call when the user moves the cursor).
  void close_undo_step() { history_.close_step(); }

  // Loads a new text: clears the undo history, keeps breakpoints that still
  // fall on a line.
  void set_text(std::string_view text);
  std::string text() const { return buffer_.text(); }

  bool undo();
  bool redo();
  bool can_undo() const { return history_.can_undo(); }
  bool can_redo() const { return history_.can_redo(); }
  const UndoHistory& history() const { return history_; }

  // 1-based line numbers.
  const std::set<int>& breakpoints() const { return breakpoints_.lines(); }
  void toggle_breakpoint(int line);
  void set_breakpoints(std::set<int> lines);

  // Increase on every change of the text (edits, undo, redo, set_text) and of
  // the breakpoints (toggles, and lines moving with edits).
  uint64_t revision() const { return revision_; }
  uint64_t breakpoint_revision() const { return breakpoint_revision_; }

 private:
  TextBuffer buffer_;
  UndoHistory history_;
  BreakpointSet breakpoints_;
  uint64_t revision_ = 0;
  uint64_t breakpoint_revision_ = 0;
};

}  // namespace trapeze::ui::editor
