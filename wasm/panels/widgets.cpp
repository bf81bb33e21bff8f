#include "widgets.h"

#include <cstdio>
#include <cstdlib>

namespace trapeze::ui {

std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string short_number(double v) {
  char buf[32];
  const double a = v < 0 ? -v : v;
  if (a >= 1e9)
    std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
  else if (a >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else if (a >= 100 || a == 0)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

ImVec4 state_colour(vmm::GuestState s) {
  switch (s) {
    case vmm::GuestState::Ready: return ImVec4(0.45f, 0.85f, 0.45f, 1);
    case vmm::GuestState::Halted: return ImVec4(0.65f, 0.65f, 0.70f, 1);
    case vmm::GuestState::Crashed: return ImVec4(1.00f, 0.40f, 0.35f, 1);
    case vmm::GuestState::Stopped: return ImVec4(0.95f, 0.75f, 0.30f, 1);
  }
  return ImVec4(1, 1, 1, 1);
}

ImU32 guest_colour(size_t guest) {
  static constexpr ImU32 kColours[] = {
      IM_COL32(92, 170, 255, 255), IM_COL32(255, 160, 70, 255), IM_COL32(110, 210, 120, 255),
      IM_COL32(235, 100, 130, 255), IM_COL32(190, 140, 255, 255), IM_COL32(240, 220, 90, 255),
      IM_COL32(90, 220, 220, 255), IM_COL32(200, 200, 200, 255)};
  return kColours[guest % (sizeof kColours / sizeof kColours[0])];
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

bool hex_input(const char* label, uint32_t* value, float width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08X", *value);
  ImGui::SetNextItemWidth(width);
  if (!ImGui::InputText(label, buf, sizeof buf,
                        ImGuiInputTextFlags_CharsHexadecimal | ImGuiInputTextFlags_EnterReturnsTrue |
                            ImGuiInputTextFlags_AutoSelectAll))
    return false;
  *value = uint32_t(std::strtoul(buf, nullptr, 16));
  return true;
}

}  // namespace trapeze::ui
