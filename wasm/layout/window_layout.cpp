#include "layout/window_layout.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

#include "app_context.h"
#include "appearance.h"
#include "layout/page_toolbar.h"
#include "layout/panel_needs.h"
#include "panels/widgets.h"

namespace trapeze::ui {
namespace {

constexpr float kPhoneWidth = 700;         // below this the full app shows one panel at a time
constexpr float kPhoneWidthEmbed = 480;    // embeds are tiled down to this width
// The full app tiles windows down to 800x600 at 100 % UI scale; a larger scale
// shrinks the window in the panels' terms (150 % of 1280x800 is 853x533), and
// below that size the panels go under tabs as on a phone instead of being cut.
constexpr float kTiledMinWidth = 800, kTiledMinHeight = 600;

layout::Rect to_rect(ImVec2 pos, ImVec2 size) {
  return layout::Rect{int(std::lround(pos.x)), int(std::lround(pos.y)), int(std::lround(size.x)),
                      int(std::lround(size.y))};
}

const layout::Rect* tile_of(const LayoutState& l, size_t panel) {
  for (const layout::Placed& p : l.tiles)
    if (p.id == int(panel)) return &p.rect;
  return nullptr;
}

// The student let go of a panel they moved or resized: a resize moves the split
// lines, a move onto another panel swaps the two; anything else springs back.
void commit_student_changes(AppContext& ctx) {
  LayoutState& l = ctx.layout;
  if (l.mode != LayoutMode::Tiled || !ImGui::IsMouseReleased(0)) return;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (const layout::Placed& t : l.tiles) {
    const layout::Rect& seen = l.seen[size_t(t.id)];
    if (!l.drawn[size_t(t.id)] || seen == t.rect) continue;
    if (std::abs(seen.w - t.rect.w) > 1 || std::abs(seen.h - t.rect.h) > 1) {
      l.tiling.resize(t.id, seen, l.area, l.needs);
      l.follows_window = false;
    } else {
      for (const layout::Placed& other : l.tiles)
        if (other.id != t.id && other.rect.contains(int(mouse.x), int(mouse.y))) {
          l.tiling.swap(t.id, other.id);
          l.follows_window = false;
          break;
        }
    }
  }
}

// Keeps the tiling in step with the open panels and the work area.
void update_tiling(AppContext& ctx, const layout::Rect& area) {
  LayoutState& l = ctx.layout;
  const size_t guests = ctx.session.loaded() ? ctx.session.guest_count() : 1;
  auto needs = panel_needs(ctx.open, guests, ImGui::GetFontSize(), ctx.compact);
  if (ctx.apply_layout > 0 || (l.follows_window && (!(area == l.area) || needs != l.needs))) {
    l.tiling = layout::Tiling::make_default(needs, area);
    l.follows_window = true;
    ctx.apply_layout = 0;
  }
  for (int id : l.tiling.panels())
    if (!ctx.open[size_t(id)]) l.tiling.remove(id), l.follows_window = false, l.applied[size_t(id)] = {};
  for (const layout::PanelNeeds& n : needs)
    if (!l.tiling.contains(n.id)) l.tiling.insert(n.id, area, needs), l.follows_window = false;
  l.area = area;
  l.needs = std::move(needs);
  l.tiles = l.tiling.place(area, l.needs);
}

void run_buttons(AppContext& ctx) {
  session::Session& s = ctx.session;
  if (ImGui::Button(s.any_running() ? "Pause all" : "Run all")) s.set_all_running(!s.any_running());
  ImGui::SameLine();
  if (ImGui::Button("Step") && ctx.guest() >= 0) s.step(size_t(ctx.guest()));
  tooltip("One instruction of the selected guest (F10).");
  ImGui::SameLine();
  if (ImGui::Button("Restart")) s.restart_all();
  tooltip("Every guest back to its state after loading.");
}

// One chip per guest: its colour, name, state and Run/Pause, flowing over lines.
void guest_chips(AppContext& ctx) {
  session::Session& s = ctx.session;
  const ImGuiStyle& style = ImGui::GetStyle();
  for (size_t i = 0; i < s.guest_count(); ++i) {
    const std::string name = s.guest(i).spec.name;
    const GuestStateText state_text = guest_state_text(s, i);
    const std::string& state = state_text.text;
    const char* run = s.guest(i).running ? "Pause" : "Run";
    const float width = ImGui::GetFontSize() * 1.2f + ImGui::CalcTextSize(name.c_str()).x +
                        ImGui::CalcTextSize(state.c_str()).x + ImGui::CalcTextSize(run).x +
                        style.FramePadding.x * 2 + style.ItemSpacing.x * 4;
    const float right = ImGui::GetItemRectMax().x + style.ItemSpacing.x * 2 + width;
    if (right < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine(0, style.ItemSpacing.x * 2);
    ImGui::PushID(int(i));
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float r = ImGui::GetFontSize() * 0.3f;
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(top.x + r, top.y + ImGui::GetFrameHeight() * 0.5f), r,
                                                guest_colour(i));
    ImGui::Dummy(ImVec2(r * 2, ImGui::GetFrameHeight()));
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(name.c_str());
    ImGui::SameLine();
    ImGui::TextColored(state_text.colour, "%s", state.c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(!s.guest(i).has_image());  // it cannot run until it assembles
    if (ImGui::Button(run)) s.set_running(i, !s.guest(i).running);
    ImGui::EndDisabled();
    const ImVec2 end = ImGui::GetItemRectMax();
    ImGui::PopID();
    const ImRect clip = ImGui::GetCurrentWindowRead()->InnerClipRect;
    if (top.x >= clip.Min.x && top.y >= clip.Min.y && end.x <= clip.Max.x && end.y <= clip.Max.y)
      ++ctx.layout.rows_in_bar;
  }
}

// The embed's "Open in full Trapeze" link floats over the bottom-right corner:
// when the bar's last line reaches under it, the bar takes one more line, left
// empty for the link. (Decided by x alone, so the bar's height stays put.)
void keep_clear_of_page_toolbar() {
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x > embed_toolbar().left)
    ImGui::Dummy(ImVec2(1, ImGui::GetFrameHeight()));
}

// The bar of the small layouts, over the top (phone) or bottom (embed) of `area`;
// returns the height it took (measured last frame).
void draw_bar(AppContext& ctx, const layout::Rect& area, bool tabs, bool at_bottom) {
  LayoutState& l = ctx.layout;
  const float height = float(l.bar_height);
  const float y = at_bottom ? float(area.bottom()) - height : float(area.y);
  ImGui::SetNextWindowPos(ImVec2(float(area.x), y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(float(area.w), 0), ImGuiCond_Always);  // 0: fit the height
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings;
  l.bar_name = tabs ? "tab_bar" : "run_bar";
  if (ImGui::Begin(tabs ? "##tab_bar" : "##run_bar", nullptr, flags)) {
    if (tabs) {
      bool first = true;
      for (size_t i = 0; i < kPanelCount; ++i) {
        if (!ctx.open[i]) continue;
        const char* title = kPanels[i].title;
        const float w = ImGui::CalcTextSize(title).x + ImGui::GetStyle().FramePadding.x * 2;
        if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <
                          ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
          ImGui::SameLine();
        first = false;
        const bool current = l.phone_tab == int(i);
        if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(title)) l.phone_tab = int(i);
        if (current) ImGui::PopStyleColor();
      }
      ImGui::Separator();
    }
    if (ctx.session.loaded()) {
      run_buttons(ctx);
      if (tabs && ctx.layout.touch_sized) {
        // Beside the buttons where it fits, else on a line of its own (not cut off).
        const char* note = "editing: read-only on small screens";
        const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(note).x;
        if (right < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
        ImGui::TextDisabled("%s", note);
      }
      guest_chips(ctx);
      if (at_bottom) keep_clear_of_page_toolbar();
    }
    l.bar = to_rect(ImGui::GetWindowPos(), ImGui::GetWindowSize());
  }
  ImGui::End();
  l.bar_height = l.bar.h;
}

// Tiles too small to show a line of a panel (ImGui would also grow them to its
// minimum window size, over their neighbours).
bool cramped(const std::vector<layout::Placed>& tiles, float em) {
  for (const layout::Placed& t : tiles)
    if (float(t.rect.w) < 8 * em || float(t.rect.h) < 3.5f * em) return true;
  return false;
}

// An embedded lab whose panels cannot all have their minimum size: its text and
// the editor cut to a few lines each help no one, so they go under tabs.
bool lab_cut(const AppContext& ctx) {
  if (!ctx.compact || !ctx.is_open(PanelId::lab)) return false;
  for (const layout::Placed& t : ctx.layout.tiles)
    for (const layout::PanelNeeds& n : ctx.layout.needs)
      if (n.id == t.id && (t.rect.w < n.min_w || t.rect.h < n.min_h)) return true;
  return false;
}

// The panel a phone shows: the one chosen, else the first open one.
void choose_tab(AppContext& ctx) {
  int& tab = ctx.layout.phone_tab;
  if (tab >= 0 && size_t(tab) < kPanelCount && ctx.open[size_t(tab)]) return;
  tab = -1;
  for (size_t i = 0; i < kPanelCount && tab < 0; ++i)
    if (ctx.open[i]) tab = int(i);
}

}  // namespace

void layout_begin_frame(AppContext& ctx) {
  LayoutState& l = ctx.layout;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float scale = float(appearance().scale_percent) / 100.0f;
  const bool small_at_scale = !ctx.compact && scale > 1.0f &&
                              (vp->Size.x / scale < kTiledMinWidth || vp->Size.y / scale < kTiledMinHeight);
  l.touch_sized = vp->Size.x < (ctx.compact ? kPhoneWidthEmbed : kPhoneWidth);
  const bool narrow = l.touch_sized || small_at_scale;
  l.mode = narrow ? LayoutMode::Phone : ctx.compact ? LayoutMode::Compact : LayoutMode::Tiled;
  commit_student_changes(ctx);
  l.drawn.fill(false);
  l.rows_in_panel = l.rows_in_bar = 0;
  l.bar_name = nullptr;

  // Compact mode has no menu bar: the whole viewport (the work area shrinks a frame late).
  const ImVec2 pos = ctx.compact ? vp->Pos : vp->WorkPos, size = ctx.compact ? vp->Size : vp->WorkSize;
  layout::Rect area = to_rect(pos, size);
  // An embed's "Open in full Trapeze" link floats over the bottom-right corner:
  // the panels end above it (a run bar at the bottom makes room for it itself).
  const float toolbar_top = embed_toolbar().top;
  l.panels_bottom = toolbar_top < float(area.bottom()) ? int(toolbar_top) - 2 : area.bottom();
  if (l.mode == LayoutMode::Phone) {
    choose_tab(ctx);
    draw_bar(ctx, area, true, false);
    update_tiling(ctx, area);  // kept in step for when the window is wide again
    return;
  }
  const bool run_bar = l.mode == LayoutMode::Compact && !ctx.is_open(PanelId::guests);
  if (run_bar) area.h = std::max(0, area.h - l.bar_height);  // as measured last frame
  else area.h = std::max(0, std::min(area.bottom(), l.panels_bottom) - area.y);
  update_tiling(ctx, area);
  if (cramped(l.tiles, ImGui::GetFontSize()) || lab_cut(ctx)) {
    // Too many panels for the window: one at a time under tabs, as on a phone.
    l.mode = LayoutMode::Phone;
    choose_tab(ctx);
    draw_bar(ctx, to_rect(pos, size), true, false);
  } else if (run_bar) {
    draw_bar(ctx, to_rect(pos, size), false, true);
  }
}

bool layout_shows(const AppContext& ctx, size_t panel) {
  return ctx.layout.mode != LayoutMode::Phone || ctx.layout.phone_tab == int(panel);
}

void layout_place(AppContext& ctx, size_t panel) {
  LayoutState& l = ctx.layout;
  layout::Rect tile;
  if (l.mode == LayoutMode::Phone) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    tile = to_rect(vp->WorkPos, vp->WorkSize);
    const int top = l.bar.bottom();
    tile.h = std::max(0, std::min(tile.bottom(), l.panels_bottom) - top);
    tile.y = top;
  } else if (const layout::Rect* t = tile_of(l, panel)) {
    tile = *t;
  } else {
    return;
  }
  // Moved there when its tile changed, or when the student let go of it elsewhere.
  const bool moved_away = !(l.seen[panel] == tile) && !ImGui::IsMouseDown(0);
  if (!(tile == l.applied[panel]) || moved_away || l.mode != LayoutMode::Tiled) {
    ImGui::SetNextWindowPos(ImVec2(float(tile.x), float(tile.y)), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(float(tile.w), float(tile.h)), ImGuiCond_Always);
    l.applied[panel] = tile;
  }
}

ImGuiWindowFlags layout_window_flags(const AppContext& ctx) {
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse;
  if (ctx.layout.mode != LayoutMode::Tiled) flags |= ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize;
  return flags;
}

void layout_note_window(AppContext& ctx, size_t panel) {
  LayoutState& l = ctx.layout;
  l.drawn[panel] = true;
  l.seen[panel] = to_rect(ImGui::GetWindowPos(), ImGui::GetWindowSize());
  // Touch: a drag that starts on no control scrolls the panel.
  if (l.mode == LayoutMode::Phone && ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) &&
      ImGui::IsMouseDragging(0) && !ImGui::IsAnyItemActive())
    ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

void layout_end_frame(AppContext& ctx) {
  LayoutState& l = ctx.layout;
  // A guest counts when its row (with its Run control) is wholly visible in the
  // guests panel or in the bar of the small layouts.
  l.guest_rows_visible = std::max(l.rows_in_panel, l.rows_in_bar);
  l.menu_spots_shown.swap(l.menu_spots);
  l.menu_spots.clear();
}

void layout_note_menu_item(AppContext& ctx, const char* title) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ctx.layout.menu_spots.push_back({title, int((a.x + b.x) / 2), int((a.y + b.y) / 2)});
}

void layout_note_guest_row(AppContext& ctx, ImVec2 min, ImVec2 max) {
  const ImRect clip = ImGui::GetCurrentWindowRead()->InnerClipRect;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  if (min.x >= clip.Min.x && min.y >= clip.Min.y && max.x <= clip.Max.x && max.y <= clip.Max.y && min.x >= 0 &&
      min.y >= 0 && max.x <= display.x && max.y <= display.y)
    ++ctx.layout.rows_in_panel;
}

std::string layout_json(const AppContext& ctx) {
  // Appended piece by piece (GCC 12 warns, wrongly, on long chains of string +).
  const LayoutState& l = ctx.layout;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  std::string out;
  auto number = [&out](const char* key, int v) {
    out += key;
    out += std::to_string(v);
  };
  auto entry = [&](const char* name, const layout::Rect& r) {
    if (out.back() != '[') out += ',';
    out += "{\"name\":\"";
    out += name;
    out += '"';
    number(",\"x\":", r.x);
    number(",\"y\":", r.y);
    number(",\"w\":", r.w);
    number(",\"h\":", r.h);
    out += '}';
  };
  number("{\"width\":", int(std::lround(display.x)));
  number(",\"height\":", int(std::lround(display.y)));
  out += ",\"mode\":\"";
  out += l.mode == LayoutMode::Phone ? "tabs" : l.mode == LayoutMode::Compact ? "compact" : "tiled";
  out += "\",\"panels\":[";
  if (l.bar_name) entry(l.bar_name, l.bar);
  for (size_t i = 0; i < kPanelCount; ++i)
    if (ctx.open[i] && l.drawn[i]) entry(kPanels[i].name, l.seen[i]);
  out += "],\"hidden\":[";
  for (size_t i = 0; i < kPanelCount; ++i) {
    if (!ctx.open[i] || l.drawn[i]) continue;
    if (out.back() != '[') out += ',';
    out += '"';
    out += kPanels[i].name;
    out += '"';
  }
  number("],\"guestRowsVisible\":", l.guest_rows_visible);
  number(",\"menuEnd\":", l.menu_end);
  out += ",\"viewMenu\":[";
  for (const LayoutState::MenuSpot& m : l.menu_spots_shown) {
    bool open = false;
    for (size_t i = 0; i < kPanelCount; ++i) open = open || (m.title == kPanels[i].title && ctx.open[i]);
    if (out.back() != '[') out += ',';
    out += "{\"title\":\"";
    out += m.title;
    out += '"';
    number(",\"x\":", m.x);
    number(",\"y\":", m.y);
    out += open ? ",\"open\":true}" : ",\"open\":false}";
  }
  out += "]}";
  return out;
}

}  // namespace trapeze::ui
