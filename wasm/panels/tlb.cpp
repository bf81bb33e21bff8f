// The TLB contents: the host's TLB for a virtualized guest (its entries are those
// tagged with the guest's address-space ids), a native guest's own machine's TLB —
// whichever serves the guest, as the inspection API (vmm/inspect.h) reports it.
#include <imgui.h>

#include "app_context.h"
#include "vmm/inspect.h"

namespace trapeze::ui {
namespace {

struct TlbView {
  bool this_guest_only = true;  // the host TLB: only the selected guest's entries
};

}  // namespace

void draw_tlb_panel(AppContext& ctx) {
  TlbView& view = ctx.view<TlbView>(PanelId::tlb);
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::TlbContents tlb = vmm::tlb_contents(*s.vmm(), size_t(gi));
  if (tlb.own_machine) {
    ImGui::TextDisabled("its own machine's TLB (bare metal)");
  } else {
    ImGui::TextDisabled("the host TLB, shared by the virtualized guests");
    ImGui::SameLine();
    ImGui::Checkbox("only this guest's tags", &view.this_guest_only);
  }
  ImGui::Text("%zu of %zu entries valid", tlb.valid.size(), tlb.capacity);
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("tlb", 6, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const char* h : {"#", "tag", "virtual page", "frame", "W U D", "owner"}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  std::vector<const vmm::TlbRow*> rows;
  rows.reserve(tlb.valid.size());
  for (const vmm::TlbRow& r : tlb.valid)
    if (tlb.own_machine || !view.this_guest_only || r.owner == gi) rows.push_back(&r);
  ImGuiListClipper clip;  // only the visible rows are drawn
  clip.Begin(int(rows.size()));
  while (clip.Step()) {
    for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
      const vmm::TlbRow& r = *rows[size_t(k)];
      const machine::TlbEntry& e = r.entry;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%zu", r.slot);
      ImGui::TableNextColumn();
      ImGui::Text("%u", e.tag);
      ImGui::TableNextColumn();
      ImGui::Text("%05X", e.vpn);
      ImGui::TableNextColumn();
      ImGui::Text("%05X", e.pfn);
      ImGui::TableNextColumn();
      ImGui::Text("%c %c %c", e.writable ? 'W' : '-', e.user ? 'U' : '-', e.dirty ? 'D' : '-');
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.owner >= 0 ? s.guest(size_t(r.owner)).spec.name.c_str() : "-");
    }
  }
  ImGui::EndTable();
}

}  // namespace trapeze::ui
