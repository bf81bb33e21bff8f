// Every panel of the frontend, ONE table: its id (for set_ui and the command
// line), its window title, whether it is open by default, and where it sits in the
// default layout (fractions of the work area: x, y, width, height). The View menu,
// the layout, --all-panels and trapeze_set_ui are derived from it. Each panel's
// draw function is draw_<id>_panel in panels/<id>.cpp.
#pragma once

// clang-format off
#define TRAPEZE_PANELS(X) \
  X(guests,      "Guests",      true,  0.00f, 0.00f, 0.26f, 0.58f) \
  X(editor,      "Editor",      true,  0.26f, 0.00f, 0.38f, 0.58f) \
  X(registers,   "Registers",   true,  0.64f, 0.00f, 0.36f, 0.29f) \
  X(disassembly, "Disassembly", false, 0.64f, 0.29f, 0.36f, 0.29f) \
  X(memory,      "Memory",      false, 0.64f, 0.29f, 0.36f, 0.71f) \
  X(page_tables, "Page tables", false, 0.26f, 0.30f, 0.52f, 0.70f) \
  X(tlb,         "TLB",         false, 0.64f, 0.29f, 0.36f, 0.71f) \
  X(counters,    "Counters",    true,  0.58f, 0.58f, 0.42f, 0.42f) \
  X(plots,       "Plots",       false, 0.58f, 0.58f, 0.42f, 0.42f) \
  X(events,      "Event log",   true,  0.64f, 0.29f, 0.36f, 0.29f) \
  X(translation, "Translation", false, 0.26f, 0.20f, 0.74f, 0.80f) \
  X(compare,     "Compare",     false, 0.26f, 0.20f, 0.52f, 0.80f) \
  X(experiments, "Experiments", false, 0.26f, 0.10f, 0.74f, 0.90f) \
  X(help,        "Help",        false, 0.26f, 0.00f, 0.38f, 0.58f) \
  X(console,     "Console",     true,  0.00f, 0.58f, 0.58f, 0.42f) \
  X(welcome,     "Welcome",     true,  0.18f, 0.06f, 0.64f, 0.60f)
// clang-format on

namespace trapeze::ui {

enum class PanelId {
#define TRAPEZE_PANEL_ENUM(id, title, open, x, y, w, h) id,
  TRAPEZE_PANELS(TRAPEZE_PANEL_ENUM)
#undef TRAPEZE_PANEL_ENUM
};

struct PanelInfo {
  PanelId id;
  const char* name;   // "page_tables"
  const char* title;  // "Page tables"
  bool open_by_default;
  float x, y, w, h;   // default place, fractions of the work area
};

inline constexpr PanelInfo kPanels[] = {
#define TRAPEZE_PANEL_INFO(id, title, open, x, y, w, h) PanelInfo{PanelId::id, #id, title, open, x, y, w, h},
    TRAPEZE_PANELS(TRAPEZE_PANEL_INFO)
#undef TRAPEZE_PANEL_INFO
};
inline constexpr size_t kPanelCount = sizeof(kPanels) / sizeof(kPanels[0]);

struct AppContext;
#define TRAPEZE_PANEL_DECL(id, title, open, x, y, w, h) void draw_##id##_panel(AppContext& ctx);
TRAPEZE_PANELS(TRAPEZE_PANEL_DECL)
#undef TRAPEZE_PANEL_DECL

}  // namespace trapeze::ui
