// The guests panel: the scenario's guests with their state, strategy (switched
// live), memory, run/pause/step/restart, duplicate/remove; run all, restart all,
// speed; presets and guests from guests/ to add.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "appearance.h"
#include "app_context.h"
#include "bundled_files.h"
#include "layout/window_layout.h"
#include "panels/rewind_controls.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

constexpr uint32_t kMemorySizes[] = {16u << 10, 32u << 10, 64u << 10, 128u << 10, 256u << 10,
                                     512u << 10, 1u << 20, 4u << 20, 16u << 20, 32u << 20};

std::string size_label(uint32_t bytes) {
  return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + "M" : std::to_string(bytes >> 10) + "K";
}

void strategy_combo(AppContext& ctx, size_t i) {
  session::Session& s = ctx.session;
  const vmm::StrategyKind now = s.vmm()->guest(i).strategy_kind();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.5f);
  if (!ImGui::BeginCombo("##strategy", std::string(vmm::strategy_name(now)).c_str())) {
    tooltip(std::string(vmm::strategy_info(now).summary).c_str());
    return;
  }
  for (const vmm::StrategyInfo& info : vmm::kStrategies) {
    const std::string name(info.name);
    if (ImGui::Selectable(name.c_str(), info.kind == now)) {
      std::string error;
      ctx.notice = s.set_strategy(i, info.kind, &error) ? "" : error;
    }
    tooltip(std::string(info.summary).c_str());
  }
  ImGui::EndCombo();
}

void memory_combo(AppContext& ctx, size_t i) {
  session::Session& s = ctx.session;
  const uint32_t now = s.guest(i).spec.memory_bytes;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.6f);
  if (!ImGui::BeginCombo("##memory", size_label(now).c_str())) {
    tooltip("Guest-physical memory. Changing it restarts every guest (the VMM is rebuilt).");
    return;
  }
  for (uint32_t bytes : kMemorySizes) {
    if (ImGui::Selectable(size_label(bytes).c_str(), bytes == now)) {
      std::string error;
      ctx.notice = s.set_memory(i, bytes, &error) ? "" : error;
    }
  }
  ImGui::EndCombo();
}

void guest_row(AppContext& ctx, size_t i, int* remove, int* duplicate) {
  session::Session& s = ctx.session;
  const vmm::Guest& g = s.vmm()->guest(i);
  const session::SessionGuest& sg = s.guest(i);
  ImGui::PushID(int(i));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float r = ImGui::GetFontSize() * 0.3f;
  dl->AddCircleFilled(ImVec2(p.x + r, p.y + ImGui::GetFontSize() * 0.5f), r, guest_colour(i));
  ImGui::Dummy(ImVec2(r * 2, 0));
  ImGui::SameLine();
  std::string label = sg.spec.name + (sg.dirty() ? " *" : "");
  // The name takes what the state and the three buttons after it leave.
  const ImGuiStyle& st = ImGui::GetStyle();
  const GuestStateText state_text = guest_state_text(s, i);
  const std::string& state = state_text.text;
  const float after = ImGui::CalcTextSize(state.c_str()).x + ImGui::CalcTextSize("RestartDupX").x +
                      st.FramePadding.x * 6 + st.ItemSpacing.x * 4;
  if (ImGui::Selectable(label.c_str(), ctx.guest() == int(i), 0,
                        ImVec2(std::max(ImGui::GetFontSize() * 3, ImGui::GetContentRegionAvail().x - after), 0)))
    ctx.selected = int(i);
  ImGui::SameLine();
  if (!sg.has_image()) {
    ImGui::TextColored(state_text.colour, "%s", state.c_str());
    tooltip("Its source does not assemble (see the errors in the editor): it cannot run until it does.");
  } else {
    ImGui::TextColored(state_text.colour, "%s", state.c_str());
    if (!g.reason.empty()) tooltip(g.reason.c_str());
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!sg.has_image());
  if (ImGui::SmallButton("Restart")) s.restart(i);
  tooltip("Back to its state after loading (the others keep running).");
  ImGui::EndDisabled();
  ImGui::BeginDisabled(ctx.read_only);
  ImGui::SameLine();
  if (ImGui::SmallButton("Dup")) *duplicate = int(i);
  tooltip("Duplicate this guest (restarts every guest).");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.guest_count() <= 1);
  if (ImGui::SmallButton("X")) *remove = int(i);
  tooltip("Remove this guest (restarts every guest).");
  ImGui::EndDisabled();
  ImGui::EndDisabled();

  ImGui::Indent(r * 2 + ImGui::GetStyle().ItemSpacing.x);
  ImGui::BeginDisabled(ctx.read_only);
  strategy_combo(ctx, i);
  ImGui::SameLine();
  memory_combo(ctx, i);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!sg.has_image());
  // A finished guest's Run restarts it (Session::set_running).
  const bool ended = s.finished(i);
  if (ImGui::SmallButton(sg.running && !ended ? "Pause" : "Run")) s.set_running(i, !(sg.running && !ended));
  if (ended) tooltip("It has finished: Run restarts it from its loaded state.");
  const ImVec2 run_max = ImGui::GetItemRectMax();
  ImGui::SameLine();
  if (ImGui::SmallButton("Step")) {
    ctx.selected = int(i);
    s.step(i);
  }
  tooltip("One instruction of this guest (F10 steps the selected guest).");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (g.strategy->uses_host())
    ImGui::Text("%4.1f%%", 100.0 * s.vmm()->utilization(i));
  else
    ImGui::TextDisabled("own");
  tooltip("Share of host time spent on this guest (a native guest runs on its own machine).");
  ImGui::Unindent(r * 2 + ImGui::GetStyle().ItemSpacing.x);
  layout_note_guest_row(ctx, p, ImVec2(run_max.x, ImGui::GetCursorScreenPos().y - ImGui::GetStyle().ItemSpacing.y));
  ImGui::PopID();
}

void speed_controls(AppContext& ctx) {
  session::Speed& sp = ctx.session.speed;
  // Logarithmic slider over host cycles per frame.
  float exponent = float(std::log10(double(std::max<uint64_t>(sp.cycles_per_frame, 1))));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  char label[32];
  std::snprintf(label, sizeof label, "%s cyc/frame", short_number(double(sp.cycles_per_frame)).c_str());
  if (ImGui::SliderFloat("##speed", &exponent, 2.0f, 8.0f, label))
    sp.cycles_per_frame = uint64_t(std::pow(10.0, double(exponent)));
  tooltip("Speed: host cycles simulated per frame, at most (shared by the running guests).");
  ImGui::SameLine();
  float budget = float(sp.budget_ms);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  if (ImGui::SliderFloat("##budget", &budget, 1.0f, 14.0f, "%.0f ms budget")) sp.budget_ms = budget;
  tooltip("Wall time the simulation may use per frame, so the interface stays at 60 frames a second.");
}

void add_controls(AppContext& ctx) {
  static const auto files = [] {
    auto list = session::list_files(bundled_files(), "guests/", ".s");
    return list;
  }();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  if (ImGui::BeginCombo("##add", "Add a guest from guests/ ...")) {
    for (const std::string& f : files) {
      if (ImGui::Selectable(f.c_str() + 7)) {
        std::string error;
        if (ctx.session.add_guest_file(f, &error))
          ctx.selected = int(ctx.session.guest_count()) - 1, ctx.notice.clear();
        else
          ctx.notice = error;
      }
    }
    ImGui::EndCombo();
  }
  tooltip("Adding or removing a guest rebuilds the VMM: every guest restarts.");
}

}  // namespace

void draw_guests_panel(AppContext& ctx) {
  session::Session& s = ctx.session;
  if (!s.loaded()) {
    ImGui::TextWrapped("No scenario loaded: %s", s.message().c_str());
    return;
  }
  const std::string& doc_name = s.settings().name;
  ImGui::TextUnformatted(doc_name.empty() ? s.scenario_path().c_str() : doc_name.c_str());
  if (ImGui::Button(s.any_running() ? "Pause all (F5)" : "Run all (F5)")) s.set_all_running(!s.any_running());
  tooltip("Once every guest has finished, Run all restarts them all.");
  ImGui::SameLine();
  if (ImGui::Button("Step (F10)") && ctx.guest() >= 0) s.step(size_t(ctx.guest()));
  ImGui::SameLine();
  const std::string host = "host " + short_number(double(s.vmm()->host_cycles())) + " cycles";
  rewind_buttons(ctx);
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("Restart all").x + 2 * ImGui::GetStyle().FramePadding.x)
    ImGui::NewLine();  // no room left on the line
  if (ImGui::Button("Restart all")) s.restart_all();
  tooltip("Every guest back to its state after loading.");
  ImGui::SameLine();
  // Only where it fits: a line of its own would cost a guest row (the Counters have it).
  if (ImGui::GetContentRegionAvail().x >= ImGui::CalcTextSize(host.c_str()).x)
    ImGui::TextDisabled("%s", host.c_str());
  else
    ImGui::NewLine();
  if (!ctx.compact) speed_controls(ctx);  // embeds: room for the guest rows instead
  ImGui::Separator();

  int remove = -1, duplicate = -1;
  const float footer = ctx.compact ? ImGui::GetTextLineHeightWithSpacing() * 1.5f
                                   : ImGui::GetFrameHeightWithSpacing() * 1 + ImGui::GetTextLineHeightWithSpacing() * 2.5f;
  ImGui::BeginChild("guests", ImVec2(0, -footer));
  for (size_t i = 0; i < s.guest_count(); ++i) guest_row(ctx, i, &remove, &duplicate);
  ImGui::EndChild();
  std::string error;
  if (remove >= 0) ctx.notice = s.remove_guest(size_t(remove), &error) ? "" : error;
  if (duplicate >= 0) {
    ctx.notice = s.duplicate_guest(size_t(duplicate), &error) ? "" : error;
    if (ctx.notice.empty()) ctx.selected = int(s.guest_count()) - 1;
  }

  if (!ctx.compact) {
    ImGui::BeginDisabled(ctx.read_only);
    add_controls(ctx);
    ImGui::EndDisabled();
  }
  // The status lines wrap inside their own strip: a long message never pushes the rows out.
  ImGui::BeginChild("status", ImVec2(0, 0));
  ImGui::PushTextWrapPos(0);
  if (!ctx.notice.empty()) ImGui::TextColored(palette().bad, "%s", ctx.notice.c_str());
  ImGui::TextDisabled("%s", s.message().c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
}

}  // namespace trapeze::ui
