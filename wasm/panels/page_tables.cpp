// The lecture's three tables side by side for one guest-virtual address: the
// guest's own table (virtual -> guest-physical), the VMM's physical map
// (guest-physical -> host-physical) and the shadow table the MMU really walks
// (virtual -> host-physical), each walked step by step (vmm/inspect.h).
#include <imgui.h>

#include "app_context.h"
#include "isa/isa.h"
#include "vmm/inspect.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

void draw_walk(const char* title, const char* from, const char* to, const vmm::TableWalk& w) {
  ImGui::TextColored(ImVec4(0.55f, 0.8f, 1, 1), "%s", title);
  ImGui::TextDisabled("%s -> %s", from, to);
  if (!w.exists) {
    ImGui::TextWrapped("not in use%s%s", w.note.empty() ? "" : ": ", w.note.c_str());
    return;
  }
  ImGui::Text("root %08X", w.root);
  for (int l = 0; l < w.levels; ++l) {
    const vmm::WalkStep& st = w.steps[l];
    ImGui::Text("L%d  table %08X [%u]", l + 1, st.table, st.index);
    ImGui::Text("    entry %08X %s%s%s", st.entry, st.entry & isa::pte::P ? "P" : "-",
                st.entry & isa::pte::W ? "W" : "-", st.entry & isa::pte::U ? "U" : "-");
  }
  if (w.ok)
    ImGui::TextColored(ImVec4(0.5f, 0.9f, 0.5f, 1), "= %08X  %s %s", w.output, w.writable ? "writable" : "read-only",
                       w.user ? "user" : "kernel");
  else
    ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "no translation");
  if (!w.note.empty()) ImGui::TextWrapped("%s", w.note.c_str());
}

}  // namespace

void draw_page_tables_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Guest& g = s.vmm()->guest(size_t(gi));
  ImGui::Checkbox("follow pc", &ctx.walk_follows_pc);
  ImGui::SameLine();
  if (ctx.walk_follows_pc) ctx.walk_address = g.vcpu.cpu.pc;
  if (hex_input("virtual address", &ctx.walk_address)) ctx.walk_follows_pc = false;
  const vmm::ThreeTables t = vmm::walk_tables(*s.vmm(), size_t(gi), ctx.walk_address);
  ImGui::TextDisabled("VA %08X: L1 index %u, L2 index %u, offset %03X", t.va, t.va >> 22, (t.va >> 12) & 0x3FF,
                      t.va & 0xFFF);
  if (ImGui::BeginTable("three", 3, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    draw_walk("guest's table", "virtual", "guest-physical", t.guest);
    ImGui::TableNextColumn();
    draw_walk("VMM physical map", "guest-physical", "host-physical", t.physmap);
    ImGui::TableNextColumn();
    draw_walk("shadow table (what the MMU walks)", "virtual", "host-physical", t.shadow);
    ImGui::EndTable();
  }
}

}  // namespace trapeze::ui
