// A small rich-text model for a lab's prose: what the app draws without knowing
// Markdown. The core turns Markdown into it with md4c (markdown_to_rich_text);
// the frontend only walks blocks and spans.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trapeze::lab {

// A run of text with one style. Nested styles are flattened: "**a `b`**" is two
// spans, "a" strong and "b" strong + code.
struct Span {
  std::string text;
  bool emphasis = false;
  bool strong = false;
  bool code = false;
  std::string link;  // the URL when the span is (part of) a link, else ""
  bool operator==(const Span&) const = default;
};

struct Block {
  enum class Kind {
    Heading,    // `level` 1-6
    Paragraph,  // also a block quote's paragraphs (`depth` = quote nesting)
    ListItem,   // `depth` 1 for a top-level item; `number` > 0 in an ordered list
    Code,       // `code` (verbatim, ending in '\n'), `language` from the fence
    Rule,       // a thematic break (---)
  };
  Kind kind = Kind::Paragraph;
  int level = 0;
  int depth = 0;
  int number = 0;
  std::vector<Span> spans;  // Heading, Paragraph, ListItem
  std::string code;         // Code
  std::string language;     // Code
  bool operator==(const Block&) const = default;
};

using RichText = std::vector<Block>;

// CommonMark (with md4c's strikethrough-free defaults) to blocks. Never fails:
// text md4c cannot structure becomes paragraphs. Raw HTML is kept as text.
RichText markdown_to_rich_text(std::string_view markdown);

// The text of a span list without styles ("Count the traps").
std::string plain_text(const std::vector<Span>& spans);

// True for the links a lab may open: http:// and https:// URLs, and relative
// paths on this site (no scheme). Never javascript:, data:, "//host" or the like.
bool is_openable_link(std::string_view url);

}  // namespace trapeze::lab
