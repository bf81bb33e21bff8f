// md4c's walk over a Markdown text as a list of blocks, each with the line it
// starts on and (for a fenced code block) its whole info string: what
// rich_text.cpp gives the app and what the lab parser splits into steps. Only
// core/lab includes this (and md4c).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lab/rich_text.h"

namespace trapeze::lab {

struct SourcedBlock {
  Block block;
  int line = 0;        // 1-based, in `markdown` (plus first_line - 1)
  std::string info;    // a fenced code block's info string ("starter kernel file=a.s")
  bool top_level = false;  // not inside a list or a quote
};

// `first_line`: the line `markdown` starts on in its file (after a front matter).
std::vector<SourcedBlock> markdown_blocks(std::string_view markdown, int first_line = 1);

}  // namespace trapeze::lab
