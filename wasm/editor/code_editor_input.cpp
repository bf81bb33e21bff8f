// CodeEditor: keyboard, mouse, clipboard and find commands.
//
// Input comes from ImGui 1.86's IO: io.InputQueueCharacters for text, named
// ImGuiKey_ values through GetKeyIndex/IsKeyPressed for editing keys (with key
// repeat), io.KeyCtrl/KeyShift for modifiers, and ImGui's clipboard functions
// (which the SDL backend maps to the system clipboard).
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "code_editor.h"

namespace trapeze::ui {

using editor::EditKind;
using editor::TextPos;

namespace {

bool key_pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

// One UTF-8 sequence for a character from the input queue (ImWchar is 16 bits
// in ImGui 1.86's default build; lone surrogates are dropped).
std::string utf8(unsigned c) {
  std::string s;
  if (c < 0x80) {
    s.push_back(char(c));
  } else if (c < 0x800) {
    s.push_back(char(0xC0 | (c >> 6)));
    s.push_back(char(0x80 | (c & 0x3F)));
  } else if (c < 0xD800 || c > 0xDFFF) {
    s.push_back(char(0xE0 | (c >> 12)));
    s.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(char(0x80 | (c & 0x3F)));
  }
  return s;
}

}  // namespace

void CodeEditor::reset_blink() { blink_start_ = ImGui::GetTime(); }

void CodeEditor::activate(ImGuiWindow* window) {
  ImGuiContext& g = *GImGui;
  if (g.ActiveId != text_id_) {
    ImGui::SetActiveID(text_id_, window);
    ImGui::SetFocusID(text_id_, window);
    ImGui::FocusWindow(window);
  }
  // The keys we handle ourselves, so ImGui's keyboard navigation leaves them
  // alone while we are active (the same declaration InputText makes).
  g.ActiveIdUsingNavDirMask |=
      (1 << ImGuiDir_Left) | (1 << ImGuiDir_Right) | (1 << ImGuiDir_Up) | (1 << ImGuiDir_Down);
  g.ActiveIdUsingNavInputMask |= (1 << ImGuiNavInput_Cancel);
  g.ActiveIdUsingKeyInputMask |= (ImU64(1) << ImGuiKey_Home) | (ImU64(1) << ImGuiKey_End) |
                                 (ImU64(1) << ImGuiKey_PageUp) | (ImU64(1) << ImGuiKey_PageDown) |
                                 (ImU64(1) << ImGuiKey_Tab);
  // Other widgets stay hoverable and clickable while the editor has the keyboard.
  g.ActiveIdAllowOverlap = true;
  focused_ = true;
  reset_blink();
}

TextPos CodeEditor::pos_at(ImVec2 mouse, ImVec2 origin) const {
  const editor::TextBuffer& buf = doc_.buffer();
  const int line =
      std::clamp(int(std::floor((mouse.y - origin.y) / m_.line_h)), 0, buf.line_count() - 1);
  const int vcol = std::max(0, int(std::lround((mouse.x - origin.x - m_.text_x) / m_.char_w)));
  return {line, buf.col_at_visual(line, vcol)};
}

bool CodeEditor::commit(std::optional<editor::Edit> edit, EditKind kind) {
  if (!doc_.commit(std::move(edit), kind, ImGui::GetTime())) return false;
  request_scroll(ScrollMode::KeepVisible);
  reset_blink();
  return true;
}

void CodeEditor::handle_mouse(ImVec2 origin, bool hovered, float gutter_right) {
  ImGuiIO& io = ImGui::GetIO();
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  editor::TextBuffer& buf = doc_.buffer();
  const ImVec2 mouse = io.MousePos;
  const bool in_gutter = hovered && mouse.x < gutter_right;
  if (hovered)
    ImGui::SetMouseCursor(in_gutter ? ImGuiMouseCursor_Hand : ImGuiMouseCursor_TextInput);

  if (hovered && io.MouseClicked[0]) {
    if (in_gutter) {
      const int line = int(std::floor((mouse.y - origin.y) / m_.line_h));
      if (line >= 0 && line < buf.line_count()) doc_.toggle_breakpoint(line + 1);
      return;
    }
    activate(window);
    const TextPos p = pos_at(mouse, origin);
    const int clicks = io.MouseClickedCount[0];
    if (clicks == 2) {
      buf.select_word_at(p);
    } else if (clicks >= 3) {
      buf.select_line(p.line);
    } else {
      buf.set_cursor(p, io.KeyShift);
      dragging_ = true;
    }
    doc_.close_undo_step();
  } else if (hovered && io.MouseClicked[1] && !in_gutter) {
    activate(window);
    const TextPos p = pos_at(mouse, origin);
    const editor::Selection& s = buf.selection();
    if (s.empty() || p < s.begin() || s.end() < p) buf.set_cursor(p);
    ImGui::OpenPopup("##context");
  } else if (focused_ && (io.MouseClicked[0] || io.MouseClicked[1]) && !hovered) {
    // A click anywhere else takes the keyboard away, as it does from InputText.
    ImGui::ClearActiveID();
    focused_ = false;
  }

  if (dragging_) {
    if (!io.MouseDown[0]) {
      dragging_ = false;
    } else {
      buf.set_cursor(pos_at(mouse, origin), true);
      // Dragging past an edge scrolls that way.
      const ImRect view = window->InnerRect;
      if (mouse.y < view.Min.y) ImGui::SetScrollY(ImGui::GetScrollY() - m_.line_h);
      if (mouse.y > view.Max.y) ImGui::SetScrollY(ImGui::GetScrollY() + m_.line_h);
      if (mouse.x < view.Min.x + m_.gutter_w) ImGui::SetScrollX(ImGui::GetScrollX() - m_.char_w);
      if (mouse.x > view.Max.x) ImGui::SetScrollX(ImGui::GetScrollX() + m_.char_w);
      reset_blink();
    }
  }
}

void CodeEditor::handle_keyboard(float view_h) {
  ImGuiIO& io = ImGui::GetIO();
  editor::TextBuffer& buf = doc_.buffer();
  const bool shift = io.KeyShift;
  const bool ctrl = io.ConfigMacOSXBehaviors ? io.KeySuper : io.KeyCtrl;
  const bool word_mod = io.ConfigMacOSXBehaviors ? io.KeyAlt : io.KeyCtrl;  // word-wise moves
  const bool shortcut = ctrl && !io.KeyAlt;
  const int page = std::max(1, int(view_h / m_.line_h) - 1);

  // Text first, as InputText does, so "a" then Enter in one frame stays in order.
  // Ctrl+letter is a shortcut, never text (AltGr arrives as Ctrl+Alt and is text).
  if (!shortcut && !read_only_) {
    for (const ImWchar c : io.InputQueueCharacters) {
      if (c < 0x20 || c == 0x7F) continue;  // Tab, Enter and friends come as keys
      const EditKind kind = buf.has_selection() ? EditKind::Other : EditKind::Typing;
      commit(buf.insert(utf8(c)), kind);
    }
  }
  io.InputQueueCharacters.resize(0);

  bool moved = true;  // the cursor moved without editing
  if (shortcut && key_pressed(ImGuiKey_Z)) {
    moved = false;
    if (shift) {
      redo();
    } else {
      undo();
    }
  } else if (shortcut && key_pressed(ImGuiKey_Y)) {
    moved = false;
    redo();
  } else if (shortcut && key_pressed(ImGuiKey_A)) {
    buf.select_all();
  } else if (shortcut && key_pressed(ImGuiKey_C)) {
    moved = false;
    copy();
  } else if (shortcut && key_pressed(ImGuiKey_X)) {
    moved = false;
    cut();
  } else if (shortcut && key_pressed(ImGuiKey_V)) {
    moved = false;
    paste();
  } else if (shortcut && find_key_index() >= 0 && ImGui::IsKeyPressed(find_key_index(), false)) {
    moved = false;
    open_find();
  } else if (key_pressed(ImGuiKey_UpArrow)) {
    buf.move_vertical(-1, shift);
  } else if (key_pressed(ImGuiKey_DownArrow)) {
    buf.move_vertical(1, shift);
  } else if (key_pressed(ImGuiKey_LeftArrow)) {
    buf.move_left(shift, word_mod);
  } else if (key_pressed(ImGuiKey_RightArrow)) {
    buf.move_right(shift, word_mod);
  } else if (key_pressed(ImGuiKey_PageUp)) {
    buf.move_vertical(-page, shift);
  } else if (key_pressed(ImGuiKey_PageDown)) {
    buf.move_vertical(page, shift);
  } else if (key_pressed(ImGuiKey_Home)) {
    if (ctrl) {
      buf.move_to_start(shift);
    } else {
      buf.move_home(shift);
    }
  } else if (key_pressed(ImGuiKey_End)) {
    if (ctrl) {
      buf.move_to_end(shift);
    } else {
      buf.move_end(shift);
    }
  } else if (key_pressed(ImGuiKey_Escape)) {
    if (find_open_) {
      close_find();
    } else {
      buf.set_cursor(buf.cursor());
    }
  } else {
    moved = false;
    if (!read_only_) {
      const EditKind deleting = buf.has_selection() ? EditKind::Other : EditKind::Deleting;
      if (key_pressed(ImGuiKey_Backspace)) {
        commit(buf.backspace(word_mod), deleting);
      } else if (key_pressed(ImGuiKey_Delete)) {
        commit(buf.delete_forward(word_mod), deleting);
      } else if ((key_pressed(ImGuiKey_Enter) || key_pressed(ImGuiKey_KeyPadEnter)) && !ctrl &&
                 !io.KeyAlt) {
        // Ctrl+Enter is left to the application (assemble and reload).
        commit(buf.newline(), EditKind::Other);
      } else if (key_pressed(ImGuiKey_Tab) && !ctrl && !io.KeyAlt) {
        commit(shift ? buf.outdent() : buf.indent(), EditKind::Other);
      }
    }
  }
  if (moved) {
    doc_.close_undo_step();
    request_scroll(ScrollMode::KeepVisible);
    reset_blink();
  }
}

void CodeEditor::handle_context_menu() {
  if (!ImGui::BeginPopup("##context")) return;
  const editor::TextBuffer& buf = doc_.buffer();
  const bool editable = !read_only_;
  bool acted = false;
  if (ImGui::MenuItem("Undo", "Ctrl+Z", false, editable && doc_.can_undo())) {
    undo();
    acted = true;
  }
  if (ImGui::MenuItem("Redo", "Ctrl+Y", false, editable && doc_.can_redo())) {
    redo();
    acted = true;
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Cut", "Ctrl+X", false, editable && buf.has_selection())) {
    cut();
    acted = true;
  }
  if (ImGui::MenuItem("Copy", "Ctrl+C", false, buf.has_selection())) {
    copy();
    acted = true;
  }
  if (ImGui::MenuItem("Paste", "Ctrl+V", false, editable)) {
    paste();
    acted = true;
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Select all", "Ctrl+A")) {
    doc_.buffer().select_all();
    acted = true;
  }
  if (ImGui::MenuItem("Find", find_key_index() >= 0 ? "Ctrl+F" : nullptr)) {
    open_find();
  }
  if (ImGui::MenuItem("Toggle breakpoint")) {
    doc_.toggle_breakpoint(buf.cursor().line + 1);
    acted = true;
  }
  ImGui::EndPopup();
  if (acted) focus_requested_ = true;
}

bool CodeEditor::undo() {
  if (read_only_ || !doc_.undo()) return false;
  request_scroll(ScrollMode::KeepVisible);
  reset_blink();
  return true;
}

bool CodeEditor::redo() {
  if (read_only_ || !doc_.redo()) return false;
  request_scroll(ScrollMode::KeepVisible);
  reset_blink();
  return true;
}

void CodeEditor::copy() {
  const editor::TextBuffer& buf = doc_.buffer();
  if (buf.has_selection()) ImGui::SetClipboardText(buf.selected_text().c_str());
}

void CodeEditor::cut() {
  if (read_only_ || !doc_.buffer().has_selection()) return;
  copy();
  commit(doc_.buffer().erase_selection(), EditKind::Other);
}

void CodeEditor::paste() {
  if (read_only_) return;
  const char* text = ImGui::GetClipboardText();
  if (text && *text) commit(doc_.buffer().insert(text), EditKind::Other);
}

void CodeEditor::open_find() {
  const editor::TextBuffer& buf = doc_.buffer();
  const editor::Selection& s = buf.selection();
  if (!s.empty() && s.begin().line == s.end().line) {
    needle_ = buf.selected_text();
    std::snprintf(find_input_.data(), find_input_.size(), "%s", needle_.c_str());
  }
  find_open_ = true;
  find_focus_input_ = true;
}

void CodeEditor::close_find() { find_open_ = false; }

void CodeEditor::find_step(bool forward) {
  refresh_search();
  const editor::Selection& s = doc_.buffer().selection();
  const int current = search_.index_of(s);
  int next = -1;
  if (forward) {
    next = search_.next_from(current >= 0 ? s.end() : s.begin());
  } else {
    next = search_.previous_from(s.begin());
  }
  if (next >= 0) select_match(next);
}

void CodeEditor::select_match(int index) {
  const editor::Match& m = search_.matches()[size_t(index)];
  doc_.buffer().set_selection(m.begin, m.end);
  doc_.close_undo_step();
  request_scroll(ScrollMode::Center);
}

int CodeEditor::find_key_index() const {
  // ImGui 1.86 names only the letters A, C, V, X, Y and Z. Backends that number
  // the letter keys contiguously (SDL's scancodes are USB HID usages, GLFW's
  // keys are ASCII) let us find F from A; check that the backend does.
  const ImGuiIO& io = ImGui::GetIO();
  const int a = io.KeyMap[ImGuiKey_A];
  if (a < 0 || io.KeyMap[ImGuiKey_C] != a + 2 || io.KeyMap[ImGuiKey_V] != a + 21 ||
      io.KeyMap[ImGuiKey_X] != a + 23 || io.KeyMap[ImGuiKey_Y] != a + 24 ||
      io.KeyMap[ImGuiKey_Z] != a + 25)
    return -1;
  return a + ('F' - 'A');
}

}  // namespace trapeze::ui
