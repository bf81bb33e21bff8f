// The editor's text: lines, a cursor with a selection, cursor movement, and the
// edit commands a keyboard produces. Every change goes through one primitive
// (replace a range by a text) and is returned as an Edit, which is all the undo
// history needs to revert or replay it. No ImGui here: pure logic, unit-tested.
//
// Positions are 0-based lines and byte offsets within a line (UTF-8); cursor
// movement steps over whole code points. Tabs in loaded text are kept and shown
// as spaces up to the next tab stop ("visual" columns).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trapeze::ui::editor {

struct TextPos {
  int line = 0;
  int col = 0;  // byte offset in the line
  auto operator<=>(const TextPos&) const = default;
};

// The selection runs from `anchor` (where it started) to `cursor` (where the
// caret is); empty when they are equal.
struct Selection {
  TextPos anchor;
  TextPos cursor;
  TextPos begin() const { return anchor < cursor ? anchor : cursor; }
  TextPos end() const { return anchor < cursor ? cursor : anchor; }
  bool empty() const { return anchor == cursor; }
  bool operator==(const Selection&) const = default;
};

// One change: at `at`, the text `removed` was replaced by `inserted` (either may
// be empty, either may span lines). `before`/`after` are the selections around
// it, restored by undo and redo.
struct Edit {
  TextPos at;
  std::string removed;
  std::string inserted;
  Selection before;
  Selection after;
};

// The position just after `text` when it is inserted at `at`.
TextPos end_of(TextPos at, std::string_view text);
// Characters that make up a word for double-click and Ctrl+arrows (the
// assembler's name characters).
bool is_word_char(char c);

class TextBuffer {
 public:
  TextBuffer();  // one empty line

  // --- content -------------------------------------------------------------------
  // Replaces everything ("\r\n" and "\r" become "\n"); the cursor goes to the start.
  void set_text(std::string_view text);
  std::string text() const;  // lines joined with '\n'
  int line_count() const { return int(lines_.size()); }
  const std::string& line(int i) const { return lines_[size_t(i)]; }
  std::string text_in(TextPos a, TextPos b) const;  // a <= b, both valid

  // --- positions -----------------------------------------------------------------
  TextPos clamp(TextPos p) const;  // onto an existing line, inside it, on a code point
  TextPos end_pos() const;
  void set_tab_size(int n) { tab_size_ = n > 0 ? n : 1; }
  int tab_size() const { return tab_size_; }
  // Columns as displayed: tabs expanded, one column per code point.
  int visual_col(int line, int col) const;
  int col_at_visual(int line, int vcol) const;  // the nearest byte offset
  int max_visual_width() const;                 // the widest line, in columns

  // --- selection and movement (`extend` keeps the anchor: Shift is held) ----------
  const Selection& selection() const { return sel_; }
  TextPos cursor() const { return sel_.cursor; }
  bool has_selection() const { return !sel_.empty(); }
  std::string selected_text() const;
  void set_cursor(TextPos p, bool extend = false);
  void set_selection(TextPos anchor, TextPos cursor);
  void select_all();
  void select_word_at(TextPos p);  // the word (or run of blanks/punctuation) under p
  void select_line(int line);      // the whole line, with its line break

  void move_left(bool extend, bool by_word = false);
  void move_right(bool extend, bool by_word = false);
  void move_vertical(int delta_lines, bool extend);  // keeps the visual column it aims for
  void move_home(bool extend);                       // to the first non-blank, then to column 0
  void move_end(bool extend);
  void move_to_start(bool extend);
  void move_to_end(bool extend);

  // --- edits: each changes the text once and returns what it did; nullopt when
  // --- nothing changed (Backspace at the very start, say) ---------------------------
  std::optional<Edit> insert(std::string_view text);  // replaces the selection (typing, paste)
  std::optional<Edit> newline();                      // keeps the current line's indentation
  std::optional<Edit> backspace(bool by_word = false);
  std::optional<Edit> delete_forward(bool by_word = false);
  std::optional<Edit> erase_selection();
  // Tab: with a selection over several lines, indents every one of them; otherwise
  // inserts spaces up to the next tab stop. Shift+Tab removes up to one level.
  std::optional<Edit> indent();
  std::optional<Edit> outdent();
  // The general primitive, for programmatic changes: replaces [a, b) by `text`
  // and leaves the cursor after the inserted text.
  std::optional<Edit> replace(TextPos a, TextPos b, std::string_view text);

  // Replaying the history.
  void undo(const Edit& e);
  void redo(const Edit& e);

 private:
  // Replaces [a, b) by `text` ('\n' splits lines); returns the end of the new text.
  TextPos splice(TextPos a, TextPos b, std::string_view text);
  // Applies a change as one Edit, the selection afterwards being `after`.
  Edit change(TextPos a, TextPos b, std::string_view text, Selection after);
  TextPos left_of(TextPos p, bool by_word) const;
  TextPos right_of(TextPos p, bool by_word) const;
  // Lines touched by the selection, for indent/outdent (a selection ending at
  // column 0 does not include that last line).
  std::pair<int, int> selected_lines() const;
  std::optional<Edit> rewrite_lines(int first, int last, bool add_level);
  void moved() { want_vcol_ = -1; }

  std::vector<std::string> lines_;
  Selection sel_;
  int tab_size_ = 4;
  int want_vcol_ = -1;  // column vertical movement aims for; -1 = take the cursor's
};

}  // namespace trapeze::ui::editor
