#include "widgets.h"

#include <cstdio>
#include <cstdlib>

#include "appearance.h"

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
  const Palette& p = palette();
  switch (s) {
    case vmm::GuestState::Ready: return p.state_ready;
    case vmm::GuestState::Halted: return p.state_halted;
    case vmm::GuestState::Crashed: return p.state_crashed;
    case vmm::GuestState::Stopped: return p.state_stopped;
  }
  return ImGui::GetStyle().Colors[ImGuiCol_Text];
}

GuestStateText guest_state_text(const session::Session& s, size_t i) {
  if (!s.guest(i).has_image()) return {"no image", palette().bad};
  const vmm::GuestState state = s.vmm()->guest(i).state;
  return {std::string(vmm::guest_state_name(state)), state_colour(state)};
}

ImU32 guest_colour(size_t guest) {
  const Palette& p = palette();
  return p.guest[guest % (sizeof p.guest / sizeof p.guest[0])];
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
