// Every panel of the frontend, ONE table: its id (for set_ui and the command
// line), its window title, whether it is open by default, and what it needs of
// the tiling (wasm/layout/): its minimum width and height in font sizes (ems),
// more of each per guest (the counters have a column per guest, the guests panel
// a row), its weight (share of the area, relative to the others), its priority
// (how much a cut-off hurts: the guests' run controls most) and its shape (Short
// panels may share a column with the next Short one). Table order is the order
// the default layout fills rows in. The View menu, the layout, --all-panels and
// trapeze_set_ui are derived from it. Each panel's draw function is
// draw_<id>_panel in panels/<id>.cpp.
#pragma once

// X(id, title, open, min_w, min_h, w_per_guest, h_per_guest, weight, priority, shape)
// clang-format off
#define TRAPEZE_PANELS(X) \
  X(lab,         "Lab",         false, 26, 30,  0, 0,    4, 2, Tall)  \
  X(guests,      "Guests",      true,  32, 12,  0, 3.1f, 3, 20, Tall)  \
  X(editor,      "Editor",      true,  26, 12,  0, 0,    4, 1, Tall)  \
  X(registers,   "Registers",   true,  25, 17.5f,  0, 0,    2, 1, Short) \
  X(disassembly, "Disassembly", false, 22,  8,  0, 0,    2, 1, Short) \
  X(memory,      "Memory",      false, 34, 10,  0, 0,    2, 1, Tall)  \
  X(page_tables, "Page tables", false, 30, 14,  0, 0,    3, 1, Tall)  \
  X(tlb,         "TLB",         false, 30, 10,  0, 0,    2, 1, Tall)  \
  X(counters,    "Counters",    true,  14,  9, 11, 0,    3, 1, Tall)  \
  X(plots,       "Plots",       false, 20,  9,  0, 0,    2, 1, Tall)  \
  X(events,      "Event log",   true,  24,  9,  0, 0,    3, 1, Tall)  \
  X(translation, "Translation", false, 36, 14,  0, 0,    3, 1, Tall)  \
  X(compare,     "Compare",     false, 36, 14,  0, 0,    3, 1, Tall)  \
  X(experiments, "Experiments", false, 40, 16,  0, 0,    3, 1, Tall)  \
  X(help,        "Help",        false, 30, 12,  0, 0,    2, 1, Tall)  \
  X(console,     "Console",     true,  24,  9,  0, 0,    3, 1, Tall)  \
  X(welcome,     "Welcome",     true,  24,  9,  0, 0,    2, 1, Tall)
// clang-format on

namespace trapeze::ui {

enum class PanelId {
#define TRAPEZE_PANEL_ENUM(id, ...) id,
  TRAPEZE_PANELS(TRAPEZE_PANEL_ENUM)
#undef TRAPEZE_PANEL_ENUM
};

// Tall: wants a column's height; Short: may share a column with the next Short panel.
enum class PanelShape { Tall, Short };

struct PanelInfo {
  PanelId id;
  const char* name;   // "page_tables"
  const char* title;  // "Page tables"
  bool open_by_default;
  float min_w, min_h;          // ems: below these the content is cut
  float w_per_guest, h_per_guest;  // ems more per guest of the scenario
  float weight;                // share of the area, relative to the others
  float priority;              // how much being cut hurts, relative to the others
  PanelShape shape;
};

inline constexpr PanelInfo kPanels[] = {
#define TRAPEZE_PANEL_INFO(id, title, open, min_w, min_h, w_guest, h_guest, weight, priority, shape) \
  PanelInfo{PanelId::id, #id, title, open, min_w, min_h, w_guest, h_guest, weight, priority, PanelShape::shape},
    TRAPEZE_PANELS(TRAPEZE_PANEL_INFO)
#undef TRAPEZE_PANEL_INFO
};
inline constexpr size_t kPanelCount = sizeof(kPanels) / sizeof(kPanels[0]);

struct AppContext;
#define TRAPEZE_PANEL_DECL(id, ...) void draw_##id##_panel(AppContext& ctx);
TRAPEZE_PANELS(TRAPEZE_PANEL_DECL)
#undef TRAPEZE_PANEL_DECL

}  // namespace trapeze::ui
