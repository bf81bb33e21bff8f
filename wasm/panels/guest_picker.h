// The editor's choice of guest: one row of radio buttons while they all fit the
// panel's width, else a combo listing every guest (a scenario may have 16), so
// each guest can be picked at any panel width.
#pragma once

#include <string>
#include <vector>

namespace trapeze::ui {

struct AppContext;

// Where the picker and its choices were drawn last frame, in screen pixels, for
// trapeze.editor() (tests click them): the row's buttons, or the combo and, while
// it is open, its entries.
struct GuestPickerSpots {
  struct Spot {
    int guest = -1;  // -1: the combo itself
    float x = 0, y = 0, w = 0, h = 0;
  };
  bool combo = false;
  std::vector<Spot> spots;
};

// Draws the picker at the cursor; a choice sets ctx.selected.
void draw_guest_picker(AppContext& ctx);

// The spots of the picker as last drawn.
const GuestPickerSpots& guest_picker_spots(AppContext& ctx);

}  // namespace trapeze::ui
