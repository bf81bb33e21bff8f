// The editor's guest picker (guest_picker.h): a row of radio buttons, or a combo
// when the row would run past the panel's right edge.
#include "guest_picker.h"

#include <imgui.h>

#include <algorithm>

#include "app_context.h"

namespace trapeze::ui {
namespace {

struct PickerView {
  GuestPickerSpots spots;  // as drawn last (the JS API reads it between frames)
};

PickerView& picker_view(AppContext& ctx) { return ctx.view<PickerView>(PanelId::editor); }

void record(GuestPickerSpots& out, int guest) {
  const ImVec2 a = ImGui::GetItemRectMin(), s = ImGui::GetItemRectSize();
  out.spots.push_back({guest, a.x, a.y, s.x, s.y});
}

std::string shown_name(const session::SessionGuest& g) { return g.spec.name + (g.dirty() ? "*" : ""); }

// The row's width: each radio button is its circle, a gap and its label.
float row_width(const session::Session& s) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float w = 0;
  for (size_t i = 0; i < s.guest_count(); ++i)
    w += (i ? st.ItemSpacing.x : 0) + ImGui::GetFrameHeight() + st.ItemInnerSpacing.x +
         ImGui::CalcTextSize(shown_name(s.guest(i)).c_str()).x;
  return w;
}

}  // namespace

void draw_guest_picker(AppContext& ctx) {
  const session::Session& s = ctx.session;
  GuestPickerSpots& out = picker_view(ctx).spots;
  out = {};
  out.combo = row_width(s) > ImGui::GetContentRegionAvail().x;
  const int cur = ctx.guest();
  if (!out.combo) {
    for (size_t i = 0; i < s.guest_count(); ++i) {
      if (i) ImGui::SameLine();
      const std::string label = shown_name(s.guest(i)) + "##pick" + std::to_string(i);
      if (ImGui::RadioButton(label.c_str(), cur == int(i))) ctx.selected = int(i);
      record(out, int(i));
    }
    return;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Guest");
  ImGui::SameLine();
  const float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 16);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  out.spots.push_back({-1, at.x, at.y, w, ImGui::GetFrameHeight()});
  ImGui::SetNextItemWidth(w);
  const std::string preview = cur < 0 ? "" : shown_name(s.guest(size_t(cur))) + "  (" + std::to_string(cur + 1) +
                                                 " of " + std::to_string(s.guest_count()) + ")";
  if (!ImGui::BeginCombo("##guest_pick", preview.c_str(), ImGuiComboFlags_HeightLargest)) return;
  for (size_t i = 0; i < s.guest_count(); ++i) {
    const std::string label = shown_name(s.guest(i)) + "##pick" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), cur == int(i))) ctx.selected = int(i);
    if (cur == int(i) && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
    record(out, int(i));
  }
  ImGui::EndCombo();
}

const GuestPickerSpots& guest_picker_spots(AppContext& ctx) { return picker_view(ctx).spots; }

}  // namespace trapeze::ui
