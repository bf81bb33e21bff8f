#include "layout/panel_needs.h"

#include <cmath>

namespace trapeze::ui {

namespace {
// The guests panel's speed row, add-guest row and a status line, left out in
// embeds (panels/guests.cpp), in ems.
constexpr float kCompactGuestsSaves = 4.5f;
}  // namespace

layout::PanelNeeds panel_needs(size_t panel, size_t guests, float em, bool compact) {
  const PanelInfo& p = kPanels[panel];
  const float g = float(guests);
  const float saved = compact && p.id == PanelId::guests ? kCompactGuestsSaves : 0;
  return layout::PanelNeeds{int(panel), int(std::ceil((p.min_w + p.w_per_guest * g) * em)),
                            int(std::ceil((p.min_h + p.h_per_guest * g - saved) * em)), p.weight, p.priority,
                            p.shape == PanelShape::Short};
}

std::vector<layout::PanelNeeds> panel_needs(const std::array<bool, kPanelCount>& open, size_t guests, float em,
                                            bool compact) {
  std::vector<layout::PanelNeeds> out;
  for (size_t i = 0; i < kPanelCount; ++i)
    if (open[i]) out.push_back(panel_needs(i, guests, em, compact));
  return out;
}

}  // namespace trapeze::ui
