// The TLB contents: the host's TLB for a virtualized guest (its entries are those
// tagged with the guest's address-space ids), a native guest's own machine's TLB.
#include <imgui.h>

#include "app_context.h"
#include "vmm/native.h"

namespace trapeze::ui {

void draw_tlb_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Vmm& v = *s.vmm();
  const vmm::Guest& g = v.guest(size_t(gi));
  const auto* native = dynamic_cast<const vmm::NativeStrategy*>(g.strategy.get());
  const std::span<const machine::TlbEntry> entries =
      native ? native->machine().tlb_entries() : v.host().tlb_entries();
  const vmm::GuestPlacement* place = v.placement(size_t(gi));
  if (native) {
    ImGui::TextDisabled("its own machine's TLB (bare metal)");
  } else {
    ImGui::TextDisabled("the host TLB, shared by the virtualized guests");
    ImGui::SameLine();
    ImGui::Checkbox("only this guest's tags", &ctx.tlb_this_guest_only);
  }
  size_t valid = 0;
  for (const machine::TlbEntry& e : entries) valid += e.valid;
  ImGui::Text("%zu of %zu entries valid", valid, entries.size());
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("tlb", 6, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const char* h : {"#", "tag", "virtual page", "frame", "W U D", "owner"}) ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (size_t k = 0; k < entries.size(); ++k) {
    const machine::TlbEntry& e = entries[k];
    if (!e.valid) continue;
    int owner = -1;
    for (size_t i = 0; !native && i < v.guest_count(); ++i)
      if (const vmm::GuestPlacement* p = v.placement(i); p && e.tag >= p->tag_base && e.tag < p->tag_base + vmm::kTagsPerGuest)
        owner = int(i);
    if (!native && ctx.tlb_this_guest_only && place && owner != gi) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%zu", k);
    ImGui::TableNextColumn();
    ImGui::Text("%u", e.tag);
    ImGui::TableNextColumn();
    ImGui::Text("%05X", e.vpn);
    ImGui::TableNextColumn();
    ImGui::Text("%05X", e.pfn);
    ImGui::TableNextColumn();
    ImGui::Text("%c %c %c", e.writable ? 'W' : '-', e.user ? 'U' : '-', e.dirty ? 'D' : '-');
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(native ? s.guest(size_t(gi)).spec.name.c_str()
                                  : owner >= 0 ? s.guest(size_t(owner)).spec.name.c_str() : "-");
  }
  ImGui::EndTable();
}

}  // namespace trapeze::ui
