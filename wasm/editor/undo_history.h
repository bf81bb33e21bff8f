// Undo and redo as a stack of steps, each a list of Edits. Typing is coalesced
// so that one undo takes back a word, not a letter: consecutive typed
// characters join the open step until the typing leaves a word (a word
// character typed after a non-word one starts a new step), jumps elsewhere, or
// pauses. Deletions coalesce the same way. No ImGui here: pure logic, unit-tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "text_buffer.h"

namespace trapeze::ui::editor {

enum class EditKind : uint8_t {
  Typing,    // one typed character
  Deleting,  // one Backspace or Delete without a selection
  Other,     // everything else (paste, cut, Enter, Tab, ...): always a step of its own
};

class UndoHistory {
 public:
  // A pause longer than this between two keystrokes ends the step.
  static constexpr double kPauseSeconds = 1.0;

  explicit UndoHistory(size_t max_steps = 2000) : max_steps_(max_steps) {}

  // Records an edit that has just been applied; clears the redo stack.
  // `now_seconds` is any monotonic clock (ImGui::GetTime() in the editor).
  void record(Edit edit, EditKind kind, double now_seconds);
  // The next edit starts a new step (the cursor was moved by the user, say).
  void close_step() { open_ = false; }

  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  // The edits of the step to revert, in the order they were made (revert them
  // back to front), or nullptr. The step moves to the redo stack.
  const std::vector<Edit>* undo();
  // The edits of the step to replay, in order, or nullptr.
  const std::vector<Edit>* redo();
  void clear();
  size_t undo_steps() const { return undo_.size(); }
  size_t redo_steps() const { return redo_.size(); }

 private:
  struct Step {
    std::vector<Edit> edits;
    EditKind kind = EditKind::Other;
    double last_time = 0;
  };
  bool joins(const Step& step, const Edit& edit, EditKind kind, double now) const;

  std::vector<Step> undo_;
  std::vector<Step> redo_;
  size_t max_steps_;
  bool open_ = false;  // may the top undo step still grow
};

}  // namespace trapeze::ui::editor
