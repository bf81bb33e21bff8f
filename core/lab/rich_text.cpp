// Markdown -> RichText through md4c's callbacks. md4c reports no line numbers;
// the text it hands back points into the input for code and ordinary text, so a
// block's line is counted from the first such pointer.
#include <algorithm>
#include <cctype>
#include <cstdint>

#include "lab/markdown.h"
#include "lab/rich_text.h"

extern "C" {
#include <entity.h>
#include <md4c.h>
}

namespace trapeze::lab {

namespace {

// Appends code point `cp` to `out` as UTF-8 (nothing for an invalid one).
void append_utf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// "&amp;", "&#65;", "&#x41;" -> their text; an unknown one stays as written.
std::string decode_entity(std::string_view e) {
  std::string out;
  if (e.size() > 3 && e[1] == '#') {
    const bool hex = e[2] == 'x' || e[2] == 'X';
    uint32_t cp = 0;
    for (size_t i = hex ? 3 : 2; i + 1 < e.size(); ++i) {
      const char c = e[i];
      const int d = c >= '0' && c <= '9' ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return std::string(e);
      cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + uint32_t(d), 0x110000);
    }
    append_utf8(out, cp);
    return out;
  }
  if (const entity* ent = entity_lookup(e.data(), e.size())) {
    append_utf8(out, ent->codepoints[0]);
    if (ent->codepoints[1]) append_utf8(out, ent->codepoints[1]);
    return out;
  }
  return std::string(e);
}

struct Walker {
  std::string_view doc;
  int first_line = 1;
  std::vector<SourcedBlock> out;
  // Nesting of the blocks md4c is inside.
  std::vector<MD_BLOCKTYPE> blocks;
  std::vector<int> ol_next;  // per open list: the next item's number (0: bullets)
  int quote_depth = 0;
  // Inline style state.
  int em = 0, strong = 0, code = 0;
  std::vector<std::string> links;
  bool open = false;  // out.back() is being filled
  int last_line = 1;
  const char* counted_to = nullptr;  // line breaks before here: counted_breaks
  int counted_breaks = 0;

  // md4c's pointers move forward through the text: count from the last one (a
  // count from the start each time made a long lab quadratic).
  int line_of(const char* p) {
    if (p >= doc.data() && p <= doc.data() + doc.size()) {
      if (!counted_to || p < counted_to) counted_to = doc.data(), counted_breaks = 0;
      counted_breaks += int(std::count(counted_to, p, '\n'));
      counted_to = p;
      last_line = first_line + counted_breaks;
    }
    return last_line;
  }
  int list_depth() const { return int(ol_next.size()); }
  bool top_level() const { return ol_next.empty() && quote_depth == 0; }

  void start(Block::Kind kind) {
    SourcedBlock b;
    b.block.kind = kind;
    b.line = last_line;
    b.top_level = top_level();
    out.push_back(std::move(b));
    open = true;
  }

  void add_text(std::string_view text) {
    if (!open) start(Block::Kind::Paragraph);
    Block& b = out.back().block;
    if (b.kind == Block::Kind::Code) {
      b.code += text;
      return;
    }
    Span s;
    s.emphasis = em > 0;
    s.strong = strong > 0;
    s.code = code > 0;
    s.link = links.empty() ? "" : links.back();
    if (!b.spans.empty()) {
      Span& last = b.spans.back();
      if (last.emphasis == s.emphasis && last.strong == s.strong && last.code == s.code && last.link == s.link) {
        last.text += text;
        return;
      }
    }
    s.text = std::string(text);
    b.spans.push_back(std::move(s));
  }

  static int enter_block(MD_BLOCKTYPE type, void* detail, void* self) {
    return static_cast<Walker*>(self)->enter(type, detail);
  }
  static int leave_block(MD_BLOCKTYPE type, void*, void* self) {
    return static_cast<Walker*>(self)->leave(type);
  }
  static int enter_span(MD_SPANTYPE type, void* detail, void* self) {
    auto* w = static_cast<Walker*>(self);
    switch (type) {
      case MD_SPAN_EM: ++w->em; break;
      case MD_SPAN_STRONG: ++w->strong; break;
      case MD_SPAN_CODE: ++w->code; break;
      case MD_SPAN_A: {
        const auto* a = static_cast<MD_SPAN_A_DETAIL*>(detail);
        w->links.push_back(w->attribute(a->href));
        break;
      }
      default: break;
    }
    return 0;
  }
  static int leave_span(MD_SPANTYPE type, void*, void* self) {
    auto* w = static_cast<Walker*>(self);
    switch (type) {
      case MD_SPAN_EM: --w->em; break;
      case MD_SPAN_STRONG: --w->strong; break;
      case MD_SPAN_CODE: --w->code; break;
      case MD_SPAN_A:
        if (!w->links.empty()) w->links.pop_back();
        break;
      default: break;
    }
    return 0;
  }
  static int text(MD_TEXTTYPE type, const MD_CHAR* t, MD_SIZE size, void* self) {
    auto* w = static_cast<Walker*>(self);
    const std::string_view s(t, size);
    // A block's line: where its first text is (md4c's text points into the input).
    if (w->open && w->out.back().block.spans.empty() && w->out.back().block.kind != Block::Kind::Code)
      w->out.back().line = w->line_of(t);
    switch (type) {
      case MD_TEXT_NULLCHAR: w->add_text("\xEF\xBF\xBD"); break;
      case MD_TEXT_BR: w->add_text("\n"); break;
      case MD_TEXT_SOFTBR: w->add_text(" "); break;
      case MD_TEXT_ENTITY: w->add_text(decode_entity(s)); break;
      default: w->add_text(s); break;
    }
    return 0;
  }

  // An attribute's text with its entities decoded.
  std::string attribute(const MD_ATTRIBUTE& a) {
    std::string r;
    if (!a.text) return r;
    for (size_t i = 0; a.substr_offsets[i] < a.size; ++i) {
      const std::string_view part(a.text + a.substr_offsets[i], a.substr_offsets[i + 1] - a.substr_offsets[i]);
      if (a.substr_types[i] == MD_TEXT_ENTITY) r += decode_entity(part);
      else if (a.substr_types[i] == MD_TEXT_NULLCHAR) r += "\xEF\xBF\xBD";
      else r += part;
    }
    return r;
  }

  int enter(MD_BLOCKTYPE type, void* detail) {
    blocks.push_back(type);
    switch (type) {
      case MD_BLOCK_QUOTE: ++quote_depth; open = false; break;
      case MD_BLOCK_UL: ol_next.push_back(0); open = false; break;
      case MD_BLOCK_OL: ol_next.push_back(int(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)); open = false; break;
      case MD_BLOCK_LI: {
        const int n = ol_next.empty() ? 0 : ol_next.back();
        if (!ol_next.empty() && ol_next.back() > 0) ++ol_next.back();
        // Its own level (not the list's), so the item reads as part of the list.
        start(Block::Kind::ListItem);
        out.back().block.depth = list_depth();
        out.back().block.number = n;
        out.back().top_level = false;
        break;
      }
      case MD_BLOCK_HR: start(Block::Kind::Rule); open = false; break;
      case MD_BLOCK_H:
        start(Block::Kind::Heading);
        out.back().block.level = int(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        break;
      case MD_BLOCK_CODE: {
        const auto* d = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        if (d->info.text) line_of(d->info.text);
        start(Block::Kind::Code);
        out.back().info = attribute(d->info);
        out.back().block.language = attribute(d->lang);
        out.back().block.depth = quote_depth + list_depth();
        break;
      }
      case MD_BLOCK_P: {
        // A tight or first paragraph of a list item fills the item itself.
        const bool fills_item = open && !out.empty() && out.back().block.kind == Block::Kind::ListItem &&
                                out.back().block.spans.empty();
        if (!fills_item) {
          start(Block::Kind::Paragraph);
          out.back().block.depth = list_depth() ? list_depth() : quote_depth;
        }
        break;
      }
      case MD_BLOCK_HTML:
        start(Block::Kind::Code);
        break;
      default: break;  // DOC; tables are not enabled
    }
    return 0;
  }

  int leave(MD_BLOCKTYPE type) {
    if (!blocks.empty()) blocks.pop_back();
    switch (type) {
      case MD_BLOCK_QUOTE: --quote_depth; open = false; break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        if (!ol_next.empty()) ol_next.pop_back();
        open = false;
        break;
      case MD_BLOCK_CODE:
      case MD_BLOCK_HTML:
      case MD_BLOCK_H:
      case MD_BLOCK_P:
      case MD_BLOCK_LI:
        open = false;
        break;
      default: break;
    }
    return 0;
  }
};

}  // namespace

std::vector<SourcedBlock> markdown_blocks(std::string_view markdown, int first_line) {
  if (markdown.size() > 0xFFFFFFFFu) markdown = markdown.substr(0, 0xFFFFFFFFu);
  // md4c 0.4.8 can read a few bytes past the end of its input (md_is_container_mark,
  // found by lab_fuzz under ASan): it parses a copy followed by zero bytes it owns.
  std::string padded(markdown);
  padded.append(64, '\0');
  Walker w;
  w.doc = std::string_view(padded.data(), markdown.size());
  w.first_line = first_line;
  w.last_line = first_line;
  MD_PARSER p{};
  p.abi_version = 0;
  // Raw HTML stays text: nothing in a lab file is ever run or rendered as markup.
  p.flags = MD_FLAG_NOHTML;
  p.enter_block = &Walker::enter_block;
  p.leave_block = &Walker::leave_block;
  p.enter_span = &Walker::enter_span;
  p.leave_span = &Walker::leave_span;
  p.text = &Walker::text;
  md_parse(w.doc.data(), MD_SIZE(w.doc.size()), &p, &w);
  return std::move(w.out);
}

RichText markdown_to_rich_text(std::string_view markdown) {
  RichText r;
  for (SourcedBlock& b : markdown_blocks(markdown)) r.push_back(std::move(b.block));
  return r;
}

std::string plain_text(const std::vector<Span>& spans) {
  std::string r;
  for (const Span& s : spans) r += s.text;
  return r;
}

bool is_openable_link(std::string_view url) {
  if (url.empty() || url.size() > 2000) return false;
  for (char c : url)
    if (c < 0x21 || c == 0x7f || c == '\\') return false;  // no spaces, controls, non-ASCII or backslash tricks
  std::string lower;
  for (char c : url) lower += char(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0) return true;
  // A path on this site: no scheme before the first '/', '?' or '#', and not "//host".
  const size_t colon = lower.find(':');
  const size_t stop = lower.find_first_of("/?#");
  return lower.rfind("//", 0) != 0 && (colon == std::string::npos || (stop != std::string::npos && stop < colon));
}

}  // namespace trapeze::lab
