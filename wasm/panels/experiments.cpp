// The experiments panel: choose one of core/experiments' experiments, then Run it
// (ExperimentRunner runs it in bounded slices each frame; Pause, Resume and Stop
// while it runs, and a state line says which), plot its points as they arrive
// with ImDrawList (ImGui 1.86 has no plotting library) and show its table. What to plot is derived from the table:
//   - a table whose rows are named by a text column and whose other columns are
//     all numbers (the nano table): grouped bars, one group per row, one bar per
//     column, each group on its own scale (costs span three orders of magnitude);
//   - otherwise two line plots of chosen numeric columns against a chosen x column,
//     one line per series (the text columns, e.g. variant) and y column.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "appearance.h"
#include "app_context.h"
#include "experiments/experiment.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

using experiments::Table;
using experiments::Value;

// What the panel plots of the run (the run itself is shared: AppContext::experiment_runner).
struct ExperimentView {
  uint64_t axes_generation = 0;  // the run the axes below were picked for
  bool log_x = false, log_x_chosen = false;  // chosen: ticked by hand, no longer automatic
  int x = 0;                 // column
  std::vector<bool> y[2];    // columns of the left and right plots
};

bool numeric(const Value& v) {
  return std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v);
}
double number(const Value& v) {
  if (const int64_t* i = std::get_if<int64_t>(&v)) return double(*i);
  if (const double* d = std::get_if<double>(&v)) return *d;
  return NAN;
}
std::string text(const Value& v) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  if (numeric(v)) return experiments::format_number(number(v));
  return "";
}

// Which columns hold text (series names) and which numbers, from the rows so far.
struct Shape {
  std::vector<int> text_cols, number_cols;
  bool bars = false;  // the nano table's shape
};
Shape shape_of(const Table& t) {
  Shape s;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    bool any_text = false;
    for (const auto& row : t.rows) any_text |= std::holds_alternative<std::string>(row[c]);
    (any_text ? s.text_cols : s.number_cols).push_back(int(c));
  }
  s.bars =
      s.text_cols.size() == 1 && s.text_cols[0] == 0 && !s.number_cols.empty() && !t.rows.empty();
  return s;
}

int column_named(const Table& t, const char* name) {
  for (size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c].name == name) return int(c);
  return -1;
}

// The columns plotted by default (once per run).
void pick_axes(ExperimentView& v, uint64_t generation, const Table& t, const Shape& s) {
  v.axes_generation = generation;
  const int n = int(s.number_cols.size());
  const int util = column_named(t, "utilization");
  v.x = util >= 0 ? util : s.number_cols[0];
  v.y[0].assign(t.columns.size(), false);
  v.y[1].assign(t.columns.size(), false);
  const int lat = column_named(t, "mean_latency"), thr = column_named(t, "throughput");
  v.y[0][size_t(lat >= 0 ? lat : s.number_cols[std::min(1, n - 1)])] = true;
  v.y[1][size_t(thr >= 0 ? thr : s.number_cols[size_t(n - 1)])] = true;
  v.log_x_chosen = false;
}

// Picks the default axes once per run, when its first rows are known; the log
// scale follows the rows as they arrive until the user sets it.
void default_axes(ExperimentView& v, uint64_t generation, const Table& t, const Shape& s) {
  if (t.rows.empty() || s.number_cols.empty()) return;
  if (v.axes_generation != generation) pick_axes(v, generation, t, s);
  if (v.log_x_chosen) return;
  // Cache-size sweeps double their parameter: a log axis spaces them evenly.
  double lo = INFINITY, hi = 0;
  for (const auto& row : t.rows)
    if (numeric(row[size_t(v.x)]))
      lo = std::min(lo, number(row[size_t(v.x)])), hi = std::max(hi, number(row[size_t(v.x)]));
  v.log_x = lo > 0 && hi / lo > 50;
}

// A frame with axes; returns the plot rectangle.
struct Frame {
  ImVec2 a, b;  // inner rectangle
};
Frame draw_frame(ImDrawList* dl, ImVec2 p, ImVec2 size, const char* title) {
  const float f = ImGui::GetFontSize();
  Frame fr{ImVec2(p.x + f * 3.8f, p.y + f * 1.4f),
           ImVec2(p.x + size.x - f * 0.6f, p.y + size.y - f * 1.6f)};
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), palette().plot_background);
  dl->AddRect(fr.a, fr.b, palette().plot_frame);
  dl->AddText(ImVec2(p.x + f * 0.4f, p.y + f * 0.2f), palette().plot_text, title);
  return fr;
}

void draw_bars(const Table& t, const Shape& s) {
  const float f = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const size_t groups = t.rows.size(), bars = s.number_cols.size();
  const float group_h = f * 0.9f * float(bars) + f * 0.6f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Legend: one colour per column (strategy).
  float lx = p.x;
  for (size_t k = 0; k < bars; ++k) {
    dl->AddRectFilled(ImVec2(lx, p.y + f * 0.2f), ImVec2(lx + f * 0.7f, p.y + f * 0.9f),
                      guest_colour(k));
    const std::string& name = t.columns[size_t(s.number_cols[k])].name;
    dl->AddText(ImVec2(lx + f * 0.9f, p.y), palette().plot_text, name.c_str());
    lx += f * 1.4f + ImGui::CalcTextSize(name.c_str()).x;
  }
  const float top = p.y + f * 1.5f, label_w = f * 6, bar_w = w - label_w - f * 4;
  for (size_t g = 0; g < groups; ++g) {
    const auto& row = t.rows[g];
    double most = 0;
    for (int c : s.number_cols)
      most = std::max(most, numeric(row[size_t(c)]) ? number(row[size_t(c)]) : 0.0);
    const float gy = top + float(g) * group_h;
    dl->AddText(ImVec2(p.x, gy + f * 0.3f), ImGui::ColorConvertFloat4ToU32(palette().accent), text(row[0]).c_str());
    for (size_t k = 0; k < bars; ++k) {
      const Value& cell = row[size_t(s.number_cols[k])];
      const float y = gy + float(k) * f * 0.9f;
      const ImVec2 a(p.x + label_w, y);
      if (!numeric(cell)) {
        dl->AddText(a, ImGui::ColorConvertFloat4ToU32(palette().dim), "—");
        continue;
      }
      const float len = most > 0 ? float(number(cell) / most) * bar_w : 0;
      dl->AddRectFilled(a, ImVec2(a.x + std::max(len, 1.0f), y + f * 0.75f), guest_colour(k));
      dl->AddText(ImVec2(a.x + len + f * 0.3f, y - f * 0.1f), palette().plot_text_strong,
                  experiments::format_number(number(cell)).c_str());
    }
  }
  ImGui::Dummy(ImVec2(w, f * 1.5f + float(groups) * group_h));
}

// Line plot of the ticked y columns against column x, one line per series and column.
void draw_lines(const Table& t, const Shape& s, int x, const std::vector<bool>& ys, bool log_x,
                ImVec2 size, const char* title) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const Frame fr = draw_frame(dl, p, size, title);
  ImGui::Dummy(size);
  // Series: the text columns' values joined ("port-native").
  std::map<std::string, std::vector<size_t>> series;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    std::string key;
    for (int c : s.text_cols) {
      if (!key.empty()) key += ' ';
      key += text(t.rows[r][size_t(c)]);
    }
    series[key].push_back(r);
  }
  const auto xv = [&](double v) { return log_x ? std::log2(std::max(v, 1e-9)) : v; };
  double x0 = INFINITY, x1 = -INFINITY, y1 = 0;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (!numeric(t.rows[r][size_t(x)])) continue;
    x0 = std::min(x0, xv(number(t.rows[r][size_t(x)])));
    x1 = std::max(x1, xv(number(t.rows[r][size_t(x)])));
    for (size_t c = 0; c < ys.size(); ++c)
      if (ys[c] && numeric(t.rows[r][c])) y1 = std::max(y1, number(t.rows[r][c]));
  }
  if (!(x1 >= x0)) return;
  if (x1 == x0) x1 = x0 + 1;
  if (y1 <= 0) y1 = 1;
  const float f = ImGui::GetFontSize();
  const auto at = [&](double xx, double yy) {
    return ImVec2(fr.a.x + float((xv(xx) - x0) / (x1 - x0)) * (fr.b.x - fr.a.x),
                  fr.b.y - float(yy / y1) * (fr.b.y - fr.a.y));
  };
  const ImU32 axis = palette().plot_axis;
  dl->AddText(ImVec2(p.x + f * 0.2f, fr.a.y - f * 0.1f), axis, short_number(y1).c_str());
  dl->AddText(ImVec2(p.x + f * 0.2f, fr.b.y - f), axis, "0");
  const double lo = log_x ? std::exp2(x0) : x0, hi = log_x ? std::exp2(x1) : x1;
  dl->AddText(ImVec2(fr.a.x, fr.b.y + f * 0.2f), axis, experiments::format_number(lo).c_str());
  const std::string hi_s = experiments::format_number(hi);
  dl->AddText(ImVec2(fr.b.x - ImGui::CalcTextSize(hi_s.c_str()).x, fr.b.y + f * 0.2f), axis,
              hi_s.c_str());
  std::string xname = t.columns[size_t(x)].name;
  if (log_x) xname += " (log)";
  dl->AddText(
      ImVec2((fr.a.x + fr.b.x - ImGui::CalcTextSize(xname.c_str()).x) / 2, fr.b.y + f * 0.2f), axis,
      xname.c_str());
  size_t colour = 0;
  float legend_y = fr.a.y + f * 0.2f;
  for (const auto& [name, rows] : series) {
    for (size_t c = 0; c < ys.size(); ++c) {
      if (!ys[c]) continue;
      const ImU32 col = guest_colour(colour++);
      std::vector<std::pair<double, double>> pts;
      for (size_t r : rows)
        if (numeric(t.rows[r][size_t(x)]) && numeric(t.rows[r][c]))
          pts.emplace_back(number(t.rows[r][size_t(x)]), number(t.rows[r][c]));
      std::sort(pts.begin(), pts.end());
      for (size_t k = 0; k < pts.size(); ++k) {
        const ImVec2 q = at(pts[k].first, pts[k].second);
        dl->AddCircleFilled(q, 2.5f, col);
        if (k) dl->AddLine(at(pts[k - 1].first, pts[k - 1].second), q, col, 1.5f);
      }
      std::string label = name;
      if (!label.empty()) label += ": ";
      label += t.columns[c].name;
      dl->AddText(ImVec2(fr.a.x + f * 0.4f, legend_y), col, label.c_str());
      legend_y += f;
    }
  }
}

// A combo with a checkbox per numeric column.
void y_picker(const char* id, const Table& t, const Shape& s, std::vector<bool>& ys) {
  std::string preview;
  for (size_t c = 0; c < ys.size(); ++c)
    if (ys[c]) {
      if (!preview.empty()) preview += ", ";
      preview += t.columns[c].name;
    }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  if (!ImGui::BeginCombo(id, preview.c_str())) return;
  for (int c : s.number_cols) {
    bool on = ys[size_t(c)];
    if (ImGui::Checkbox(t.columns[size_t(c)].name.c_str(), &on)) ys[size_t(c)] = on;
    tooltip(t.columns[size_t(c)].doc.c_str());
  }
  ImGui::EndCombo();
}

void draw_table(const Table& t) {
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit;
  if (t.columns.empty() || !ImGui::BeginTable("points", int(t.columns.size()), flags, ImVec2(0, 0)))
    return;
  ImGui::TableSetupScrollFreeze(1, 1);
  for (const auto& c : t.columns) ImGui::TableSetupColumn(c.name.c_str());
  ImGui::TableHeadersRow();
  for (const auto& row : t.rows) {
    ImGui::TableNextRow();
    for (const Value& v : row) {
      ImGui::TableNextColumn();
      if (std::holds_alternative<std::monostate>(v))
        ImGui::TextDisabled("—");
      else
        ImGui::TextUnformatted(text(v).c_str());
    }
  }
  ImGui::EndTable();
}

// Choose, then Run; Pause / Resume / Stop while it runs; Run again when it ended.
void draw_controls(ExperimentRunner& r) {
  using State = ExperimentRunner::State;
  const auto& list = experiments::experiment_list();
  ImGui::BeginDisabled(r.active());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::BeginCombo("##experiment", std::string(list[r.chosen()].name).c_str())) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (ImGui::Selectable(std::string(list[i].name).c_str(), i == r.chosen())) r.choose(i);
      tooltip(std::string(list[i].summary).c_str());
    }
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  switch (r.state()) {
    case State::Idle: if (ImGui::Button("Run")) r.start(); break;
    case State::Running: if (ImGui::Button("Pause")) r.pause(); break;
    case State::Paused: if (ImGui::Button("Resume")) r.resume(); break;
    case State::Done:
    case State::Failed: if (ImGui::Button("Run again")) r.start(); break;
  }
  if (r.active()) {
    ImGui::SameLine();
    if (ImGui::Button("Stop")) r.stop();
  }
}

// One line: what the run is doing, or why it failed.
void draw_state_line(const ExperimentRunner& r) {
  using State = ExperimentRunner::State;
  const std::string name(experiments::experiment_list()[r.chosen()].name);
  const size_t points = r.run() ? r.run()->table().rows.size() : 0;
  const ImVec4 green = palette().good, amber = palette().changed, red = palette().bad;
  switch (r.state()) {
    case State::Idle:
      ImGui::TextDisabled("Ready: press Run to run %s (the same table as `trapeze experiment %s`).",
                          name.c_str(), name.c_str());
      return;
    case State::Running:
      ImGui::TextColored(amber, "Running: %zu points so far, %.1f s", points, r.seconds());
      ImGui::SameLine();
      ImGui::TextDisabled("(slices of %s cycles, %.0f ms per frame)",
                          short_number(double(r.slice_cycles())).c_str(), r.last_frame_ms());
      return;
    case State::Paused:
      ImGui::TextColored(amber, "Paused after %zu points (%.1f s): press Resume to go on.", points,
                         r.seconds());
      return;
    case State::Done:
      ImGui::TextColored(green, "Done: %zu points in %.1f s.", points, r.seconds());
      return;
    case State::Failed:
      ImGui::TextColored(red, "Failed after %zu points: %s", points, r.error().c_str());
      return;
  }
}

}  // namespace

void draw_experiments_panel(AppContext& ctx) {
  ExperimentView& v = ctx.view<ExperimentView>(PanelId::experiments);
  ExperimentRunner& r = ctx.experiment_runner;
  if (experiments::experiment_list().empty()) return;
  draw_controls(r);
  draw_state_line(r);
  ImGui::TextWrapped("%s", std::string(experiments::experiment_list()[r.chosen()].summary).c_str());
  if (!r.run()) return;
  // Notes wrapped, dimmed: a long one (how latency is measured) must be read whole.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  for (const std::string& n : r.run()->notes()) ImGui::TextWrapped("%s", n.c_str());
  ImGui::PopStyleColor();
  const Table& t = r.run()->table();

  const Shape s = shape_of(t);
  default_axes(v, r.generation(), t, s);
  const float plot_h = ImGui::GetContentRegionAvail().y * 0.55f;
  ImGui::BeginChild("plots", ImVec2(0, std::max(plot_h, ImGui::GetFontSize() * 10)), false);
  if (s.bars) {
    draw_bars(t, s);
  } else if (v.axes_generation == r.generation() && !t.rows.empty()) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo("x", t.columns[size_t(v.x)].name.c_str())) {
      for (int c : s.number_cols)
        if (ImGui::Selectable(t.columns[size_t(c)].name.c_str(), c == v.x)) v.x = c;
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Checkbox("log x", &v.log_x)) v.log_x_chosen = true;
    ImGui::SameLine();
    y_picker("left", t, s, v.y[0]);
    ImGui::SameLine();
    y_picker("right", t, s, v.y[1]);
    const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
    const ImVec2 size(w, std::max(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 8));
    draw_lines(t, s, v.x, v.y[0], v.log_x, size, "");
    ImGui::SameLine();
    draw_lines(t, s, v.x, v.y[1], v.log_x, size, "");
  }
  ImGui::EndChild();
  draw_table(t);
}

}  // namespace trapeze::ui
