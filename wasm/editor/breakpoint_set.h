// The lines that carry a breakpoint, as the gutter shows them (1-based line
// numbers, the numbering the assembler's listing uses). Breakpoints follow their
// line when text is inserted or removed above it, so a breakpoint set before an
// edit still marks the same instruction after it. No ImGui here: pure logic.
#pragma once

#include <set>

#include "text_buffer.h"

namespace trapeze::ui::editor {

class BreakpointSet {
 public:
  const std::set<int>& lines() const { return lines_; }
  bool contains(int line) const { return lines_.count(line) != 0; }
  void toggle(int line);
  void set(std::set<int> lines) { lines_ = std::move(lines); }
  void clear() { lines_.clear(); }
  // Drops breakpoints past the last line.
  void clamp_to(int line_count);
  // Moves the breakpoints for an edit that was just applied (or just undone:
  // `reverted` swaps what it removed and inserted). Returns whether any moved.
  bool follow(const Edit& edit, bool reverted = false);

 private:
  std::set<int> lines_;
};

}  // namespace trapeze::ui::editor
