// The layout on screen: puts each open panel's window on its tile of the
// tiling (layout_state.h), re-tiles when the window or the open panels change,
// turns the student's moves and resizes into the tiling (a resize moves the
// split lines, a panel dropped on another swaps with it), and draws the bars of
// the small layouts: on a phone a tab bar (one panel at a time) with the run
// controls, in an embed without the Guests panel a Run/Step/Restart bar.
// app.cpp calls these around each panel's Begin/End.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>

namespace trapeze::ui {

struct AppContext;

// Before the panels: mode, work area, tiles, and the bar if the mode has one.
void layout_begin_frame(AppContext& ctx);
// False if the panel is not shown this frame (a phone shows one at a time).
bool layout_shows(const AppContext& ctx, size_t panel);
// Before Begin: places the window on its tile when it must move there.
void layout_place(AppContext& ctx, size_t panel);
ImGuiWindowFlags layout_window_flags(const AppContext& ctx);
// Inside Begin: notes where the window is (touch-drag scrolls it on a phone).
void layout_note_window(AppContext& ctx, size_t panel);
void layout_end_frame(AppContext& ctx);

// The guests panel reports each guest row (from its top-left to the bottom-right
// of its Run button); rows fully visible are counted for trapeze.layout().
void layout_note_guest_row(AppContext& ctx, ImVec2 min, ImVec2 max);

// The menu bar reports where its View menu and items are (the last item drawn).
void layout_note_menu_item(AppContext& ctx, const char* title);

// {"width","height","mode","panels":[{"name","x","y","w","h"}],"hidden":[names],"guestRowsVisible",
//  "viewMenu":[{"title","x","y","open"}] (the View menu's items as drawn last frame)}
std::string layout_json(const AppContext& ctx);

}  // namespace trapeze::ui
