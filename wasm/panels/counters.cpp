// Every counter of every guest, with its rate over the last second; the
// counter's meaning on hover.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app_context.h"
#include "counter_rows.h"
#include "cycle_bars.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

// Counters a second ago, for per-second rates of every counter.
struct CounterSnapshot {
  vmm::GuestCounters counters;
  double time = -1;
  vmm::GuestCounters rate_base;
  double rate_dt = 0;
};

// One counter of one guest as shown, formatted again only when its value or rate changes.
struct Cell {
  uint64_t value = ~uint64_t(0);
  double rate = -1;
  std::string text, rate_text;  // "12,345", "+1.2M/s"
  const Cell& update(uint64_t v, double r) {
    if (v != value) value = v, text = grouped(v);
    if (r != rate) {  // appended, as GCC 12's -Wrestrict misfires on "literal" + std::string
      rate = r;
      rate_text.clear();
      if (r > 0) rate_text.append("+").append(short_number(r)).append("/s");
    }
    return *this;
  }
};

struct CountersView {
  std::vector<CounterSnapshot> snapshots;  // per guest
  std::vector<Cell> cells;                 // line * guests + guest
  bool hide_zero = true;
  int bars_open = -1;  // the cycle bars: -1 as room allows, else 0/1 as chosen
};

// The table's lines: instructions, traps, then every row of counter_rows().
size_t line_count() { return 2 + counter_rows().size(); }
const char* line_name(size_t l) {
  return l == 0 ? "instructions" : l == 1 ? "traps" : counter_rows()[l - 2].name;
}
const char* line_doc(size_t l) {
  return l == 0   ? "instructions retired (user + kernel)"
         : l == 1 ? "every exception and interrupt raised for it (machine traps[] summed)"
                  : counter_rows()[l - 2].doc;
}
uint64_t line_value(size_t l, const vmm::GuestCounters& c) {
  if (l == 0) return c.machine.instructions();
  if (l == 1) {
    uint64_t n = 0;
    for (uint64_t t : c.machine.traps) n += t;
    return n;
  }
  return counter_rows()[l - 2].value(c);
}

// Keeps, per guest, the counters as they were a second ago and the rates since.
void update_snapshots(const session::Session& s, CountersView& view) {
  const double now = s.now();
  view.snapshots.resize(s.guest_count());
  for (size_t i = 0; i < s.guest_count(); ++i) {
    CounterSnapshot& snap = view.snapshots[i];
    const vmm::GuestCounters& c = s.vmm()->guest(i).counters;
    if (snap.time < 0 || c.machine.cycles < snap.counters.machine.cycles) {  // new, or rebuilt
      snap = CounterSnapshot{c, now, c, 0};
    } else if (now - snap.time >= 1.0) {
      snap.rate_base = snap.counters;
      snap.rate_dt = now - snap.time;
      snap.counters = c;
      snap.time = now;
    }
  }
}

// Each guest's cycles as one stacked bar, all to one scale (the most cycles fill the
// width): how much each guest consumed and where it went.
void draw_accounting(const session::Session& s, CountersView& view) {
  // Open when the panel has room for the bars and a screenful of the table below
  // them, so a short panel (a laptop's default layout) shows the table; once the
  // student opens or closes it, their choice holds.
  const float line = ImGui::GetFrameHeightWithSpacing();
  const bool room = ImGui::GetContentRegionAvail().y > float(s.guest_count() + 12) * line;
  const bool open = view.bars_open >= 0 ? view.bars_open == 1 : room;
  ImGui::SetNextItemOpen(open, ImGuiCond_Always);
  const bool now_open = ImGui::CollapsingHeader("where the cycles went (guest, transitions, vmm)");
  if (now_open != open) view.bars_open = now_open ? 1 : 0;
  if (!now_open) return;
  draw_accounting_legend();
  uint64_t top = 0;
  for (size_t i = 0; i < s.guest_count(); ++i)
    top = std::max(top, s.vmm()->guest(i).counters.accounting.total());
  // Columns as wide as the longest name and the longest numbers.
  std::vector<std::string> beside(s.guest_count());
  float label_w = 0, beside_w = 0;
  for (size_t i = 0; i < s.guest_count(); ++i) {
    const vmm::GuestCounters& c = s.vmm()->guest(i).counters;
    beside[i] = short_number(double(c.accounting.total())) + " cycles, " +
                short_number(cycles_per_instruction(c)) + "/instr";
    label_w = std::max(label_w, ImGui::CalcTextSize(s.guest(i).spec.name.c_str()).x);
    beside_w = std::max(beside_w, ImGui::CalcTextSize(beside[i].c_str()).x);
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float start = ImGui::GetCursorPosX();
  for (size_t i = 0; i < s.guest_count(); ++i) {
    const vmm::GuestCounters& c = s.vmm()->guest(i).counters;
    ImGui::TextUnformatted(s.guest(i).spec.name.c_str());
    ImGui::SameLine(start + label_w + spacing);
    ImGui::PushID(int(i));
    draw_accounting_bar("##accounting", c, top ? float(double(c.accounting.total()) / double(top)) : 0.0f,
                        beside[i], beside_w + 2 * spacing);
    ImGui::PopID();
  }
}

}  // namespace

void draw_counters_panel(AppContext& ctx) {
  session::Session& s = ctx.session;
  if (!s.loaded()) return;
  CountersView& view = ctx.view<CountersView>(PanelId::counters);
  update_snapshots(s, view);
  draw_accounting(s, view);
  ImGui::Checkbox("hide counters that are zero for every guest", &view.hide_zero);
  const size_t guests = s.guest_count();
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("counters", 1 + int(guests), flags)) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("counter");
  for (size_t g = 0; g < guests; ++g) ImGui::TableSetupColumn(s.guest(g).spec.name.c_str());
  ImGui::TableHeadersRow();

  // The lines shown (the zero ones hidden if asked), then only the visible ones drawn.
  const size_t lines = line_count();
  std::vector<size_t> shown;
  shown.reserve(lines);
  for (size_t l = 0; l < lines; ++l) {
    bool any = !view.hide_zero;
    for (size_t g = 0; g < guests && !any; ++g) any = line_value(l, s.vmm()->guest(g).counters) != 0;
    if (any) shown.push_back(l);
  }
  view.cells.resize(lines * guests);
  ImGuiListClipper clip;
  clip.Begin(int(shown.size()));
  while (clip.Step()) {
    for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
      const size_t l = shown[size_t(k)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(line_name(l));
      tooltip(line_doc(l));
      for (size_t g = 0; g < guests; ++g) {
        ImGui::TableNextColumn();
        const CounterSnapshot& snap = view.snapshots[g];
        const double rate = snap.rate_dt > 0 ? double(line_value(l, snap.counters) - line_value(l, snap.rate_base)) / snap.rate_dt : 0;
        const Cell& cell = view.cells[l * guests + g].update(line_value(l, s.vmm()->guest(g).counters), rate);
        ImGui::TextUnformatted(cell.text.c_str());
        if (rate > 0) {
          ImGui::SameLine();
          ImGui::TextDisabled("%s", cell.rate_text.c_str());
        }
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace trapeze::ui
