// The compare view: the selected guest under every strategy at once
// (a session of its own, one copy per strategy), run a little each frame, with
// the counters drawn as bars side by side so the nanobenchmark table forms live.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app_context.h"
#include "cycle_bars.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

bool start_comparison(AppContext& ctx, size_t guest, std::string* error) {
  scenario::Scenario doc = ctx.session.document();
  const scenario::GuestSpec base = doc.guests[guest];
  doc.guests.clear();
  doc.name = "compare: " + base.name;
  uint64_t total = 0;
  for (const vmm::StrategyInfo& info : vmm::kStrategies) {
    scenario::GuestSpec g = base;
    g.name = std::string(info.name);
    g.strategy = info.kind;
    if (info.kind != vmm::StrategyKind::NATIVE) total += g.memory_bytes;
    doc.guests.push_back(std::move(g));
  }
  if (total > vmm::kMaxTotalGuestMemory) {
    *error = "too much memory for one copy per strategy";
    return false;
  }
  auto s = std::make_unique<session::Session>(ctx.session.files());
  if (!s->load(scenario::to_json(doc), ctx.session.scenario_path(), error)) return false;
  // (A session loads guests that do not assemble, without an image: nothing to compare.)
  for (size_t i = 0; i < s->guest_count(); ++i) {
    if (s->guest(i).has_image()) continue;
    *error = "\"" + base.name + "\" does not assemble: " + s->guest(i).errors.front().format();
    return false;
  }
  s->set_all_running(true);
  s->speed.budget_ms = 2;
  s->speed.cycles_per_frame = 200'000;
  ctx.comparison = std::move(s);
  ctx.comparison_guest = int(guest);
  return true;
}

struct Metric {
  const char* name;
  double (*value)(const vmm::GuestCounters&);
};

double traps_of(const vmm::GuestCounters& c) {
  uint64_t n = 0;
  for (uint64_t t : c.machine.traps) n += t;
  return double(n);
}

constexpr Metric kMetrics[] = {
    {"instructions", [](const vmm::GuestCounters& c) { return double(c.machine.instructions()); }},
    {"cycles per instruction",
     [](const vmm::GuestCounters& c) {
       return c.machine.instructions() ? double(c.machine.cycles) / double(c.machine.instructions()) : 0.0;
     }},
    {"VMM cycles", [](const vmm::GuestCounters& c) { return double(c.vmm.vmm_cycles); }},
    {"traps", traps_of},
    {"VM exits (intercepted)", [](const vmm::GuestCounters& c) { return double(c.machine.intercepted); }},
    {"emulated", [](const vmm::GuestCounters& c) { return double(c.vmm.emulated); }},
    {"hypercalls", [](const vmm::GuestCounters& c) { return double(c.vmm.hypercalls); }},
    {"hidden faults", [](const vmm::GuestCounters& c) { return double(c.vmm.hidden_faults); }},
    {"TLB misses", [](const vmm::GuestCounters& c) { return double(c.machine.tlb_misses()); }},
};

struct CompareView {
  int scale = 0;  // the cycle bars: 0 cycles per instruction, 1 share of its cycles
};

// Where each copy's cycles went, one stacked bar per strategy. Per instruction (the
// default) the bars' lengths compare the strategies' costs; as shares, each bar is
// its whole run.
void draw_accounting(const session::Session& c, int& scale) {
  ImGui::Separator();
  ImGui::TextDisabled("where the cycles went");
  ImGui::SameLine();
  ImGui::RadioButton("per instruction", &scale, 0);
  ImGui::SameLine();
  ImGui::RadioButton("share", &scale, 1);
  draw_accounting_legend();
  double top = 0;
  for (size_t i = 0; i < c.guest_count(); ++i)
    top = std::max(top, cycles_per_instruction(c.vmm()->guest(i).counters));
  const float label_w = ImGui::GetFontSize() * 6;
  std::vector<std::string> beside(c.guest_count());
  float beside_w = 0;
  for (size_t i = 0; i < c.guest_count(); ++i) {
    beside[i] = short_number(cycles_per_instruction(c.vmm()->guest(i).counters)) + " cycles/instr";
    beside_w = std::max(beside_w, ImGui::CalcTextSize(beside[i].c_str()).x);
  }
  beside_w += 2 * ImGui::GetStyle().ItemSpacing.x;
  for (size_t i = 0; i < c.guest_count(); ++i) {
    const vmm::GuestCounters& g = c.vmm()->guest(i).counters;
    const vmm::CycleAccounting& a = g.accounting;
    ImGui::TextUnformatted(c.guest(i).spec.name.c_str());
    ImGui::SameLine(label_w);
    const float length =
        scale == 1 ? (a.total() ? 1.0f : 0.0f) : (top > 0 ? float(cycles_per_instruction(g) / top) : 0.0f);
    ImGui::PushID(int(i));
    draw_accounting_bar("##accounting", g, length, beside[i], beside_w);
    ImGui::PopID();
  }
}

}  // namespace

void draw_compare_panel(AppContext& ctx) {
  const int gi = ctx.guest();
  if (gi < 0) return;
  ImGui::TextWrapped("Runs a copy of \"%s\" under each strategy, side by side, in a session of its "
                     "own (the main scenario is not touched).",
                     ctx.session.guest(size_t(gi)).spec.name.c_str());
  std::string error;
  if (ImGui::Button(ctx.comparison ? "Restart with the selected guest" : "Compare the selected guest")) {
    if (!start_comparison(ctx, size_t(gi), &error)) ctx.notice = "compare: " + error;
  }
  if (!ctx.comparison) return;
  session::Session& c = *ctx.comparison;
  ImGui::SameLine();
  bool running = c.any_running();
  if (ImGui::Button(running ? "Pause" : "Run")) c.set_all_running(!running);
  c.run_frame();
  ImGui::SameLine();
  ImGui::TextDisabled("host cycles %s", short_number(double(c.vmm()->host_cycles())).c_str());
  draw_accounting(c, ctx.view<CompareView>(PanelId::compare).scale);

  const float label_w = ImGui::GetFontSize() * 6;
  for (const Metric& m : kMetrics) {
    double top = 0;
    for (size_t i = 0; i < c.guest_count(); ++i) top = std::max(top, m.value(c.vmm()->guest(i).counters));
    ImGui::Separator();
    ImGui::TextDisabled("%s", m.name);
    for (size_t i = 0; i < c.guest_count(); ++i) {
      const double v = m.value(c.vmm()->guest(i).counters);
      ImGui::TextUnformatted(c.guest(i).spec.name.c_str());
      ImGui::SameLine(label_w);
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImGui::ColorConvertU32ToFloat4(guest_colour(i)));
      // Counts are whole numbers: "37", not "37.00" (short_number keeps decimals for ratios).
      const std::string label = v == std::floor(v) && v < 1e4 ? grouped(uint64_t(v)) : short_number(v);
      ImGui::ProgressBar(top > 0 ? float(v / top) : 0.0f, ImVec2(-1, ImGui::GetFontSize()), label.c_str());
      ImGui::PopStyleColor();
    }
  }
}

}  // namespace trapeze::ui
