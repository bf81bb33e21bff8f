#include "undo_history.h"

#include <utility>

namespace trapeze::ui::editor {

bool UndoHistory::joins(const Step& step, const Edit& edit, EditKind kind, double now) const {
  if (!open_ || kind == EditKind::Other || step.kind != kind || step.edits.empty()) return false;
  if (now - step.last_time > kPauseSeconds) return false;
  const Edit& prev = step.edits.back();
  if (kind == EditKind::Typing) {
    // Typed right after the previous character, replacing nothing.
    if (!edit.removed.empty() || edit.at != end_of(prev.at, prev.inserted)) return false;
    if (edit.inserted.empty() || prev.inserted.empty()) return false;
    // A word starts: "mov r1" is two steps, "mov " and "r1".
    const bool starts_word =
        is_word_char(edit.inserted.front()) && !is_word_char(prev.inserted.back());
    return !starts_word;
  }
  // Deleting: Backspace ends where the previous one started; Delete stays put.
  if (!edit.inserted.empty()) return false;
  const bool backspace_run = end_of(edit.at, edit.removed) == prev.at;
  const bool delete_run = edit.at == prev.at;
  return backspace_run || delete_run;
}

void UndoHistory::record(Edit edit, EditKind kind, double now_seconds) {
  redo_.clear();
  if (!undo_.empty() && joins(undo_.back(), edit, kind, now_seconds)) {
    Step& step = undo_.back();
    step.edits.push_back(std::move(edit));
    step.last_time = now_seconds;
  } else {
    undo_.push_back(Step{{std::move(edit)}, kind, now_seconds});
    if (undo_.size() > max_steps_) undo_.erase(undo_.begin());
  }
  open_ = kind != EditKind::Other;
}

const std::vector<Edit>* UndoHistory::undo() {
  if (undo_.empty()) return nullptr;
  redo_.push_back(std::move(undo_.back()));
  undo_.pop_back();
  open_ = false;
  return &redo_.back().edits;
}

const std::vector<Edit>* UndoHistory::redo() {
  if (redo_.empty()) return nullptr;
  undo_.push_back(std::move(redo_.back()));
  redo_.pop_back();
  open_ = false;
  return &undo_.back().edits;
}

void UndoHistory::clear() {
  undo_.clear();
  redo_.clear();
  open_ = false;
}

}  // namespace trapeze::ui::editor
