// The editor's guest picker (guest_picker.h): a row of radio buttons, or a combo
// when the row would run past the panel's right edge.
#include "guest_picker.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app_context.h"

namespace trapeze::ui {
namespace {

// "name*##pickN" (the star when its source is edited): the label of guest i's
// choice; ImGui shows what comes before the "##".
struct Label {
  char text[160];
  Label(const session::Session& s, size_t i) {
    const session::SessionGuest& g = s.guest(i);
    std::snprintf(text, sizeof text, "%.120s%s##pick%zu", g.spec.name.c_str(), g.dirty() ? "*" : "", i);
  }
};

// The row's width: each radio button is its circle, a gap and its label.
float row_width(const session::Session& s) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float w = 0;
  for (size_t i = 0; i < s.guest_count(); ++i)
    w += (i ? st.ItemSpacing.x : 0) + ImGui::GetFrameHeight() + st.ItemInnerSpacing.x +
         ImGui::CalcTextSize(Label(s, i).text, nullptr, true).x;
  return w;
}

}  // namespace

void draw_guest_picker(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int cur = ctx.guest();
  if (row_width(s) <= ImGui::GetContentRegionAvail().x) {
    for (size_t i = 0; i < s.guest_count(); ++i) {
      if (i) ImGui::SameLine();
      if (ImGui::RadioButton(Label(s, i).text, cur == int(i))) ctx.selected = int(i);
    }
    return;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Guest");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 16));
  char preview[192] = "";
  if (cur >= 0)
    std::snprintf(preview, sizeof preview, "%.120s%s  (%d of %zu)", s.guest(size_t(cur)).spec.name.c_str(),
                  s.guest(size_t(cur)).dirty() ? "*" : "", cur + 1, s.guest_count());
  if (!ImGui::BeginCombo("##guest_pick", preview, ImGuiComboFlags_HeightLargest)) return;
  for (size_t i = 0; i < s.guest_count(); ++i) {
    if (ImGui::Selectable(Label(s, i).text, cur == int(i))) ctx.selected = int(i);
    if (cur == int(i) && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
  }
  ImGui::EndCombo();
}

}  // namespace trapeze::ui
