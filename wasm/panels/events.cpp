// The VMM's event log as a timeline: newest last, filterable by kind, by guest
// and by text; each event explained in a line (vmm/event_log.h describe()).
#include <imgui.h>

#include <array>
#include <cstring>
#include <string>

#include "appearance.h"
#include "app_context.h"
#include "panels/line_field.h"
#include "panels/rewind_controls.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

constexpr vmm::EventKind kKinds[] = {
#define TRAPEZE_EVENT_KIND(NAME, name, data) vmm::EventKind::NAME,
    TRAPEZE_VMM_EVENTS(TRAPEZE_EVENT_KIND)
#undef TRAPEZE_EVENT_KIND
};

struct EventsView {
  EventsView() { kinds_shown.fill(true); }
  std::array<bool, 32> kinds_shown{};  // by EventKind
  int guest = -1;                      // -1: all
  bool follow = true;                  // keep the newest event in view
  char text[64] = {};                  // the filter text
  std::string paste_note;              // a paste too long for it, cut (line_field.h)
};

}  // namespace

void draw_events_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  if (!s.loaded()) return;
  const vmm::EventLog& log = s.vmm()->events();
  EventsView& view = ctx.view<EventsView>(PanelId::events);
  if (ImGui::BeginCombo("##kinds", "kinds", ImGuiComboFlags_NoPreview)) {
    for (vmm::EventKind k : kKinds)
      ImGui::Checkbox(std::string(vmm::event_kind_name(k)).c_str(), &view.kinds_shown[size_t(k)]);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  const std::string who = view.guest < 0 ? "all guests" : s.guest(size_t(std::min<int>(view.guest, int(s.guest_count()) - 1))).spec.name;
  if (ImGui::BeginCombo("##guest", who.c_str())) {
    if (ImGui::Selectable("all guests", view.guest < 0)) view.guest = -1;
    for (size_t i = 0; i < s.guest_count(); ++i)
      if (ImGui::Selectable(s.guest(i).spec.name.c_str(), view.guest == int(i))) view.guest = int(i);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  line_field("##text", "filter text", view.text, sizeof view.text, view.paste_note);
  rewind_timeline(ctx);  // under the filters: the selected guest's past, to go back to
  ImGui::TextDisabled("%s events, %s dropped (ring of %zu)", grouped(log.total()).c_str(),
                      grouped(log.dropped()).c_str(), log.capacity());

  // Filter first (the ring holds at most a few thousand), then draw the visible ones.
  std::vector<size_t> shown;
  shown.reserve(log.size());
  const bool text = view.text[0] != 0;
  for (size_t k = 0; k < log.size(); ++k) {
    const vmm::Event& e = log.at(k);
    if (!view.kinds_shown[size_t(e.kind)]) continue;
    if (view.guest >= 0 && e.guest != view.guest) continue;
    if (text && vmm::describe(e).find(view.text) == std::string::npos &&
        std::string(vmm::event_kind_name(e.kind)).find(view.text) == std::string::npos)
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
  if (view.follow && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace trapeze::ui
