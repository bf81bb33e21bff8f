#include "document.h"

#include <utility>

namespace trapeze::ui::editor {

bool Document::commit(std::optional<Edit> edit, EditKind kind, double now_seconds) {
  if (!edit) return false;
  if (breakpoints_.follow(*edit)) ++breakpoint_revision_;
  history_.record(std::move(*edit), kind, now_seconds);
  ++revision_;
  return true;
}

void Document::set_text(std::string_view text) {
  buffer_.set_text(text);
  history_.clear();
  const size_t before = breakpoints_.lines().size();
  breakpoints_.clamp_to(buffer_.line_count());
  if (breakpoints_.lines().size() != before) ++breakpoint_revision_;
  ++revision_;
}

bool Document::undo() {
  const std::vector<Edit>* step = history_.undo();
  if (!step) return false;
  for (auto it = step->rbegin(); it != step->rend(); ++it) {
    buffer_.undo(*it);
    if (breakpoints_.follow(*it, /*reverted=*/true)) ++breakpoint_revision_;
  }
  ++revision_;
  return true;
}

bool Document::redo() {
  const std::vector<Edit>* step = history_.redo();
  if (!step) return false;
  for (const Edit& e : *step) {
    buffer_.redo(e);
    if (breakpoints_.follow(e)) ++breakpoint_revision_;
  }
  ++revision_;
  return true;
}

void Document::toggle_breakpoint(int line) {
  breakpoints_.toggle(line);
  ++breakpoint_revision_;
}

void Document::set_breakpoints(std::set<int> lines) {
  if (lines == breakpoints_.lines()) return;
  breakpoints_.set(std::move(lines));
  ++breakpoint_revision_;
}

}  // namespace trapeze::ui::editor
