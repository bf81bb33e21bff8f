// The lecture's three tables side by side for one guest-virtual address: the
// guest's own table (virtual -> guest-physical), the VMM's physical map
// (guest-physical -> host-physical) and the shadow table the MMU really walks
// (virtual -> host-physical), each walked step by step (vmm/inspect.h). Or nested
// paging's two-dimensional walk: each guest level's guest-physical address
// translated through the VMM's table, every memory reference numbered.
#include <imgui.h>

#include "appearance.h"
#include "app_context.h"
#include "isa/isa.h"
#include "vmm/inspect.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

struct PageTablesView {
  uint32_t address = 0;   // the guest-virtual address walked
  bool follows_pc = true;  // the address is the guest's pc
  bool nested = false;     // nested paging's two-dimensional walk instead of the three tables
};

void draw_walk(const char* title, const char* from, const char* to, const vmm::TableWalk& w) {
  ImGui::TextColored(palette().accent, "%s", title);
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
    ImGui::TextColored(palette().good, "= %08X  %s %s", w.output,
                       w.writable ? "writable" : "read-only", w.user ? "user" : "kernel");
  else
    ImGui::TextColored(palette().bad, "no translation");
  if (!w.note.empty()) ImGui::TextWrapped("%s", w.note.c_str());
}

// One reference of the walk: "#n  table[index] = entry".
void reference_cell(int& n, const vmm::WalkStep& st) {
  ImGui::TextColored(palette().changed, "#%d", ++n);
  ImGui::SameLine();
  ImGui::Text("%08X[%u]", st.table, st.index);
  ImGui::TextDisabled("= %08X", st.entry);
}

void draw_nested(const vmm::NestedWalk& w) {
  if (!w.exists) {
    ImGui::TextWrapped("%s", w.note.c_str());
    return;
  }
  ImGui::TextWrapped(
      "Each guest-physical address the guest's walk needs (its table entries, then the data) is "
      "first translated through the VMM's table (guest-physical -> host-physical): with two levels "
      "each, up to (2+1)(2+1)-1 = 8 memory references instead of 2.");
  ImGui::Text("guest table root %08X (guest-physical)   VMM table root %08X (host-physical)",
              w.guest_root, w.nested_root);
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
  if (ImGui::BeginTable("nested", 5, flags)) {
    for (const char* h :
         {"step", "guest-physical", "VMM table L1", "VMM table L2", "host-physical, guest entry"})
      ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    int n = 0;
    for (int k = 0; k < w.count; ++k) {
      const vmm::NestedStep& st = w.steps[k];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextColored(palette().accent, "%s", st.what);
      ImGui::TableNextColumn();
      ImGui::Text("%08X", st.gpa);
      for (int l = 0; l < 2; ++l) {
        ImGui::TableNextColumn();
        if (l < st.nested.levels) reference_cell(n, st.nested.steps[l]);
      }
      ImGui::TableNextColumn();
      if (!st.nested.ok) {
        ImGui::TextColored(palette().bad, "not mapped");
        continue;
      }
      ImGui::Text("%08X", st.nested.output);
      if (st.read_entry) {
        ImGui::TextColored(palette().changed, "#%d", ++n);
        ImGui::SameLine();
        ImGui::Text("= %08X %s%s%s", st.entry, st.entry & isa::pte::P ? "P" : "-",
                    st.entry & isa::pte::W ? "W" : "-", st.entry & isa::pte::U ? "U" : "-");
      }
    }
    ImGui::EndTable();
  }
  ImGui::Text("%d memory reference%s", w.references, w.references == 1 ? "" : "s");
  ImGui::SameLine();
  if (w.ok)
    ImGui::TextColored(palette().good, "= host-physical %08X  %s %s", w.output,
                       w.writable ? "writable" : "read-only", w.user ? "user" : "kernel");
  else
    ImGui::TextColored(palette().bad, "no translation");
  if (!w.note.empty()) ImGui::TextWrapped("%s", w.note.c_str());
}

}  // namespace

void draw_page_tables_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Guest& g = s.vmm()->guest(size_t(gi));
  PageTablesView& view = ctx.view<PageTablesView>(PanelId::page_tables);
  ImGui::Checkbox("follow pc", &view.follows_pc);
  ImGui::SameLine();
  if (view.follows_pc) view.address = g.vcpu.cpu.pc;
  if (hex_input("virtual address", &view.address)) view.follows_pc = false;
  ImGui::SameLine();
  ImGui::Checkbox("nested walk", &view.nested);
  tooltip("Nested paging's two-dimensional walk for this address, instead of the three tables.");
  const bool nested_paging = g.strategy_kind() == vmm::StrategyKind::HW_NESTED;
  if (view.nested) {
    ImGui::TextDisabled(
        nested_paging ? "the walk the MMU makes for this guest on a TLB miss (hw-nested)"
                      : "the walk nested paging would make (this guest is not under hw-nested)");
    draw_nested(vmm::walk_nested(*s.vmm(), size_t(gi), view.address));
    return;
  }
  if (nested_paging)
    ImGui::TextDisabled("hw-nested: tick \"nested walk\" to see its two-dimensional walk");
  const vmm::ThreeTables t = vmm::walk_tables(*s.vmm(), size_t(gi), view.address);
  ImGui::TextDisabled("VA %08X: L1 index %u, L2 index %u, offset %03X", t.va, t.va >> 22,
                      (t.va >> 12) & 0x3FF, t.va & 0xFFF);
  if (ImGui::BeginTable("three", 3,
                        ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
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
