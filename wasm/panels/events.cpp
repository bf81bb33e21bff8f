// The VMM's event log as a timeline: newest last, filterable by kind, by guest
// and by text; each event explained in a line (vmm/event_log.h describe()).
#include <imgui.h>

#include <cstring>

#include "appearance.h"
#include "app_context.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

constexpr vmm::EventKind kKinds[] = {
#define TRAPEZE_EVENT_KIND(NAME, name, data) vmm::EventKind::NAME,
    TRAPEZE_VMM_EVENTS(TRAPEZE_EVENT_KIND)
#undef TRAPEZE_EVENT_KIND
};

}  // namespace

void draw_events_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  if (!s.loaded()) return;
  const vmm::EventLog& log = s.vmm()->events();
  if (ImGui::BeginCombo("##kinds", "kinds", ImGuiComboFlags_NoPreview)) {
    for (vmm::EventKind k : kKinds)
      ImGui::Checkbox(std::string(vmm::event_kind_name(k)).c_str(), &ctx.event_kinds_shown[size_t(k)]);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  const std::string who = ctx.event_guest < 0 ? "all guests" : s.guest(size_t(std::min<int>(ctx.event_guest, int(s.guest_count()) - 1))).spec.name;
  if (ImGui::BeginCombo("##guest", who.c_str())) {
    if (ImGui::Selectable("all guests", ctx.event_guest < 0)) ctx.event_guest = -1;
    for (size_t i = 0; i < s.guest_count(); ++i)
      if (ImGui::Selectable(s.guest(i).spec.name.c_str(), ctx.event_guest == int(i))) ctx.event_guest = int(i);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##text", "filter text", ctx.event_text, sizeof ctx.event_text);
  ImGui::TextDisabled("%s events, %s dropped (ring of %zu)", grouped(log.total()).c_str(),
                      grouped(log.dropped()).c_str(), log.capacity());

  // Filter first (the ring holds at most a few thousand), then draw the visible ones.
  std::vector<size_t> shown;
  shown.reserve(log.size());
  const bool text = ctx.event_text[0] != 0;
  for (size_t k = 0; k < log.size(); ++k) {
    const vmm::Event& e = log.at(k);
    if (!ctx.event_kinds_shown[size_t(e.kind)]) continue;
    if (ctx.event_guest >= 0 && e.guest != ctx.event_guest) continue;
    if (text && vmm::describe(e).find(ctx.event_text) == std::string::npos &&
        std::string(vmm::event_kind_name(e.kind)).find(ctx.event_text) == std::string::npos)
      continue;
    shown.push_back(k);
  }
  ImGui::BeginChild("timeline", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGuiListClipper clip;
  clip.Begin(int(shown.size()));
  while (clip.Step()) {
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const vmm::Event& e = log.at(shown[size_t(r)]);
      const ImU32 c = e.guest < 64 ? guest_colour(e.guest) : palette().plot_text;
      ImGui::PushStyleColor(ImGuiCol_Text, c);
      ImGui::Text("%12s %-3s", grouped(e.host_cycle).c_str(), e.guest < s.guest_count() ? std::to_string(e.guest).c_str() : "-");
      ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::Text("%-16s %08X  %s", std::string(vmm::event_kind_name(e.kind)).c_str(), e.pc, vmm::describe(e).c_str());
    }
  }
  if (ctx.event_follow && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace trapeze::ui
