// A hex view of the selected guest's memory, guest-physical or guest-virtual
// (through its own page table); only the visible rows are read.
#include <imgui.h>

#include <array>

#include "app_context.h"
#include "guest_memory.h"
#include "widgets.h"

namespace trapeze::ui {

void draw_memory_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Vmm& v = *s.vmm();
  const vmm::Guest& g = v.guest(size_t(gi));
  ImGui::RadioButton("guest-physical", reinterpret_cast<int*>(&ctx.memory_virtual), 0);
  ImGui::SameLine();
  if (ImGui::RadioButton("guest-virtual", ctx.memory_virtual)) ctx.memory_virtual = true;
  if (ImGui::IsItemHovered()) tooltip("Through the guest's own page table (identity while its paging is off).");
  ImGui::SameLine();
  bool jump = hex_input("address", &ctx.memory_address);
  ImGui::SameLine();
  if (ImGui::SmallButton("pc")) ctx.memory_address = g.vcpu.cpu.pc, jump = true;
  ImGui::SameLine();
  if (ImGui::SmallButton("sp")) ctx.memory_address = g.vcpu.cpu.r[14], jump = true;

  // A 64 KiB window around the address (the clipper reads only the visible rows).
  const uint32_t window = ctx.memory_address & ~0xFFFFu;
  uint32_t rows = 4096;
  if (!ctx.memory_virtual) rows = window >= g.config.memory_bytes ? 0 : std::min(rows, (g.config.memory_bytes - window) / 16);
  ImGui::BeginChild("hex", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (jump) ImGui::SetScrollY(float((ctx.memory_address - window) / 16) * row_h);
  ImGuiListClipper clip;
  clip.Begin(int(rows), row_h);
  while (clip.Step()) {
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const uint32_t a = window + uint32_t(r) * 16;
      char line[128];
      int n = std::snprintf(line, sizeof line, "%08X ", a);
      std::array<uint8_t, 16> bytes{};
      bool ok = true;
      const auto pa = ctx.memory_virtual ? guest_physical(v, size_t(gi), a) : std::optional<uint32_t>(a);
      ok = pa && v.read_guest_physical(size_t(gi), *pa, bytes);
      for (int b = 0; b < 16; ++b)
        n += ok ? std::snprintf(line + n, sizeof line - size_t(n), "%s%02X", b == 8 ? "  " : " ", bytes[size_t(b)])
                : std::snprintf(line + n, sizeof line - size_t(n), "%s--", b == 8 ? "  " : " ");
      n += std::snprintf(line + n, sizeof line - size_t(n), "  ");
      for (int b = 0; b < 16 && ok; ++b) {
        const char c = char(bytes[size_t(b)]);
        line[n++] = c >= 32 && c < 127 ? c : '.';
      }
      line[n] = 0;
      ImGui::TextUnformatted(line);
    }
  }
  ImGui::EndChild();
}

}  // namespace trapeze::ui
