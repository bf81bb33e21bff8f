// Live plots of the guests' sampled history (session/history.h): one metric at a
// time, every guest a line in its colour, drawn with ImDrawList (ImGui 1.86 has
// no multi-series plot); and each guest's share of host time.
#include <imgui.h>

#include <algorithm>

#include "appearance.h"
#include "app_context.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

struct PlotsView {
  int metric = 0;  // index in kMetrics
};

constexpr const char* kMetrics[] = {"instructions/s", "traps/s", "VM exits/s", "TLB misses/s",
                                    "cycles per guest instruction"};

double metric(const session::Rates& r, int m) {
  switch (m) {
    case 0: return r.instructions;
    case 1: return r.traps;
    case 2: return r.vm_exits;
    case 3: return r.tlb_misses;
    default: return r.cycles_per_instruction;
  }
}

}  // namespace

void draw_plots_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  if (!s.loaded()) return;
  PlotsView& view = ctx.view<PlotsView>(PanelId::plots);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  ImGui::Combo("##metric", &view.metric, kMetrics, int(std::size(kMetrics)));

  // Utilization bars, one per guest.
  for (size_t i = 0; i < s.guest_count(); ++i) {
    const bool host = s.vmm()->guest(i).strategy->uses_host();
    char label[96];
    std::snprintf(label, sizeof label, "%s %.1f%%", s.guest(i).spec.name.c_str(), 100 * s.vmm()->utilization(i));
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImGui::ColorConvertU32ToFloat4(guest_colour(i)));
    ImGui::ProgressBar(host ? float(s.vmm()->utilization(i)) : 0.0f, ImVec2(-1, ImGui::GetFontSize() * 1.1f),
                       host ? label : (s.guest(i).spec.name + ": own machine").c_str());
    ImGui::PopStyleColor();
  }

  // The plot: per-sample rates of the chosen metric.
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 size(ImGui::GetContentRegionAvail().x, std::max(60.0f, ImGui::GetContentRegionAvail().y - 4));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), palette().plot_background);
  std::vector<std::vector<double>> series(s.guest_count());
  double top = 0;
  for (size_t i = 0; i < s.guest_count(); ++i) {
    const session::History& h = s.guest(i).history;
    for (size_t k = 1; k < h.size(); ++k) {
      const double v = metric(session::rates_between(h.at(k - 1), h.at(k)), view.metric);
      series[i].push_back(v);
      top = std::max(top, v);
    }
  }
  if (top <= 0) top = 1;
  const size_t n = 300;  // the history's capacity: the x axis is fixed
  for (size_t i = 0; i < series.size(); ++i) {
    const auto& v = series[i];
    if (v.size() < 2) continue;
    std::vector<ImVec2> pts;
    for (size_t k = 0; k < v.size(); ++k) {
      const float x = p0.x + size.x * float(n - v.size() + k) / float(n - 1);
      pts.push_back(ImVec2(x, p0.y + size.y - 4 - float(v[k] / top) * (size.y - 20)));
    }
    dl->AddPolyline(pts.data(), int(pts.size()), guest_colour(i), 0, 1.5f);
  }
  dl->AddText(ImVec2(p0.x + 4, p0.y + 2), palette().plot_text,
              (short_number(top) + "  " + kMetrics[view.metric] + ", last 30 s").c_str());
  ImGui::Dummy(size);
}

}  // namespace trapeze::ui
