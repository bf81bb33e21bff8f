// CodeEditor: layout and drawing. Keyboard and mouse handling are in
// code_editor_input.cpp.
//
// ImGui 1.86 gives a custom widget no public way to own the keyboard while it
// has focus (arrows, Tab, Escape, PageUp would drive ImGui's own navigation), so
// the text area registers itself as the active item exactly as InputText does,
// through imgui_internal.h: an item id, SetActiveID, and the "this widget uses
// these keys" masks.
#include "code_editor.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "asm/pseudo.h"
#include "isa/isa.h"

namespace trapeze::ui {

using editor::TextPos;
using editor::TokenKind;

EditorPalette EditorPalette::dark() {
  EditorPalette p{};
  auto set = [&](TokenKind k, ImU32 c) { p.token[size_t(k)] = c; };
  set(TokenKind::Plain, IM_COL32(212, 212, 212, 255));
  set(TokenKind::Instruction, IM_COL32(97, 175, 239, 255));  // blue
  set(TokenKind::Privileged, IM_COL32(255, 150, 50, 255));   // orange: traps in user mode
  set(TokenKind::VirtHole, IM_COL32(255, 85, 200, 255));     // magenta: sensitive, no trap
  set(TokenKind::Pseudo, IM_COL32(80, 210, 190, 255));       // teal
  set(TokenKind::Directive, IM_COL32(190, 135, 255, 255));   // purple
  set(TokenKind::Label, IM_COL32(240, 200, 90, 255));        // gold
  set(TokenKind::Register, IM_COL32(185, 190, 235, 255));    // lavender
  set(TokenKind::ControlReg, IM_COL32(255, 190, 150, 255));  // peach
  set(TokenKind::Number, IM_COL32(170, 220, 140, 255));      // light green
  set(TokenKind::String, IM_COL32(215, 180, 140, 255));      // sand
  set(TokenKind::Comment, IM_COL32(115, 128, 140, 255));     // grey
  set(TokenKind::Symbol, IM_COL32(225, 225, 225, 255));
  set(TokenKind::Punct, IM_COL32(150, 150, 150, 255));
  p.background = IM_COL32(30, 32, 38, 255);
  p.gutter = IM_COL32(36, 38, 45, 255);
  p.gutter_border = IM_COL32(55, 58, 68, 255);
  p.line_number = IM_COL32(110, 116, 130, 255);
  p.line_number_current = IM_COL32(200, 205, 215, 255);
  p.cursor = IM_COL32(235, 235, 235, 255);
  p.cursor_line = IM_COL32(255, 255, 255, 12);
  p.selection = IM_COL32(70, 110, 180, 130);
  p.find_match = IM_COL32(220, 180, 40, 70);
  p.find_current = IM_COL32(255, 210, 60, 220);
  p.pc_line = IM_COL32(230, 200, 40, 48);
  p.pc_arrow = IM_COL32(250, 215, 60, 255);
  p.pc_hint = IM_COL32(200, 175, 90, 200);
  p.breakpoint = IM_COL32(225, 60, 60, 255);
  p.breakpoint_hover = IM_COL32(225, 60, 60, 90);
  p.error = IM_COL32(255, 80, 80, 255);
  p.read_only_tag = IM_COL32(150, 150, 150, 200);
  return p;
}

CodeEditor::CodeEditor() = default;

void CodeEditor::set_text(std::string_view text) {
  doc_.set_text(text);
  diagnostics_.clear();
  current_line_ = -1;
  current_where_.clear();
  dragging_ = false;
  request_scroll(ScrollMode::KeepVisible);
}

void CodeEditor::set_diagnostics(std::vector<Diagnostic> diagnostics) {
  diagnostics_ = std::move(diagnostics);
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
}

void CodeEditor::goto_line(int line, int col) {
  editor::TextBuffer& buf = doc_.buffer();
  buf.set_cursor(buf.clamp({line - 1, std::max(col, 1) - 1}));
  doc_.close_undo_step();
  focus_requested_ = true;
  request_scroll(ScrollMode::Center);
}

void CodeEditor::set_current_line(int line, std::string where) {
  current_where_ = line >= 1 ? std::move(where) : std::string();
  if (line == current_line_) return;
  current_line_ = line;
  if (line >= 1) request_scroll(ScrollMode::Center, line - 1);
}

int CodeEditor::cursor_col() const {
  const TextPos c = doc_.buffer().cursor();
  return doc_.buffer().visual_col(c.line, c.col) + 1;
}

void CodeEditor::compute_metrics() {
  m_.font_h = ImGui::GetFontSize();
  m_.char_w = ImGui::CalcTextSize("M").x;
  m_.line_h = std::floor(m_.font_h + std::max(2.0f, std::round(m_.font_h * 0.25f)));
  int digits = 1;
  for (int n = doc_.buffer().line_count(); n >= 10; n /= 10) ++digits;
  m_.bp_w = m_.line_h;
  m_.numbers_w = float(std::max(digits, 3)) * m_.char_w;
  const float marker_w = m_.char_w * 1.5f;
  m_.gutter_w = std::floor(m_.bp_w + m_.numbers_w + marker_w + m_.char_w * 0.5f);
  m_.text_x = m_.gutter_w + m_.char_w * 0.5f;
}

float CodeEditor::x_of(int line, int col) const {
  return m_.text_x + float(doc_.buffer().visual_col(line, col)) * m_.char_w;
}

void CodeEditor::refresh_search() {
  search_.update(doc_.buffer(), doc_.revision(), needle_, find_case_sensitive_);
}

bool CodeEditor::draw(const char* id, ImVec2 size) {
  const uint64_t revision_before = doc_.revision();
  ImGui::PushID(id);
  compute_metrics();
  // The frame (with the find bar) and the text area share the editor's
  // background; padding is zero so the gutter meets the frame. Popups and
  // tooltips opened inside keep the normal padding: it is popped at once.
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette_.background);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("##editor", size, true,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
  if (find_open_) draw_find_bar();
  draw_text_area();
  ImGui::EndChild();
  ImGui::PopStyleColor();
  ImGui::PopID();

  changed_ = doc_.revision() != revision_before;
  breakpoints_changed_ = doc_.breakpoint_revision() != last_breakpoint_revision_;
  if (breakpoints_changed_) {
    last_breakpoint_revision_ = doc_.breakpoint_revision();
    if (on_breakpoints_changed) on_breakpoints_changed(doc_.breakpoints());
  }
  return changed_;
}

void CodeEditor::draw_find_bar() {
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::SetCursorPos(ImVec2(style.FramePadding.x, style.FramePadding.y));
  if (find_focus_input_) {
    ImGui::SetKeyboardFocusHere();
    find_focus_input_ = false;
  }
  ImGui::SetNextItemWidth(
      std::min(16.0f * ImGui::GetFontSize(), ImGui::GetContentRegionAvail().x * 0.45f));
  const bool edited =
      ImGui::InputTextWithHint("##find", "find", find_input_.data(), find_input_.size());
  const bool left = ImGui::IsItemDeactivated();
  const bool escape = left && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
  const bool enter = left && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
                              ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false));
  if (escape) {
    // InputText puts back the text it started with on Escape; keep the search.
    std::snprintf(find_input_.data(), find_input_.size(), "%s", needle_.c_str());
    close_find();
    focus_requested_ = true;
    return;
  }
  if (edited) {
    needle_ = find_input_.data();
    // Incremental: jump to the first match at or after the selection.
    refresh_search();
    const int i = search_.next_from(doc_.buffer().selection().begin());
    if (i >= 0) select_match(i);
  }
  if (enter) {
    find_step(!ImGui::GetIO().KeyShift);
    find_focus_input_ = true;  // Enter leaves the field; stay in it for the next Enter
  }
  ImGui::SameLine();
  if (ImGui::Checkbox("Aa", &find_case_sensitive_)) refresh_search();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("match case");
  ImGui::SameLine();
  if (ImGui::ArrowButton("##prev", ImGuiDir_Up)) find_step(false);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("previous match (Shift+Enter)");
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Down)) find_step(true);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("next match (Enter)");
  ImGui::SameLine();
  refresh_search();
  const size_t count = search_.matches().size();
  const int current = search_.index_of(doc_.buffer().selection());
  if (needle_.empty()) {
    ImGui::TextDisabled("type to search");
  } else if (count == 0) {
    ImGui::TextColored(ImColor(palette_.error).Value, "no matches");
  } else if (current >= 0) {
    ImGui::Text("%d of %zu%s", current + 1, count, search_.truncated() ? "+" : "");
  } else {
    ImGui::Text("%zu match%s%s", count, count == 1 ? "" : "es", search_.truncated() ? "+" : "");
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("x")) {
    close_find();
    focus_requested_ = true;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("close (Escape)");
  ImGui::Separator();
}

void CodeEditor::draw_text_area() {
  ImGuiContext& g = *GImGui;
  ImGui::BeginChild("##text", ImVec2(0, 0), false,
                    ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoNav);
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  text_id_ = window->GetID("##text_area");

  // Who has the keyboard: us while we are the active item. Clicking our own
  // scrollbar takes it away for the drag; take it back afterwards.
  const bool had_focus = focused_;
  focused_ = g.ActiveId == text_id_;
  const bool on_scrollbar =
      g.ActiveId != 0 && (g.ActiveId == ImGui::GetWindowScrollbarID(window, ImGuiAxis_X) ||
                          g.ActiveId == ImGui::GetWindowScrollbarID(window, ImGuiAxis_Y));
  if (on_scrollbar && (had_focus || resume_after_scrollbar_)) {
    resume_after_scrollbar_ = true;
  } else if (resume_after_scrollbar_) {
    resume_after_scrollbar_ = false;
    if (g.ActiveId == 0) focus_requested_ = true;
  }
  if (focus_requested_) {
    focus_requested_ = false;
    activate(window);
  }

  const editor::TextBuffer& buf = doc_.buffer();
  if (width_revision_ != doc_.revision()) {
    max_cols_ = buf.max_visual_width();
    width_revision_ = doc_.revision();
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // line 0, column "gutter": scroll applied
  const ImRect view = window->InnerRect;
  const float view_w = view.GetWidth(), view_h = view.GetHeight();
  // The view got shorter (an error list opened under it): the cursor's line, if it
  // was in view, stays in view, so the line being typed does not scroll away.
  if (view_h < last_view_h_ - 0.5f && scroll_mode_ == ScrollMode::None) {
    const float y = float(buf.cursor().line) * m_.line_h, sy = ImGui::GetScrollY();
    if (y >= sy && y + m_.line_h <= sy + last_view_h_) request_scroll(ScrollMode::KeepVisible);
  }
  last_view_h_ = view_h;
  const ImVec2 content(m_.text_x + float(max_cols_ + 4) * m_.char_w,
                       float(buf.line_count() + 1) * m_.line_h);
  // The item's size sets the scroll range; it answers the mouse over all of the
  // view too, so a click below the last line puts the cursor at the end.
  ImGui::ItemSize(ImRect(origin, ImVec2(origin.x + content.x, origin.y + content.y)));
  const ImRect bb(origin, ImVec2(std::max(origin.x + content.x, view.Max.x),
                                 std::max(origin.y + content.y, view.Max.y)));
  ImGui::ItemAdd(bb, text_id_);
  ImGui::KeepAliveID(text_id_);
  const bool hovered = ImGui::ItemHoverable(bb, text_id_);

  const float gutter_right = view.Min.x + m_.gutter_w;
  handle_mouse(origin, hovered, gutter_right);
  if (focused_) handle_keyboard(view_h);
  handle_context_menu();

  const float scroll_y = ImGui::GetScrollY();
  const int first = std::max(0, int(scroll_y / m_.line_h));
  const int last = std::min(buf.line_count() - 1, int((scroll_y + view_h) / m_.line_h) + 1);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_lines(dl, origin, first, last);

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const int mouse_line = int(std::floor((mouse.y - origin.y) / m_.line_h));
  const bool mouse_on_line = hovered && mouse_line >= 0 && mouse_line < buf.line_count();
  draw_gutter(dl, origin, first, last, mouse_on_line && mouse.x < gutter_right ? mouse_line : -1);
  if (mouse_on_line && !dragging_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left))
    draw_tooltips(mouse_line, mouse.x, origin);

  if (read_only_) {  // say so, for pages that embed the editor read-only
    const char* tag = "read-only";
    const ImVec2 ts = ImGui::CalcTextSize(tag);
    const ImVec2 at(view.Max.x - ts.x - m_.char_w, view.Min.y + 2);
    dl->AddRectFilled(ImVec2(at.x - 4, at.y - 1), ImVec2(at.x + ts.x + 4, at.y + ts.y + 1),
                      palette_.gutter, 3);
    dl->AddText(at, palette_.read_only_tag, tag);
  }
  apply_scroll_request(view_w, view_h);
  ImGui::EndChild();
}

void CodeEditor::draw_lines(ImDrawList* dl, ImVec2 origin, int first, int last) {
  const editor::TextBuffer& buf = doc_.buffer();
  const editor::Selection sel = buf.selection();
  const TextPos sb = sel.begin(), se = sel.end();
  const ImRect view = ImGui::GetCurrentWindow()->InnerRect;
  const float x0 = origin.x + m_.text_x;
  const float cw = m_.char_w, lh = m_.line_h;
  const float text_dy = std::floor((lh - m_.font_h) * 0.5f);

  // Backgrounds: the PC's line, the cursor's line, the selection.
  for (int l = first; l <= last; ++l) {
    const float y = origin.y + float(l) * lh;
    if (l + 1 == current_line_) {
      dl->AddRectFilled(ImVec2(view.Min.x, y), ImVec2(view.Max.x, y + lh), palette_.pc_line);
    } else if (focused_ && sel.empty() && l == sel.cursor.line) {
      dl->AddRectFilled(ImVec2(view.Min.x, y), ImVec2(view.Max.x, y + lh), palette_.cursor_line);
    }
    if (!sel.empty() && l >= sb.line && l <= se.line) {
      const float xa = origin.x + x_of(l, l == sb.line ? sb.col : 0);
      const float xb = l == se.line
                           ? origin.x + x_of(l, se.col)
                           : origin.x + x_of(l, int(buf.line(l).size())) + cw;  // the line break
      dl->AddRectFilled(ImVec2(xa, y), ImVec2(xb, y + lh), palette_.selection);
    }
  }

  // Find matches.
  if (find_open_ && !needle_.empty()) {
    refresh_search();
    const auto [lo, hi] = search_.on_lines(first, last);
    const int current = search_.index_of(sel);
    for (size_t i = lo; i < hi; ++i) {
      const editor::Match& mt = search_.matches()[i];
      const float y = origin.y + float(mt.begin.line) * lh;
      const ImVec2 a(origin.x + x_of(mt.begin.line, mt.begin.col), y);
      const ImVec2 b(origin.x + x_of(mt.end.line, mt.end.col), y + lh);
      dl->AddRectFilled(a, b, palette_.find_match);
      if (int(i) == current) dl->AddRect(a, b, palette_.find_current, 0, 0, 1.5f);
    }
  }

  // Text, token by token; tabs are expanded to the next tab stop.
  ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize();
  const int tab = buf.tab_size();
  for (int l = first; l <= last; ++l) {
    const std::string& line = buf.line(l);
    if (line.empty()) continue;
    editor::tokenize_line(line, tokens_);
    const float y = origin.y + float(l) * lh + text_dy;
    int vcol = 0;
    size_t at = 0;
    auto advance_to = [&](size_t to) {
      for (; at < to; ++at) {
        const char c = line[at];
        if (c == '\t') {
          vcol = (vcol / tab + 1) * tab;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
          ++vcol;
        }
      }
    };
    for (const editor::Token& t : tokens_) {
      advance_to(size_t(t.begin));
      const ImU32 col = palette_.token[size_t(t.kind)];
      size_t run = at;
      while (at < size_t(t.end)) {  // runs between tabs
        const size_t tab_at = line.find('\t', run);
        const size_t run_end =
            std::min(tab_at == std::string::npos ? size_t(t.end) : tab_at, size_t(t.end));
        if (run_end > run) {
          dl->AddText(font, font_size, ImVec2(x0 + float(vcol) * cw, y), col, line.data() + run,
                      line.data() + run_end);
        }
        advance_to(run_end);
        if (at < size_t(t.end)) advance_to(at + 1);  // the tab
        run = at;
      }
    }
  }

  // Where the PC really is, when its line only led there (a macro use, an
  // .include): a hint after the line's text.
  if (!current_where_.empty() && current_line_ - 1 >= first && current_line_ - 1 <= last &&
      current_line_ <= buf.line_count()) {
    const int l = current_line_ - 1;
    const float x = origin.x + x_of(l, int(buf.line(l).size())) + 2 * cw;
    const std::string hint = "<- " + current_where_;
    dl->AddText(font, font_size, ImVec2(x, origin.y + float(l) * lh + text_dy), palette_.pc_hint,
                hint.c_str());
  }

  // Diagnostics: a wavy underline from the column over the word there.
  for (const Diagnostic& d : diagnostics_) {
    const int l = d.line - 1;
    if (l < first || l > last || l >= buf.line_count()) continue;
    const std::string& line = buf.line(l);
    const int c0 = std::clamp(d.col - 1, 0, int(line.size()));
    int c1 = c0 + 1;
    if (c0 < int(line.size()) && editor::is_word_char(line[size_t(c0)]))
      while (c1 < int(line.size()) && editor::is_word_char(line[size_t(c1)])) ++c1;
    const float xa = origin.x + x_of(l, c0);
    const float xb =
        c0 < int(line.size()) ? origin.x + x_of(l, std::min(c1, int(line.size()))) : xa + cw;
    const float y = origin.y + float(l) * lh + text_dy + m_.font_h;
    ImVec2 pts[128];
    int n = 0;
    const float step = std::max(2.0f, cw * 0.5f);
    for (float x = xa; x <= xb && n < 128; x += step, ++n) pts[n] = ImVec2(x, n % 2 ? y + 2 : y);
    if (n >= 2) dl->AddPolyline(pts, n, palette_.error, 0, 1.0f);
  }

  // The caret, blinking as ImGui's own text fields do.
  if (focused_) {
    const ImGuiIO& io = ImGui::GetIO();
    const double t = ImGui::GetTime() - blink_start_;
    const bool on = !io.ConfigInputTextCursorBlink || t < 0.3 || std::fmod(t - 0.3, 1.2) <= 0.8;
    const TextPos c = sel.cursor;
    if (on && c.line >= first && c.line <= last) {
      const float x = std::floor(origin.x + x_of(c.line, c.col));
      const float y = origin.y + float(c.line) * lh;
      dl->AddRectFilled(ImVec2(x, y + 1), ImVec2(x + (read_only_ ? 1.0f : 2.0f), y + lh - 1),
                        palette_.cursor);
    }
  }
}

void CodeEditor::draw_gutter(ImDrawList* dl, ImVec2 origin, int first, int last, int hovered_line) {
  const ImRect view = ImGui::GetCurrentWindow()->InnerRect;
  const float gx = view.Min.x, lh = m_.line_h;
  dl->AddRectFilled(ImVec2(gx, view.Min.y), ImVec2(gx + m_.gutter_w, view.Max.y), palette_.gutter);
  dl->AddLine(ImVec2(gx + m_.gutter_w - 1, view.Min.y), ImVec2(gx + m_.gutter_w - 1, view.Max.y),
              palette_.gutter_border);
  const float text_dy = std::floor((lh - m_.font_h) * 0.5f);
  const int cursor_line = doc_.buffer().cursor().line;
  auto diag = diagnostics_.begin();
  for (int l = first; l <= last; ++l) {
    const float y = origin.y + float(l) * lh;
    const int number = l + 1;
    while (diag != diagnostics_.end() && diag->line < number) ++diag;
    const bool has_error = diag != diagnostics_.end() && diag->line == number;

    const ImVec2 center(gx + m_.bp_w * 0.5f, y + lh * 0.5f);
    const float r = std::max(3.0f, lh * 0.3f);
    if (doc_.breakpoints().count(number)) {
      dl->AddCircleFilled(center, r, palette_.breakpoint);
    } else if (l == hovered_line) {
      dl->AddCircleFilled(center, r, palette_.breakpoint_hover);
    }

    char digits[16];
    const int len = std::snprintf(digits, sizeof digits, "%d", number);
    const float nx = gx + m_.bp_w + m_.numbers_w - float(len) * m_.char_w;
    const ImU32 ncol = has_error          ? palette_.error
                       : l == cursor_line ? palette_.line_number_current
                                          : palette_.line_number;
    dl->AddText(ImVec2(nx, y + text_dy), ncol, digits, digits + len);

    const float mx = gx + m_.bp_w + m_.numbers_w + m_.char_w * 0.35f;
    if (number == current_line_) {
      const float h = lh * 0.32f;
      dl->AddTriangleFilled(ImVec2(mx, center.y - h), ImVec2(mx + m_.char_w, center.y),
                            ImVec2(mx, center.y + h), palette_.pc_arrow);
    } else if (has_error) {
      dl->AddRectFilled(ImVec2(mx, y + 2), ImVec2(mx + 3, y + lh - 2), palette_.error);
    }
  }
}

void CodeEditor::draw_tooltips(int line, float mouse_x, ImVec2 origin) {
  const int number = line + 1;
  const auto [lo, hi] =
      std::equal_range(diagnostics_.begin(), diagnostics_.end(), Diagnostic{number, 0, {}},
                       [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  if (lo != hi) {
    ImGui::BeginTooltip();
    for (auto it = lo; it != hi; ++it)
      ImGui::TextColored(ImColor(palette_.error).Value, "%d:%d: %s", it->line, it->col,
                         it->message.c_str());
    ImGui::EndTooltip();
    return;
  }
  const bool in_gutter = mouse_x < ImGui::GetCurrentWindow()->InnerRect.Min.x + m_.gutter_w;
  if (in_gutter && number == current_line_ && !current_where_.empty()) {
    ImGui::SetTooltip("pc: %s", current_where_.c_str());
    return;
  }
  // Over a mnemonic: what the ISA table says about it, including why it matters
  // to a VMM.
  if (in_gutter) return;
  const editor::TextBuffer& buf = doc_.buffer();
  const int col = buf.col_at_visual(line, int((mouse_x - origin.x - m_.text_x) / m_.char_w));
  editor::tokenize_line(buf.line(line), tokens_);
  for (const editor::Token& t : tokens_) {
    if (col < t.begin || col >= t.end) continue;
    const std::string word = buf.line(line).substr(size_t(t.begin), size_t(t.end - t.begin));
    std::string lower = word;
    for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    if (const isa::InsnInfo* insn = isa::find_mnemonic(lower);
        insn && (t.kind == TokenKind::Instruction || t.kind == TokenKind::Privileged ||
                 t.kind == TokenKind::VirtHole)) {
      ImGui::BeginTooltip();
      ImGui::Text("%s: %.*s", lower.c_str(), int(insn->summary.size()), insn->summary.data());
      if (insn->privileged()) {
        ImGui::TextColored(ImColor(palette_.token[size_t(TokenKind::Privileged)]).Value,
                           "privileged: faults in user mode, so a VMM can trap and emulate it");
      } else if (insn->virtualization_hole()) {
        ImGui::TextColored(ImColor(palette_.token[size_t(TokenKind::VirtHole)]).Value,
                           "sensitive but NOT privileged: runs without a trap in user mode");
      }
      ImGui::EndTooltip();
    } else if (t.kind == TokenKind::Pseudo) {
      for (const assembler::PseudoInsn& p : assembler::kPseudoInsns) {
        if (p.name != lower) continue;
        ImGui::BeginTooltip();
        ImGui::Text("pseudo-instruction %s %.*s", lower.c_str(), int(p.operands.size()),
                    p.operands.data());
        ImGui::TextDisabled("expands to: %.*s", int(p.expansion.size()), p.expansion.data());
        ImGui::EndTooltip();
      }
    }
    break;
  }
}

void CodeEditor::apply_scroll_request(float view_w, float view_h) {
  if (scroll_mode_ == ScrollMode::None) return;
  const editor::TextBuffer& buf = doc_.buffer();
  const bool follow_cursor = scroll_target_line_ < 0;
  const int line =
      std::min(follow_cursor ? buf.cursor().line : scroll_target_line_, buf.line_count() - 1);
  const float lh = m_.line_h;
  const float y = float(line) * lh;
  const float sy = ImGui::GetScrollY();
  const bool y_visible = y >= sy && y + lh <= sy + view_h;
  if (!y_visible) {
    if (scroll_mode_ == ScrollMode::Center) {
      ImGui::SetScrollY(std::max(0.0f, y - (view_h - lh) * 0.5f));
    } else {
      ImGui::SetScrollY(y < sy ? y : y + lh - view_h);
    }
  }
  bool x_visible = true;
  if (follow_cursor) {
    const float x = x_of(line, buf.cursor().col);
    const float sx = ImGui::GetScrollX();
    const float margin = 4 * m_.char_w;
    if (x < sx + m_.text_x) {
      x_visible = false;
      ImGui::SetScrollX(std::max(0.0f, x - m_.text_x - margin));
    } else if (x + m_.char_w > sx + view_w) {
      x_visible = false;
      ImGui::SetScrollX(x + margin - view_w);
    }
  }
  if ((y_visible && x_visible) || --scroll_tries_ <= 0) scroll_mode_ = ScrollMode::None;
}

}  // namespace trapeze::ui
