// The console: what each guest printed, live, one column per guest (tabs when the
// panel is too narrow for columns), with non-printable bytes escaped. Beside a
// virtualized guest, where its output departs from its bare-metal reference
// (session/reference_run.h): from the first differing byte on in red, with the
// line bare metal printed there shown under it.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "app_context.h"
#include "appearance.h"
#include "text/escape.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

using session::ConsoleDiff;

// The console panel's rendering of one guest's output: escaped (non-printable
// bytes as \xNN) and cut into rows of `columns` characters, remade only when
// the output or the width changes.
struct ConsoleText {
  std::string raw;  // the output it was made from
  int columns = 0;  // characters per row
  std::string text;  // every line escaped, one after the other
  struct Row {
    uint32_t line, begin, end;  // a piece of line `line`: text[begin, end)
  };
  std::vector<Row> rows;
  std::vector<uint32_t> line_begin;  // where each line starts in `text`
  bool follow = true;  // keep the newest output in view
  uint64_t difference_shown = 0;  // 1 + the differing byte last scrolled into view (0: none)
};

struct ConsoleView {
  std::vector<ConsoleText> guests;  // per guest
};

// The difference's colours, per theme: light text on a dark red ground in the dark
// theme, dark text on a pale red ground in the light one (course pages are white).
struct DiffColours {
  ImVec4 red, dim_red, green, bare_metal, amber, red_ground;
};
const DiffColours& diff_colours() {
  static const DiffColours dark{{1.00f, 0.38f, 0.35f, 1}, {0.85f, 0.50f, 0.48f, 1}, {0.45f, 0.85f, 0.45f, 1},
                                {0.55f, 0.80f, 0.95f, 1}, {0.95f, 0.75f, 0.30f, 1}, {0.42f, 0.08f, 0.08f, 1}};
  static const DiffColours light{{0.75f, 0.05f, 0.05f, 1}, {0.60f, 0.25f, 0.22f, 1}, {0.10f, 0.50f, 0.15f, 1},
                                 {0.05f, 0.30f, 0.65f, 1}, {0.60f, 0.40f, 0.00f, 1}, {1.00f, 0.82f, 0.80f, 1}};
  return appearance().theme == Theme::light ? light : dark;
}
constexpr float kMinColumnChars = 24;  // narrower than this: tabs instead of columns

// Printable ASCII as is; anything else escaped, so every byte is visible.
using text::escape_byte;

size_t escaped_size(std::string_view raw) {
  std::string s;
  for (unsigned char c : raw) escape_byte(c, s);
  return s.size();
}

// Remakes `t` for `raw` at `columns` characters per row (only when they changed).
void layout(ConsoleText& t, const std::string& raw, int columns) {
  if (t.columns == columns && t.raw == raw) return;
  t.raw = raw, t.columns = columns;
  t.text.clear(), t.rows.clear(), t.line_begin.clear();
  uint32_t line = 0;
  t.line_begin.push_back(0);
  auto end_line = [&](uint32_t begin) {
    const uint32_t end = uint32_t(t.text.size());
    if (begin == end) t.rows.push_back({line, begin, end});
    for (uint32_t b = begin; b < end;) {
      uint32_t e = std::min<uint32_t>(end, b + uint32_t(columns));
      if (e < end && t.text[e] != ' ') {  // break after the last space, not inside a word
        const size_t space = t.text.rfind(' ', e - 1);
        if (space != std::string::npos && space > b) e = uint32_t(space + 1);
      }
      t.rows.push_back({line, b, e});
      b = e;
      if (b < end && t.text[b] == ' ') ++b;  // a row does not start with the space it broke at
    }
  };
  uint32_t begin = 0;
  for (unsigned char c : raw) {
    if (c == '\n') {
      end_line(begin);
      begin = uint32_t(t.text.size());
      t.line_begin.push_back(begin);
      ++line;
      continue;
    }
    escape_byte(c, t.text);
  }
  if (begin < t.text.size()) end_line(begin);  // an unfinished last line
}

// What the column's status line says, and in which colour.
void status_line(const AppContext& ctx, size_t i, const ConsoleDiff& d) {
  const session::Session& s = ctx.session;
  const vmm::Guest& g = s.vmm()->guest(i);
  const session::ReferenceRun* ref = s.references().reference(i);
  if (g.strategy_kind() == vmm::StrategyKind::NATIVE) {
    ImGui::TextDisabled("bare metal: the reference");
    return;
  }
  if (!ref) {
    ImGui::TextDisabled("no bare-metal reference yet");
    return;
  }
  if (!ref->machine) {
    ImGui::TextColored(diff_colours().amber, "no bare-metal reference: %s", ref->error.c_str());
    return;
  }
  switch (d.status) {
    case ConsoleDiff::Status::Differs: {
      char text[96];
      std::snprintf(text, sizeof text, "differs from bare metal at line %zu, column %zu", d.line + 1,
                    d.byte - d.line_start + 1);
      ImGui::PushStyleColor(ImGuiCol_Text, diff_colours().red);
      ImGui::TextWrapped("%s", text);
      ImGui::PopStyleColor();
      break;
    }
    case ConsoleDiff::Status::Same: ImGui::TextColored(diff_colours().green, "same as bare metal"); break;
    case ConsoleDiff::Status::SameSoFar: ImGui::TextColored(diff_colours().green, "same as bare metal so far"); break;
    case ConsoleDiff::Status::None: ImGui::TextDisabled("not compared"); break;
  }
  const char* why = ref->without_pv
                        ? "Compared with this guest's source assembled for bare metal (PV undefined), run on a "
                          "bare machine: its own PV=1 build would stop at its first hypercall, which bare "
                          "hardware does not have."
                        : "Compared with the same image run on a bare machine of its own (no VMM).";
  tooltip(why);
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", ref->without_pv ? "vs. its native build (no PV) on bare metal"
                                             : "vs. the same image on bare metal");
  ImGui::PopTextWrapPos();
  tooltip(why);
}

// One row of the output, the part from `red_from` (an offset in t.text) on in `colour`.
void draw_row(const ConsoleText& t, const ConsoleText::Row& r, size_t red_from, const ImVec4& colour, bool mark) {
  const char* base = t.text.data();
  if (red_from >= r.end) {
    ImGui::TextUnformatted(base + r.begin, base + r.end);
    return;
  }
  const size_t split = std::max<size_t>(red_from, r.begin);
  if (split > r.begin) {
    ImGui::TextUnformatted(base + r.begin, base + split);
    ImGui::SameLine(0, 0);
  }
  // The first differing line's departure on a dark red ground, so it is seen at a glance.
  if (mark) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::CalcTextSize(base + split, base + r.end);
    ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + std::max(size.x, 6.0f), at.y + size.y),
                                              ImGui::GetColorU32(diff_colours().red_ground));
  }
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(base + split, base + r.end);
  ImGui::PopStyleColor();
}

// The reference's line at the difference, escaped.
std::string bare_metal_line(const ConsoleDiff& d) {
  std::string line = "bare metal: ";
  for (unsigned char c : d.reference_line) escape_byte(c, line);
  if (d.reference_line.empty()) line += "(nothing more)";
  return line;
}

// The output of guest i, scrolling, in the space left.
void draw_output(AppContext& ctx, size_t i, const ConsoleDiff& d) {
  const vmm::Guest& g = ctx.session.vmm()->guest(i);
  std::vector<ConsoleText>& texts = ctx.view<ConsoleView>(PanelId::console).guests;
  if (texts.size() <= i) texts.resize(i + 1);
  ConsoleText& t = texts[i];
  if (const uint64_t dropped = g.counters.machine.console_dropped)
    ImGui::TextColored(diff_colours().amber, "%s later bytes dropped (the console keeps the first %s)", grouped(dropped).c_str(),
                       grouped(g.console().size()).c_str());
  ImGui::BeginChild("##out", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float char_w = ImGui::CalcTextSize("M").x;
  const int columns = std::max(16, int((ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize) / char_w));
  layout(t, g.console(), columns);
  const bool differs = d.status == ConsoleDiff::Status::Differs;
  // Where red starts in t.text, and the last row of the differing line (the
  // bare-metal line goes under it).
  size_t red_from = t.text.size() + 1;
  size_t last_row_of_line = t.rows.size();
  if (differs) {
    const size_t line_begin = d.line < t.line_begin.size() ? t.line_begin[d.line] : t.text.size();
    red_from = line_begin + escaped_size(std::string_view(g.console()).substr(d.line_start, d.byte - d.line_start));
    for (size_t k = 0; k < t.rows.size(); ++k)
      if (t.rows[k].line == d.line) last_row_of_line = k;
  }
  if (t.rows.empty() && !differs) ImGui::TextDisabled("(nothing printed yet)");
  // One entry per screen row: a row of output (>= 0), or a row of the bare-metal
  // line under the differing one (-1 - its index), so the clipper sees equal rows.
  const std::string bare = differs ? bare_metal_line(d) : std::string();
  std::vector<long> shown;
  shown.reserve(t.rows.size() + 4);
  auto add_bare = [&] {
    for (size_t b = 0; b < bare.size(); b += size_t(columns)) shown.push_back(-1 - long(b));
  };
  for (size_t k = 0; k < t.rows.size(); ++k) {
    shown.push_back(long(k));
    if (k == last_row_of_line) add_bare();
  }
  const bool missing_line = differs && last_row_of_line == t.rows.size();  // the guest never printed it
  ImGuiListClipper clipper;
  clipper.Begin(int(shown.size()));
  while (clipper.Step()) {
    for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
      const long e = shown[size_t(k)];
      if (e >= 0) {
        const ConsoleText::Row& r = t.rows[size_t(e)];
        draw_row(t, r, red_from, r.line == d.line ? diff_colours().red : diff_colours().dim_red, r.line == d.line);
      } else {
        const size_t b = size_t(-1 - e);
        ImGui::TextColored(diff_colours().bare_metal, "%.*s", int(std::min(bare.size() - b, size_t(columns))), bare.data() + b);
      }
    }
  }
  clipper.End();
  if (missing_line) {
    ImGui::TextColored(diff_colours().red, "(nothing more)");
    for (size_t b = 0; b < bare.size(); b += size_t(columns))
      ImGui::TextColored(diff_colours().bare_metal, "%.*s", int(std::min(bare.size() - b, size_t(columns))), bare.data() + b);
  }
  // A new difference is brought into view once (the line just above it, then it):
  // it is what the student is looking for, and in a short panel following the
  // output would scroll it away. Otherwise follow new output while scrolled to the
  // bottom.
  if (!differs) {
    t.difference_shown = 0;
  } else if (t.difference_shown != d.byte + 1) {
    size_t first = 0;
    while (first < shown.size() && !(shown[first] >= 0 && t.rows[size_t(shown[first])].line == d.line)) ++first;
    ImGui::SetScrollY(float(first > 0 ? first - 1 : 0) * ImGui::GetTextLineHeightWithSpacing());
    t.difference_shown = d.byte + 1;
    t.follow = false;
  }
  if (t.follow) ImGui::SetScrollHereY(1.0f);
  if (t.difference_shown == 0 || ImGui::GetScrollMaxY() > 0)
    t.follow = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  ImGui::EndChild();
}

void draw_guest(AppContext& ctx, size_t i, bool with_title) {
  const session::Session& s = ctx.session;
  const vmm::Guest& g = s.vmm()->guest(i);
  const ConsoleDiff d = s.references().diff(s, i);
  ImGui::PushID(int(i));
  if (with_title) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(guest_colour(i)), "%s", s.guest(i).spec.name.c_str());
    ImGui::SameLine();
  }
  ImGui::TextDisabled("%s, %s", std::string(vmm::strategy_name(g.strategy_kind())).c_str(),
                      guest_state_text(s, i).text.c_str());
  status_line(ctx, i, d);
  draw_output(ctx, i, d);
  ImGui::PopID();
}

}  // namespace

void draw_console_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int n = int(s.loaded() ? s.guest_count() : 0);
  if (n == 0) {
    ImGui::TextDisabled("No scenario loaded.");
    return;
  }
  const float char_w = ImGui::CalcTextSize("M").x;
  const bool columns = ImGui::GetContentRegionAvail().x / float(n) >= kMinColumnChars * char_w;
  if (columns) {
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame;
    if (ImGui::BeginTable("console", n, flags, ImGui::GetContentRegionAvail())) {
      ImGui::TableNextRow();
      for (int i = 0; i < n; ++i) {
        ImGui::TableNextColumn();
        draw_guest(ctx, size_t(i), true);
      }
      ImGui::EndTable();
    }
    return;
  }
  // Tabs keep their full names (the bar scrolls, and its list button names every
  // guest), rather than shrinking to "g..." when many guests share the bar.
  if (!ImGui::BeginTabBar("console", ImGuiTabBarFlags_FittingPolicyScroll | ImGuiTabBarFlags_TabListPopupButton))
    return;
  for (int i = 0; i < n; ++i) {
    const bool differs = s.references().diff(s, size_t(i)).status == ConsoleDiff::Status::Differs;
    if (differs) ImGui::PushStyleColor(ImGuiCol_Text, diff_colours().red);
    const std::string label = s.guest(size_t(i)).spec.name + (differs ? " (differs)" : "") + "###" + std::to_string(i);
    const bool open = ImGui::BeginTabItem(label.c_str());
    if (differs) ImGui::PopStyleColor();
    if (open) {
      draw_guest(ctx, size_t(i), false);
      ImGui::EndTabItem();
    }
  }
  ImGui::EndTabBar();
}

}  // namespace trapeze::ui
