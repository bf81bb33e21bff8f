// A hex view of the selected guest's memory, guest-physical or guest-virtual
// (through its own page table); only the visible rows are read.
#include <imgui.h>

#include <array>

#include "app_context.h"
#include "vmm/inspect.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

struct MemoryView {
  uint32_t address = 0;
  bool is_virtual = false;  // guest-virtual, through the guest's own page table
};

}  // namespace

void draw_memory_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Vmm& v = *s.vmm();
  const vmm::Guest& g = v.guest(size_t(gi));
  MemoryView& view = ctx.view<MemoryView>(PanelId::memory);
  if (ImGui::RadioButton("guest-physical", !view.is_virtual)) view.is_virtual = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("guest-virtual", view.is_virtual)) view.is_virtual = true;
  if (ImGui::IsItemHovered()) tooltip("Through the guest's own page table (identity while its paging is off).");
  ImGui::SameLine();
  bool jump = hex_input("address", &view.address);
  ImGui::SameLine();
  if (ImGui::SmallButton("pc")) view.address = g.vcpu.cpu.pc, jump = true;
  ImGui::SameLine();
  if (ImGui::SmallButton("sp")) view.address = g.vcpu.cpu.r[14], jump = true;

  // A 64 KiB window around the address (the clipper reads only the visible rows).
  const uint32_t window = view.address & ~0xFFFFu;
  uint32_t rows = 4096;
  if (!view.is_virtual) rows = window >= g.config.memory_bytes ? 0 : std::min(rows, (g.config.memory_bytes - window) / 16);
  ImGui::BeginChild("hex", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  if (jump) ImGui::SetScrollY(float((view.address - window) / 16) * row_h);
  ImGuiListClipper clip;
  clip.Begin(int(rows), row_h);
  while (clip.Step()) {
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const uint32_t a = window + uint32_t(r) * 16;
      char line[128];
      int n = std::snprintf(line, sizeof line, "%08X ", a);
      std::array<uint8_t, 16> bytes{};
      const bool ok = vmm::read_guest(v, size_t(gi), a, view.is_virtual, bytes);
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
