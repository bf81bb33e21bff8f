// The layout's state, kept in the AppContext: the tiling of the open panels,
// whether it still follows the window (no move, resize or opened panel since
// the last reset: it is then rebuilt for each new window size), the tiles of
// this frame, and what was measured while drawing (for trapeze.layout()).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "layout/tiling.h"
#include "panel_list.h"

namespace trapeze::ui {

// Tiled: the desktop app; Compact: an embed (no menu bar, fixed tiles);
// Phone: a narrow window, one panel at a time under a tab bar.
enum class LayoutMode { Tiled, Compact, Phone };

struct LayoutState {
  LayoutMode mode = LayoutMode::Tiled;
  bool touch_sized = false;  // a phone-width window: one panel at a time and no editing by touch
  layout::Tiling tiling;
  bool follows_window = true;
  layout::Rect area;                       // the work area the tiles fill
  std::vector<layout::PanelNeeds> needs;   // of the open panels
  std::vector<layout::Placed> tiles;
  std::array<layout::Rect, kPanelCount> applied{};  // what each window was last set to
  std::array<layout::Rect, kPanelCount> seen{};     // where each window was drawn
  std::array<bool, kPanelCount> drawn{};            // this frame
  int phone_tab = 0;                  // the panel shown on a phone
  const char* bar_name = nullptr;     // "tab_bar" / "run_bar" when one is drawn
  layout::Rect bar;                   // where it was drawn
  int bar_height = 0;                 // measured, for the next frame's work area
  int panels_bottom = 1 << 30;        // the panels end here (above an embed's floating link)
  int rows_in_panel = 0, rows_in_bar = 0;  // guest rows fully visible, counted this frame
  int guest_rows_visible = 0;              // the last frame's count
  struct MenuSpot {
    std::string title;
    int x, y;  // the item's centre
  };
  std::vector<MenuSpot> menu_spots, menu_spots_shown;  // View menu items: this frame's, the last frame's
  int menu_end = 0;  // x just after the menu bar's last menu: the page's toolbar starts there
};

}  // namespace trapeze::ui
