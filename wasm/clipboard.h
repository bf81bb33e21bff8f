// The system clipboard for ImGui: the code editor's Ctrl+C / Ctrl+X / Ctrl+V and
// every ImGui text field's.
//
// Desktop: SDL's clipboard is the system's, so the SDL backend's hooks stay.
// Browser: the clipboard of Emscripten's SDL port lives inside the app, so the
// page bridges it (web/trapeze-clipboard.js). It lets Ctrl+C / X / V reach the
// browser, which answers with the document's copy / cut / paste events; those
// carry the system clipboard's text (no permission needed) and call the
// trapeze_clipboard_* functions in clipboard.cpp. A paste stores the text and
// presses Ctrl+V for one frame, so the focused widget pastes it as if typed;
// a copy answers at once with the focused editor's selection (offered below)
// and presses Ctrl+C, so the widget does its own copy too. Text the app puts on
// its clipboard (a menu's Copy) goes out through navigator.clipboard where the
// browser allows it. Pasted text is only ever inserted as text.
#pragma once

#include <string>

namespace trapeze::ui::clipboard {

// After the ImGui SDL backend is initialised: in the browser, ImGui's clipboard
// hooks go to the page's bridge.
void install();

// Every frame after the backend's NewFrame and before ImGui::NewFrame: releases
// the key pressed last frame and presses the next queued one.
void before_new_frame();

// What a copy would take right now: the selection of the widget that has the
// keyboard (the code editor), offered while it draws; an offer lasts until the
// next frame. (A copy of the text, not a view of the widget, so that nothing
// dangles when an editor goes away between frames; selections are small.)
void offer_selection(std::string text);

}  // namespace trapeze::ui::clipboard
