#include "breakpoint_set.h"

#include <algorithm>
#include <string_view>

namespace trapeze::ui::editor {

void BreakpointSet::toggle(int line) {
  if (!lines_.erase(line)) lines_.insert(line);
}

void BreakpointSet::clamp_to(int line_count) {
  lines_.erase(lines_.upper_bound(line_count), lines_.end());
}

bool BreakpointSet::follow(const Edit& edit, bool reverted) {
  const std::string_view removed = reverted ? edit.inserted : edit.removed;
  const std::string_view inserted = reverted ? edit.removed : edit.inserted;
  const int removed_nl = int(std::count(removed.begin(), removed.end(), '\n'));
  const int inserted_nl = int(std::count(inserted.begin(), inserted.end(), '\n'));
  // As many line breaks out as in (typing, indenting a block, replacing a line):
  // the lines keep their numbers, and so do their breakpoints.
  if (removed_nl == inserted_nl) return false;

  const int first = edit.at.line;  // 0-based, like Edit
  std::set<int> moved;
  for (const int bp : lines_) {
    const int l = bp - 1;
    int to = l;
    if (l == first && edit.at.col == 0) {
      // The change starts at the line's first column: either the whole line went
      // (the removal runs past its end) or its content was pushed down.
      if (removed_nl > 0) continue;
      to = l + inserted_nl;
    } else if (l > first && l < first + removed_nl) {
      continue;  // a line removed entirely
    } else if (l > first && l == first + removed_nl) {
      to = first + inserted_nl;  // the rest of this line now follows the inserted text
    } else if (l > first) {
      to = l + inserted_nl - removed_nl;
    }
    moved.insert(to + 1);
  }
  const bool changed = moved != lines_;
  lines_ = std::move(moved);
  return changed;
}

}  // namespace trapeze::ui::editor
