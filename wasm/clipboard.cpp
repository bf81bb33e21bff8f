// The system clipboard bridge (clipboard.h). The desktop keeps SDL's clipboard;
// everything below the first namespace is the browser's side.
#include "clipboard.h"

#include <SDL.h>
#include <imgui.h>

#include <deque>
#include <utility>

#include "js_export.h"

namespace trapeze::ui::clipboard {
namespace {

// A shortcut to press for one frame; a paste carries the text it pastes.
struct Command {
  ImGuiKey key;
  bool sets_text = false;
  std::string text;
};

struct Bridge {
  std::string offer;            // what a copy takes now
  std::string text;             // the clipboard as the app sees it
  std::deque<Command> queue;    // one per two frames: pressed, then released
  int pressed = -1;             // the key index held down this frame
};

Bridge& bridge() {
  static Bridge b;
  return b;
}

#ifdef __EMSCRIPTEN__
const char* get_text(void*) { return bridge().text.c_str(); }

// The app copied (a shortcut or a menu's Copy): keep it, and hand it to the page
// to put on the system clipboard.
void set_text(void*, const char* text) {
  bridge().text = text ? text : "";
  EM_ASM({ if (window.trapezeClipboard) window.trapezeClipboard.written(UTF8ToString($0)); },
         bridge().text.c_str());
}

void enqueue(ImGuiKey key, bool sets_text = false, std::string text = {}) {
  bridge().queue.push_back({key, sets_text, std::move(text)});
}
#endif

}  // namespace

void install() {
#ifdef __EMSCRIPTEN__
  ImGuiIO& io = ImGui::GetIO();
  io.GetClipboardTextFn = get_text;
  io.SetClipboardTextFn = set_text;
  io.ClipboardUserData = nullptr;
#endif
}

void before_new_frame() {
  Bridge& b = bridge();
  b.offer.clear();
  ImGuiIO& io = ImGui::GetIO();
  if (b.pressed >= 0) {
    // Released; the modifiers go back to what the keyboard holds.
    io.KeysDown[b.pressed] = false;
    b.pressed = -1;
    const SDL_Keymod mods = SDL_GetModState();
    io.KeyCtrl = (mods & KMOD_CTRL) != 0;
    io.KeyShift = (mods & KMOD_SHIFT) != 0;
    io.KeyAlt = (mods & KMOD_ALT) != 0;
    io.KeySuper = (mods & KMOD_GUI) != 0;
    return;
  }
  if (b.queue.empty()) return;
  Command c = std::move(b.queue.front());
  b.queue.pop_front();
  if (c.sets_text) b.text = std::move(c.text);
  const int key = io.KeyMap[c.key];
  if (key < 0 || key >= int(IM_ARRAYSIZE(io.KeysDown))) return;
  // Exactly Ctrl+key, whatever else is held (ImGui's and the editor's shortcut test).
  io.KeysDown[key] = true;
  io.KeyCtrl = true;
  io.KeyShift = io.KeyAlt = io.KeySuper = false;
  b.pressed = key;
}

void offer_selection(std::string text) { bridge().offer = std::move(text); }

}  // namespace trapeze::ui::clipboard

#ifdef __EMSCRIPTEN__
using trapeze::ui::clipboard::bridge;
using trapeze::ui::clipboard::enqueue;

// The page's paste event: `text` becomes the clipboard and is pasted into the
// widget that has the keyboard.
TRAPEZE_EXPORT void trapeze_clipboard_paste(const char* text) {
  enqueue(ImGuiKey_V, true, text ? text : "");
}

// The page's copy (cut = 0) or cut (cut = 1) event: returns what to put on the
// system clipboard now ("" if no widget offers a selection) and lets the widget
// copy or cut for itself on the next frame.
TRAPEZE_EXPORT const char* trapeze_clipboard_copy(int cut) {
  static std::string out;
  out = bridge().offer;
  enqueue(cut ? ImGuiKey_X : ImGuiKey_C);
  return out.c_str();
}

// Ctrl+`key` ('c', 'x' or 'v') for a shortcut the browser answered with no
// clipboard event: the app copies, cuts or pastes with its own clipboard.
TRAPEZE_EXPORT void trapeze_clipboard_shortcut(int key) {
  if (key == 'c') enqueue(ImGuiKey_C);
  if (key == 'x') enqueue(ImGuiKey_X);
  if (key == 'v') enqueue(ImGuiKey_V);
}

// The system clipboard's text, read by the page where the browser allows it, so
// that a menu's Paste inside the app sees what was copied outside it.
TRAPEZE_EXPORT void trapeze_clipboard_set(const char* text) { bridge().text = text ? text : ""; }
#endif
