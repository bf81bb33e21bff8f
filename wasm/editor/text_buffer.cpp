#include "text_buffer.h"

#include <algorithm>

namespace trapeze::ui::editor {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

enum class CharClass { Blank, Word, Other };
CharClass class_of(char c) {
  return is_blank(c) ? CharClass::Blank : is_word_char(c) ? CharClass::Word : CharClass::Other;
}

// "\r\n" and lone "\r" become "\n".
std::string normalize_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

int leading_blanks(const std::string& line) {
  int n = 0;
  while (n < int(line.size()) && is_blank(line[size_t(n)])) ++n;
  return n;
}

}  // namespace

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || is_continuation(c) || (static_cast<unsigned char>(c) >= 0xC0);
}

TextPos end_of(TextPos at, std::string_view text) {
  const size_t last_nl = text.rfind('\n');
  if (last_nl == std::string_view::npos) return {at.line, at.col + int(text.size())};
  const int newlines = int(std::count(text.begin(), text.end(), '\n'));
  return {at.line + newlines, int(text.size() - last_nl - 1)};
}

TextBuffer::TextBuffer() : lines_(1) {}

// --- content ---------------------------------------------------------------------

void TextBuffer::set_text(std::string_view text) {
  const std::string norm = normalize_newlines(text);
  lines_.clear();
  size_t start = 0;
  while (true) {
    const size_t nl = norm.find('\n', start);
    if (nl == std::string::npos) {
      lines_.emplace_back(norm.substr(start));
      break;
    }
    lines_.emplace_back(norm.substr(start, nl - start));
    start = nl + 1;
  }
  sel_ = {};
  moved();
}

std::string TextBuffer::text() const {
  size_t total = lines_.size();
  for (const auto& l : lines_) total += l.size();
  std::string out;
  out.reserve(total);
  for (size_t i = 0; i < lines_.size(); ++i) {
    if (i) out.push_back('\n');
    out += lines_[i];
  }
  return out;
}

std::string TextBuffer::text_in(TextPos a, TextPos b) const {
  if (a.line == b.line) return lines_[size_t(a.line)].substr(size_t(a.col), size_t(b.col - a.col));
  std::string out = lines_[size_t(a.line)].substr(size_t(a.col));
  for (int l = a.line + 1; l < b.line; ++l) {
    out.push_back('\n');
    out += lines_[size_t(l)];
  }
  out.push_back('\n');
  out += lines_[size_t(b.line)].substr(0, size_t(b.col));
  return out;
}

// --- positions -------------------------------------------------------------------

TextPos TextBuffer::clamp(TextPos p) const {
  p.line = std::clamp(p.line, 0, line_count() - 1);
  const std::string& l = lines_[size_t(p.line)];
  p.col = std::clamp(p.col, 0, int(l.size()));
  while (p.col > 0 && p.col < int(l.size()) && is_continuation(l[size_t(p.col)])) --p.col;
  return p;
}

TextPos TextBuffer::end_pos() const { return {line_count() - 1, int(lines_.back().size())}; }

int TextBuffer::visual_col(int line, int col) const {
  const std::string& l = lines_[size_t(line)];
  int v = 0;
  for (int i = 0; i < col && i < int(l.size()); ++i) {
    const char c = l[size_t(i)];
    if (c == '\t') {
      v = (v / tab_size_ + 1) * tab_size_;
    } else if (!is_continuation(c)) {
      ++v;
    }
  }
  return v;
}

int TextBuffer::col_at_visual(int line, int vcol) const {
  const std::string& l = lines_[size_t(line)];
  int v = 0;
  int i = 0;
  while (i < int(l.size())) {
    if (v >= vcol) return i;
    int next = i + 1;
    while (next < int(l.size()) && is_continuation(l[size_t(next)])) ++next;
    const int width = l[size_t(i)] == '\t' ? (v / tab_size_ + 1) * tab_size_ - v : 1;
    if (v + width > vcol) return (vcol - v) * 2 >= width ? next : i;  // the nearer edge
    v += width;
    i = next;
  }
  return int(l.size());
}

int TextBuffer::max_visual_width() const {
  int widest = 0;
  for (int i = 0; i < line_count(); ++i)
    widest = std::max(widest, visual_col(i, int(lines_[size_t(i)].size())));
  return widest;
}

// --- selection and movement ------------------------------------------------------

std::string TextBuffer::selected_text() const { return text_in(sel_.begin(), sel_.end()); }

void TextBuffer::set_cursor(TextPos p, bool extend) {
  sel_.cursor = clamp(p);
  if (!extend) sel_.anchor = sel_.cursor;
  moved();
}

void TextBuffer::set_selection(TextPos anchor, TextPos cursor) {
  sel_ = {clamp(anchor), clamp(cursor)};
  moved();
}

void TextBuffer::select_all() { set_selection({0, 0}, end_pos()); }

void TextBuffer::select_word_at(TextPos p) {
  p = clamp(p);
  const std::string& l = lines_[size_t(p.line)];
  if (l.empty()) return set_cursor(p);
  const int probe = p.col < int(l.size()) ? p.col : p.col - 1;
  const CharClass cls = class_of(l[size_t(probe)]);
  int b = probe, e = probe + 1;
  while (b > 0 && class_of(l[size_t(b - 1)]) == cls) --b;
  while (e < int(l.size()) && class_of(l[size_t(e)]) == cls) ++e;
  set_selection({p.line, b}, {p.line, e});
}

void TextBuffer::select_line(int line) {
  line = std::clamp(line, 0, line_count() - 1);
  const TextPos end = line + 1 < line_count() ? TextPos{line + 1, 0} : end_pos();
  set_selection({line, 0}, end);
}

TextPos TextBuffer::left_of(TextPos p, bool by_word) const {
  if (p.col == 0)
    return p.line > 0 ? TextPos{p.line - 1, int(lines_[size_t(p.line - 1)].size())} : p;
  const std::string& l = lines_[size_t(p.line)];
  int c = p.col;
  if (!by_word) {
    do --c;
    while (c > 0 && is_continuation(l[size_t(c)]));
    return {p.line, c};
  }
  while (c > 0 && is_blank(l[size_t(c - 1)])) --c;
  if (c > 0) {
    const CharClass cls = class_of(l[size_t(c - 1)]);
    while (c > 0 && class_of(l[size_t(c - 1)]) == cls) --c;
  }
  return {p.line, c};
}

TextPos TextBuffer::right_of(TextPos p, bool by_word) const {
  const std::string& l = lines_[size_t(p.line)];
  if (p.col >= int(l.size())) return p.line + 1 < line_count() ? TextPos{p.line + 1, 0} : p;
  int c = p.col;
  if (!by_word) {
    do ++c;
    while (c < int(l.size()) && is_continuation(l[size_t(c)]));
    return {p.line, c};
  }
  while (c < int(l.size()) && is_blank(l[size_t(c)])) ++c;
  if (c < int(l.size())) {
    const CharClass cls = class_of(l[size_t(c)]);
    while (c < int(l.size()) && class_of(l[size_t(c)]) == cls) ++c;
  }
  return {p.line, c};
}

void TextBuffer::move_left(bool extend, bool by_word) {
  if (!extend && has_selection() && !by_word) return set_cursor(sel_.begin());
  set_cursor(left_of(sel_.cursor, by_word), extend);
}

void TextBuffer::move_right(bool extend, bool by_word) {
  if (!extend && has_selection() && !by_word) return set_cursor(sel_.end());
  set_cursor(right_of(sel_.cursor, by_word), extend);
}

void TextBuffer::move_vertical(int delta_lines, bool extend) {
  const TextPos c = sel_.cursor;
  const int target = c.line + delta_lines;
  if (target < 0) return set_cursor({0, 0}, extend);
  if (target >= line_count()) return set_cursor(end_pos(), extend);
  const int want = want_vcol_ >= 0 ? want_vcol_ : visual_col(c.line, c.col);
  set_cursor({target, col_at_visual(target, want)}, extend);
  want_vcol_ = want;  // set_cursor forgot it; vertical runs keep aiming at the same column
}

void TextBuffer::move_home(bool extend) {
  const TextPos c = sel_.cursor;
  const int first = leading_blanks(lines_[size_t(c.line)]);
  set_cursor({c.line, c.col != first ? first : 0}, extend);
}

void TextBuffer::move_end(bool extend) {
  set_cursor({sel_.cursor.line, int(lines_[size_t(sel_.cursor.line)].size())}, extend);
}

void TextBuffer::move_to_start(bool extend) { set_cursor({0, 0}, extend); }
void TextBuffer::move_to_end(bool extend) { set_cursor(end_pos(), extend); }

// --- edits -----------------------------------------------------------------------

TextPos TextBuffer::splice(TextPos a, TextPos b, std::string_view text) {
  const std::string head = lines_[size_t(a.line)].substr(0, size_t(a.col));
  const std::string tail = lines_[size_t(b.line)].substr(size_t(b.col));
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    parts.emplace_back(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  const TextPos end{a.line + int(parts.size()) - 1,
                    int(parts.back().size()) + (parts.size() == 1 ? a.col : 0)};
  parts.front().insert(0, head);
  parts.back() += tail;

  const auto first = lines_.begin() + a.line;
  const size_t replaced = size_t(b.line - a.line + 1);
  // Reuse the replaced slots, then grow or shrink in one move.
  const size_t common = std::min(replaced, parts.size());
  for (size_t i = 0; i < common; ++i) first[ptrdiff_t(i)] = std::move(parts[i]);
  if (parts.size() > replaced) {
    lines_.insert(first + ptrdiff_t(common),
                  std::make_move_iterator(parts.begin() + ptrdiff_t(common)),
                  std::make_move_iterator(parts.end()));
  } else if (replaced > parts.size()) {
    lines_.erase(first + ptrdiff_t(common), first + ptrdiff_t(replaced));
  }
  return end;
}

Edit TextBuffer::change(TextPos a, TextPos b, std::string_view text, Selection after) {
  Edit e;
  e.at = a;
  e.removed = text_in(a, b);
  e.inserted = std::string(text);
  e.before = sel_;
  splice(a, b, text);
  sel_ = after;
  e.after = after;
  moved();
  return e;
}

std::optional<Edit> TextBuffer::replace(TextPos a, TextPos b, std::string_view text) {
  a = clamp(a);
  b = clamp(b);
  if (b < a) std::swap(a, b);
  const std::string norm = normalize_newlines(text);
  if (a == b && norm.empty()) return std::nullopt;
  const TextPos end = end_of(a, norm);
  return change(a, b, norm, {end, end});
}

std::optional<Edit> TextBuffer::insert(std::string_view text) {
  return replace(sel_.begin(), sel_.end(), text);
}

std::optional<Edit> TextBuffer::newline() {
  const TextPos at = sel_.begin();
  const std::string& l = lines_[size_t(at.line)];
  const int indent = std::min(leading_blanks(l), at.col);
  std::string text(1, '\n');
  text.append(l, 0, size_t(indent));
  return insert(text);
}

std::optional<Edit> TextBuffer::erase_selection() {
  if (!has_selection()) return std::nullopt;
  return replace(sel_.begin(), sel_.end(), "");
}

std::optional<Edit> TextBuffer::backspace(bool by_word) {
  if (has_selection()) return erase_selection();
  const TextPos c = sel_.cursor;
  if (c == TextPos{0, 0}) return std::nullopt;
  TextPos from = left_of(c, by_word);
  // In an indentation made of spaces, go back to the previous tab stop, so that
  // Backspace undoes what Tab inserted.
  const std::string& l = lines_[size_t(c.line)];
  if (!by_word && c.col > 0 && leading_blanks(l) >= c.col && l.find('\t') >= size_t(c.col)) {
    from.col = ((c.col - 1) / tab_size_) * tab_size_;
  }
  return replace(from, c, "");
}

std::optional<Edit> TextBuffer::delete_forward(bool by_word) {
  if (has_selection()) return erase_selection();
  const TextPos c = sel_.cursor;
  const TextPos to = right_of(c, by_word);
  if (to == c) return std::nullopt;
  return replace(c, to, "");
}

std::pair<int, int> TextBuffer::selected_lines() const {
  const TextPos b = sel_.begin(), e = sel_.end();
  int last = e.line;
  if (e.col == 0 && e.line > b.line) --last;
  return {b.line, last};
}

std::optional<Edit> TextBuffer::indent() {
  const auto [first, last] = selected_lines();
  if (first != last) return rewrite_lines(first, last, true);
  const TextPos at = sel_.begin();
  const int v = visual_col(at.line, at.col);
  return insert(std::string(size_t(tab_size_ - v % tab_size_), ' '));
}

std::optional<Edit> TextBuffer::outdent() {
  const auto [first, last] = selected_lines();
  return rewrite_lines(first, last, false);
}

std::optional<Edit> TextBuffer::rewrite_lines(int first, int last, bool add_level) {
  std::vector<int> delta(size_t(last - first + 1), 0);
  std::string text;
  for (int l = first; l <= last; ++l) {
    std::string line = lines_[size_t(l)];
    int& d = delta[size_t(l - first)];
    if (add_level) {
      if (!line.empty()) {
        line.insert(0, size_t(tab_size_), ' ');
        d = tab_size_;
      }
    } else {
      int n = 0;
      if (!line.empty() && line[0] == '\t') {
        n = 1;
      } else {
        while (n < tab_size_ && n < int(line.size()) && line[size_t(n)] == ' ') ++n;
      }
      line.erase(0, size_t(n));
      d = -n;
    }
    if (l > first) text.push_back('\n');
    text += line;
  }
  if (std::all_of(delta.begin(), delta.end(), [](int d) { return d == 0; })) return std::nullopt;

  auto shifted = [&](TextPos p) {
    if (p.line < first || p.line > last) return p;
    const int d = delta[size_t(p.line - first)];
    // A selection edge at column 0 stays there, so whole selected lines stay selected.
    if (d > 0 && p.col == 0) return p;
    return TextPos{p.line, std::max(0, p.col + d)};
  };
  const Selection after{shifted(sel_.anchor), shifted(sel_.cursor)};
  const TextPos a{first, 0};
  const TextPos b{last, int(lines_[size_t(last)].size())};
  return change(a, b, text, after);
}

void TextBuffer::undo(const Edit& e) {
  splice(e.at, end_of(e.at, e.inserted), e.removed);
  sel_ = e.before;
  moved();
}

void TextBuffer::redo(const Edit& e) {
  splice(e.at, end_of(e.at, e.removed), e.inserted);
  sel_ = e.after;
  moved();
}

}  // namespace trapeze::ui::editor
