#include "cycle_bars.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "widgets.h"

namespace trapeze::ui {
namespace {

// One colour per account, in kCycleAccountInfo's order: the guest's own work calm,
// the crossings loud (they are what the student looks for), the VMM in between.
constexpr ImU32 kAccountColours[] = {
    IM_COL32(110, 200, 120, 255),  // guest
    IM_COL32(240, 120, 60, 255),   // transitions
    IM_COL32(120, 150, 255, 255),  // vmm
};
static_assert(std::size(kAccountColours) == std::size(vmm::kCycleAccountInfo));

}  // namespace

double cycles_per_instruction(const vmm::GuestCounters& c) {
  const uint64_t n = c.machine.instructions();
  return n ? double(c.accounting.total()) / double(n) : 0.0;
}

void draw_accounting_legend() {
  const float box = ImGui::GetTextLineHeight() * 0.8f;
  for (size_t k = 0; k < std::size(vmm::kCycleAccountInfo); ++k) {
    if (k) ImGui::SameLine(0, ImGui::GetFontSize());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float pad = (ImGui::GetTextLineHeight() - box) / 2;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + pad), ImVec2(p.x + box, p.y + pad + box),
                                              kAccountColours[k]);
    ImGui::Dummy(ImVec2(box, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(vmm::kCycleAccountInfo[k].name);
    tooltip(vmm::kCycleAccountInfo[k].doc);
  }
}

void draw_accounting_bar(const char* id, const vmm::GuestCounters& c, float length,
                         const std::string& beside, float beside_width) {
  const vmm::CycleAccounting& a = c.accounting;
  const float height = ImGui::GetFrameHeight();
  const float width = std::max(ImGui::GetContentRegionAvail().x - beside_width, 20.0f);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p, ImVec2(p.x + width, p.y + height), ImGui::GetColorU32(ImGuiCol_FrameBg));
  const double total = double(a.total());
  float x = p.x;
  const float filled = width * std::clamp(length, 0.0f, 1.0f);
  for (size_t k = 0; total > 0 && k < std::size(vmm::kCycleAccountInfo); ++k) {
    const float w = float(double(a.*vmm::kCycleAccountInfo[k].field) / total) * filled;
    if (w <= 0) continue;
    // At least one pixel, so a small but non-zero account still shows.
    const float right = std::min(x + std::max(w, 1.0f), p.x + width);
    draw->AddRectFilled(ImVec2(x, p.y), ImVec2(right, p.y + height), kAccountColours[k]);
    x = right;
  }
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    const uint64_t n = c.machine.instructions();
    ImGui::Text("%s cycles over %s instructions", grouped(a.total()).c_str(), grouped(n).c_str());
    for (size_t k = 0; k < std::size(vmm::kCycleAccountInfo); ++k) {
      const uint64_t v = a.*vmm::kCycleAccountInfo[k].field;
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kAccountColours[k]), "%-12s", vmm::kCycleAccountInfo[k].name);
      ImGui::SameLine();
      ImGui::Text("%s (%.1f%%), %.2f per instruction", grouped(v).c_str(), total > 0 ? 100.0 * double(v) / total : 0.0,
                  n ? double(v) / double(n) : 0.0);
    }
    ImGui::EndTooltip();
  }
  if (!beside.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(beside.c_str());
  }
}

}  // namespace trapeze::ui
