// CodeEditor: the guest-assembly editor widget, drawn with ImGui draw lists.
//
// A gutter with a breakpoint column, line numbers and markers (errors, the
// current PC); syntax colouring from the ISA table (privileged instructions and
// the sensitive-but-unprivileged ones in colours of their own); editing with
// undo/redo, selection, clipboard and a find bar; assembler diagnostics drawn
// on their line and column with the message on hover; the line of the current
// PC highlighted and kept in view. Only the visible lines are drawn, so a
// 10,000-line file costs what a screenful does.
//
// The text, cursor, undo history and breakpoints live in an editor::Document,
// which has no ImGui in it and is unit-tested; this class is the view over it
// and the keyboard/mouse handling. No platform code, no global state: any
// number of editors can be open at once.
//
// All line and column numbers in this API are 1-based, as the assembler
// reports them and the gutter shows them.
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "document.h"
#include "syntax.h"
#include "text_search.h"

struct ImGuiWindow;

namespace trapeze::ui {

struct EditorDiagnostic {
  int line = 0;  // 1-based
  int col = 0;   // 1-based; 0 or past the end of the line marks the line's end
  std::string message;
};

struct EditorPalette {
  std::array<ImU32, size_t(editor::TokenKind::Count)> token{};
  ImU32 background, gutter, gutter_border, line_number, line_number_current;
  ImU32 cursor, cursor_line, selection, find_match, find_current;
  ImU32 pc_line, pc_arrow, pc_hint, breakpoint, breakpoint_hover, error, read_only_tag;
  static EditorPalette dark();
};

class CodeEditor {
 public:
  using Diagnostic = EditorDiagnostic;

  CodeEditor();

  // --- content -------------------------------------------------------------------
  // Loads a new text: clears the undo history, the selection, the diagnostics
  // and the current line; keeps the breakpoints that still fall on a line.
  void set_text(std::string_view text);
  std::string text() const { return doc_.text(); }
  // Increases with every change of the text (typing, undo, set_text, ...).
  uint64_t revision() const { return doc_.revision(); }
  // Whether the text changed during the last draw() (what draw() returned).
  bool changed() const { return changed_; }

  void set_read_only(bool read_only) { read_only_ = read_only; }
  bool read_only() const { return read_only_; }
  void set_tab_size(int spaces) { doc_.buffer().set_tab_size(spaces); }

  // --- breakpoints (1-based lines; they follow their line through edits) ---------
  const std::set<int>& breakpoints() const { return doc_.breakpoints(); }
  void set_breakpoints(std::set<int> lines) { doc_.set_breakpoints(std::move(lines)); }
  void toggle_breakpoint(int line) { doc_.toggle_breakpoint(line); }
  // Whether the breakpoints changed during the last draw(), by a click in the
  // gutter or by lines moving under an edit; the callback fires then too.
  bool breakpoints_changed() const { return breakpoints_changed_; }
  std::function<void(const std::set<int>&)> on_breakpoints_changed;

  // --- assembler output ----------------------------------------------------------
  void set_diagnostics(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // Moves the cursor to line:col, scrolls it into view and focuses the editor
  // (the error list calls this when an error is clicked).
  void goto_line(int line, int col = 1);

  // --- execution -----------------------------------------------------------------
  // The line of the current PC, highlighted with an arrow in the gutter and
  // scrolled into view whenever it changes; -1 for none. `where` says where the
  // PC really is when the line only led there (a macro use, an .include): shown
  // after the line's text and when the mouse is over the line's gutter.
  void set_current_line(int line, std::string where = {});
  int current_line() const { return current_line_; }
  const std::string& current_line_where() const { return current_where_; }

  // --- cursor and commands (also bound to keys) ----------------------------------
  int cursor_line() const { return doc_.buffer().cursor().line + 1; }
  int cursor_col() const;  // 1-based visual column
  bool undo();
  bool redo();
  void open_find();
  void close_find();
  bool find_open() const { return find_open_; }
  void focus() { focus_requested_ = true; }
  bool focused() const { return focused_; }

  // Draws the editor in a child region of `size` (ImGui's sizing rules: 0 fills
  // the available space, negative leaves that much). Returns whether the text
  // changed this frame.
  bool draw(const char* id, ImVec2 size = ImVec2(0, 0));

  EditorPalette& palette() { return palette_; }
  // The model, for callers that script the editor (and for tests).
  editor::Document& document() { return doc_; }
  const editor::Document& document() const { return doc_; }

 private:
  // Pixel metrics of the current font, recomputed every frame (the font may change).
  struct Metrics {
    float char_w = 7, line_h = 16, font_h = 13;
    float gutter_w = 0, text_x = 0;  // gutter width; where column 0 starts
    float bp_w = 0, numbers_w = 0;   // breakpoint column; line-number column
  };
  enum class ScrollMode : uint8_t { None, KeepVisible, Center };

  // code_editor.cpp: layout and drawing.
  void compute_metrics();
  void draw_find_bar();
  void draw_text_area();
  void draw_lines(ImDrawList* dl, ImVec2 origin, int first, int last);
  void draw_gutter(ImDrawList* dl, ImVec2 origin, int first, int last, int hovered_gutter_line);
  void draw_tooltips(int line, float mouse_x, ImVec2 origin);
  void apply_scroll_request(float view_w, float view_h);
  float x_of(int line, int col) const;  // content x of a position, relative to the origin

  // code_editor_input.cpp: keyboard, mouse, clipboard, find.
  void activate(ImGuiWindow* window);
  void handle_mouse(ImVec2 origin, bool hovered, float gutter_right);
  void handle_keyboard(float view_h);
  void handle_context_menu();
  editor::TextPos pos_at(ImVec2 mouse, ImVec2 origin) const;
  bool commit(std::optional<editor::Edit> edit, editor::EditKind kind);
  void copy();
  void cut();
  void paste();
  void find_step(bool forward);
  void select_match(int index);
  int find_key_index() const;
  // Scrolls `line` (0-based; -1 = the cursor's) into view over the next frames:
  // ImGui applies a scroll position one frame late and clamps it to the content
  // size of the previous frame, so a request is retried until it is satisfied.
  void request_scroll(ScrollMode mode, int line = -1) {
    scroll_mode_ = mode;
    scroll_target_line_ = line;
    scroll_tries_ = 3;
  }
  void refresh_search();
  void reset_blink();

  editor::Document doc_;
  editor::TextSearch search_;
  EditorPalette palette_ = EditorPalette::dark();
  Metrics m_;
  std::vector<editor::Token> tokens_;  // scratch, reused per line

  bool read_only_ = false;
  bool changed_ = false;
  bool breakpoints_changed_ = false;
  uint64_t last_breakpoint_revision_ = 0;
  uint64_t width_revision_ = ~uint64_t{0};
  int max_cols_ = 0;  // widest line, cached per revision

  std::vector<Diagnostic> diagnostics_;  // sorted by line
  int current_line_ = -1;
  std::string current_where_;

  unsigned text_id_ = 0;  // ImGuiID of the text area
  bool focused_ = false;
  bool focus_requested_ = false;
  bool resume_after_scrollbar_ = false;
  bool dragging_ = false;
  double blink_start_ = 0;

  ScrollMode scroll_mode_ = ScrollMode::None;
  int scroll_tries_ = 0;
  int scroll_target_line_ = -1;  // 0-based; -1 = the cursor's line
  float last_view_h_ = 0;        // the text area's height last frame

  bool find_open_ = false;
  bool find_focus_input_ = false;
  bool find_case_sensitive_ = false;
  std::array<char, 256> find_input_{};  // what the find field edits
  std::string needle_;                  // what is searched
};

}  // namespace trapeze::ui
