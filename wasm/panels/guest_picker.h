// The editor's choice of guest: one row of radio buttons while they all fit the
// panel's width, else a combo listing every guest (a scenario may have 16), so
// each guest can be picked at any panel width.
#pragma once

namespace trapeze::ui {

struct AppContext;

// Draws the picker at the cursor; a choice sets ctx.selected.
void draw_guest_picker(AppContext& ctx);

}  // namespace trapeze::ui
