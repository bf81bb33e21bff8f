#include "panels/rewind_controls.h"

#include <imgui.h>

#include <algorithm>

#include "panels/widgets.h"
#include "session/rewind.h"

namespace trapeze::ui {

void rewind_buttons(AppContext& ctx) {
  session::Session& s = ctx.session;
  const int g = ctx.guest();
  const bool can = g >= 0 && s.rewind().available() &&
                   s.vmm()->guest(size_t(g)).executed > s.rewind().earliest(size_t(g));
  // Both on this line if they fit; a narrow panel (an embed) leaves them out rather
  // than give up a guest's row to a second line: the Run menu and Shift+F10 /
  // Shift+F5 still go back.
  const ImGuiStyle& st = ImGui::GetStyle();
  // (with room left for the Restart all button that follows them on the line)
  const float width = ImGui::CalcTextSize("Step backRun backRestart all").x + 6 * st.FramePadding.x +
                      2 * st.ItemSpacing.x;
  if (ImGui::GetContentRegionAvail().x < width) return;  // the caller's next SameLine() goes on
  ImGui::BeginDisabled(!can);
  if (ImGui::Button("Step back")) session::step_back(s, size_t(g));
  tooltip("Shift+F10: the selected guest goes back one instruction (the others to where they were then).");
  ImGui::SameLine();
  if (ImGui::Button("Run back")) session::run_back(s, size_t(g));
  tooltip("Shift+F5: the selected guest goes back to just before its previous trap, VM exit or console write.");
  ImGui::EndDisabled();
  if (!s.rewind().error().empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", s.rewind().error().c_str());
  }
}

ImU32 mark_colour(session::MarkKind k) {
  switch (k) {
    case session::MarkKind::Trap: return IM_COL32(230, 90, 70, 255);
    case session::MarkKind::Exit: return IM_COL32(240, 180, 60, 255);
    case session::MarkKind::Console: return IM_COL32(90, 170, 240, 255);
    case session::MarkKind::Strategy: return IM_COL32(180, 120, 230, 255);
  }
  return IM_COL32_WHITE;
}

void rewind_timeline(AppContext& ctx) {
  session::Session& s = ctx.session;
  const int g = ctx.guest();
  if (g < 0 || !s.rewind().available()) return;
  const size_t i = size_t(g);
  const uint64_t first = s.rewind().earliest(i), now = s.vmm()->guest(i).executed;
  if (now <= first) return;  // no past to go back to yet: no strip
  const float w = std::max(ImGui::GetContentRegionAvail().x, 50.0f), h = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##timeline", ImVec2(w, h));
  ImDrawList* d = ImGui::GetWindowDrawList();
  d->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_FrameBg));
  const double span = double(std::max<uint64_t>(1, now - first));
  auto x_of = [&](uint64_t n) { return p.x + float(double(n - std::min(n, first)) / span) * (w - 1); };
  for (const session::TimelineMark& m : s.rewind().timeline(i, 2048))
    d->AddLine(ImVec2(x_of(m.executed), p.y), ImVec2(x_of(m.executed), p.y + h), mark_colour(m.kind));
  d->AddLine(ImVec2(p.x + w - 1, p.y), ImVec2(p.x + w - 1, p.y + h), IM_COL32_WHITE, 2);
  if (ImGui::IsItemHovered()) {
    const double f = std::clamp((ImGui::GetIO().MousePos.x - p.x) / w, 0.0f, 1.0f);
    ImGui::SetTooltip("instruction %s of %s (traps red, exits amber, output blue, switches violet): "
                      "click to go back there",
                      grouped(first + uint64_t(f * span)).c_str(), grouped(now).c_str());
  }
  // Released after a click or a drag: one scrub (going back runs the guest again).
  if (ImGui::IsItemDeactivated()) {
    const double f = std::clamp((ImGui::GetIO().MousePos.x - p.x) / w, 0.0f, 1.0f);
    const uint64_t target = first + uint64_t(f * span);
    if (target < now) s.rewind().go_to(s, i, target);
  }
}

}  // namespace trapeze::ui
