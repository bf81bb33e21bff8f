#include "line_field.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "appearance.h"
#include "text/escape.h"

namespace trapeze::ui {
namespace {

// The paste to put in this frame: what fits of the clipboard, and its whole size.
struct CutPaste {
  std::string part;
  size_t whole = 0;
};

// After ImGui's own (refused) paste: inserts what fits at the cursor.
int insert_cut(ImGuiInputTextCallbackData* d) {
  auto* cut = static_cast<CutPaste*>(d->UserData);
  if (cut->whole == 0 || cut->part.empty()) return 0;
  d->InsertChars(d->CursorPos, cut->part.data(), cut->part.data() + cut->part.size());
  cut->part.clear();
  return 0;
}

// Whether field `id` has the keyboard and a paste is pressed, as InputText sees it.
bool paste_pressed(ImGuiID id) {
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::GetActiveID() != id) return false;
  const bool shortcut = io.KeyMods == (io.ConfigMacOSXBehaviors ? ImGuiKeyModFlags_Super : ImGuiKeyModFlags_Ctrl);
  return (shortcut && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_V))) ||
         (io.KeyMods == ImGuiKeyModFlags_Shift && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Insert)));
}

// The clipboard's text as a one-line field takes it (no control characters), cut
// to `room` bytes at a character's start; `whole` gets its full size.
CutPaste cut_clipboard(size_t room) {
  CutPaste cut;
  const char* clip = ImGui::GetClipboardText();
  if (!clip) return cut;
  std::string text;
  for (const char* p = clip; *p; ++p)
    if (static_cast<unsigned char>(*p) >= 0x20) text += *p;
  if (text.size() <= room) return cut;  // it fits: ImGui pastes it itself
  cut.whole = text.size();
  cut.part = text.substr(0, text::utf8_cut(text, room));
  return cut;
}

}  // namespace

bool line_field(const char* label, const char* hint, char* buf, size_t size, std::string& note) {
  const ImGuiID id = ImGui::GetID(label);
  CutPaste cut;
  if (paste_pressed(id)) {
    if (const ImGuiInputTextState* st = ImGui::GetInputTextState(id)) {
      // The room the paste has: the free bytes, and the selection it replaces.
      const int a = std::min(st->Stb.select_start, st->Stb.select_end);
      const int b = std::max(st->Stb.select_start, st->Stb.select_end);
      const size_t selected = size_t(ImTextCountUtf8BytesFromStr(st->TextW.Data + a, st->TextW.Data + b));
      cut = cut_clipboard(size - 1 - std::min(size - 1, size_t(st->CurLenA)) + selected);
    }
  }
  const bool changed = ImGui::InputTextWithHint(label, hint, buf, size, ImGuiInputTextFlags_CallbackAlways,
                                                insert_cut, &cut);
  if (cut.whole > 0) {
    char text[160];
    std::snprintf(text, sizeof text, "Pasted only the first %zu of %zu bytes: this field holds at most %zu.",
                  std::strlen(buf), cut.whole, size - 1);
    note = text;
  } else if (changed) {
    note.clear();
  }
  if (!note.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().bad);
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
  return changed || cut.whole > 0;
}

}  // namespace trapeze::ui
