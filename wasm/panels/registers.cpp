// The selected guest's processor as the guest sees it: general registers, pc,
// the virtual PSW (decoded), PTR, TVEC, control registers, timer; values that
// changed since the previous view of a different state are highlighted.
#include <imgui.h>

#include <algorithm>

#include "appearance.h"
#include "app_context.h"
#include "isa/isa.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

// Registers as they were, to highlight what changed.
struct RegisterHistory {
  machine::CpuState last, before_last;
  uint64_t clock = ~uint64_t(0);
};

struct RegistersView {
  std::vector<RegisterHistory> guests;  // per guest
};

void value(const char* name, uint32_t now, uint32_t before) {
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", name);
  ImGui::TableNextColumn();
  if (now != before)
    ImGui::TextColored(palette().changed, "%08X", now);
  else
    ImGui::Text("%08X", now);
}

// How many name/value pairs fit side by side (at most `most`, at least 1): a
// narrow panel gets fewer columns and more rows instead of a cut-off column.
int pairs_that_fit(const char* widest_name, int most) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float pair = ImGui::CalcTextSize(widest_name).x + ImGui::CalcTextSize("00000000").x +
                     4 * st.CellPadding.x + st.ItemSpacing.x;
  const int fit = int(ImGui::GetContentRegionAvail().x / pair);
  return std::max(1, std::min(most, fit));
}

}  // namespace

void draw_registers_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Guest& g = s.vmm()->guest(size_t(gi));
  const machine::CpuState& cpu = g.vcpu.cpu;
  RegistersView& view = ctx.view<RegistersView>(PanelId::registers);
  view.guests.resize(s.guest_count());
  RegisterHistory& h = view.guests[size_t(gi)];
  if (h.clock == ~uint64_t(0)) h.last = h.before_last = cpu;
  if (!(cpu == h.last)) h.before_last = h.last, h.last = cpu;
  const machine::CpuState& was = h.before_last;

  ImGui::Text("%s", s.guest(size_t(gi)).spec.name.c_str());
  ImGui::SameLine();
  const GuestStateText state = guest_state_text(s, size_t(gi));
  ImGui::TextColored(state.colour, "%s", state.text.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s mode, interrupts %s, clock %s", cpu.user_mode() ? "user" : "kernel",
                      cpu.psw & isa::psw::IE ? "on" : "off", grouped(g.vcpu.clock).c_str());
  h.clock = g.vcpu.clock;

  if (ImGui::BeginTable("regs", 2 * pairs_that_fit("r10", 3), ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    for (int r = 0; r < isa::kNumRegs; ++r) value(std::string(isa::reg_name(r)).c_str(), cpu.r[r], was.r[r]);
    ImGui::EndTable();
  }
  ImGui::Separator();
  if (ImGui::BeginTable("sys", 2 * pairs_that_fit("scratch0", 3), ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    value("pc", cpu.pc, was.pc);
    value("psw", cpu.psw, was.psw);
    value("ptr", cpu.ptr, was.ptr);
    value("tvec", cpu.tvec, was.tvec);
    for (int c = 0; c < isa::kNumControlRegs; ++c)
      value(std::string(isa::cr_name(c)).c_str(), cpu.cr[c], was.cr[c]);
    value("timer", cpu.timer_period, was.timer_period);
    ImGui::EndTable();
  }
  ImGui::TextDisabled("virtual PSW: U=%d IE=%d FLAGS=%02X   cause: %s", cpu.psw & isa::psw::U ? 1 : 0,
                      cpu.psw & isa::psw::IE ? 1 : 0, (cpu.psw & isa::psw::FLAGS) >> 8,
                      std::string(isa::cause_name(isa::Cause(cpu.cause() & 0xFF))).c_str());
}

}  // namespace trapeze::ui
