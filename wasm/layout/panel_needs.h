// The tiling's view of the panel table (panel_list.h): each open panel's
// minimum size in pixels for this font size and this many guests, its weight,
// priority and shape. No ImGui: the unit tests use the real table.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "layout/tiling.h"
#include "panel_list.h"

namespace trapeze::ui {

// `compact`: an embed, whose guests panel leaves out its speed and add-guest rows.
layout::PanelNeeds panel_needs(size_t panel, size_t guests, float em, bool compact = false);
// The open panels in table order.
std::vector<layout::PanelNeeds> panel_needs(const std::array<bool, kPanelCount>& open, size_t guests, float em,
                                            bool compact = false);

}  // namespace trapeze::ui
