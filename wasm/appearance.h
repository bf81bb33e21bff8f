// How the app looks: a dark or light theme and a UI scale (75-200 %), and the
// few colours panels draw with beyond ImGui's style (plots, highlights, errors),
// chosen per theme so they read on both backgrounds.
//
// The View menu and the JS API change the appearance; the platform applies it at
// the start of the next frame (apply_pending), rebuilding the font atlas at the
// new size so text stays sharp, and then re-uploads the font texture. The page
// remembers the choice (web/trapeze-appearance.js); the desktop takes --theme and
// --scale.
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <string_view>

#include "editor/code_editor.h"

namespace trapeze::ui {

enum class Theme { dark, light };

inline constexpr int kMinScalePercent = 75;
inline constexpr int kMaxScalePercent = 200;
inline constexpr int kScaleStepPercent = 25;

struct Appearance {
  Theme theme = Theme::dark;
  int scale_percent = 100;
  bool operator==(const Appearance&) const = default;
};

// Colours for panels' own drawing. Text colours are ImVec4 (TextColored), fills ImU32.
struct Palette {
  ImVec4 accent;      // labels and titles of structures (walk levels, label names)
  ImVec4 good;        // a translation found, a result that holds
  ImVec4 bad;         // errors, refusals, "not mapped", the red of a diff
  ImVec4 changed;     // a value that just changed, step numbers, callouts
  ImVec4 dim;         // secondary text
  ImVec4 current;     // the instruction at the PC
  ImVec4 state_ready, state_halted, state_crashed, state_stopped;
  ImU32 plot_background, plot_frame, plot_text, plot_axis, plot_text_strong;
  ImU32 row_current;  // the table row of the current PC
  ImU32 guest[8];     // one series colour per guest
  float clear[3];     // behind every panel (the GL clear colour)
};

const char* theme_name(Theme t);
std::optional<Theme> parse_theme(std::string_view name);
// The scale for a display `factor` times the usual density: the nearest 25 % step
// within 75-200 %.
int scale_for_display(double factor);

// The appearance in effect (or about to be, when one is pending).
Appearance appearance();
// The colours of the current theme.
const Palette& palette();
// The code editor's colours for the current theme.
const EditorPalette& editor_palette();

// Asks for a new appearance from the next frame on. `by_user`: chosen in the
// menu (the page then remembers it); else set by a link, the page or a test.
void set_appearance(const Appearance& a, bool by_user);
// The scale used until someone chooses one (the display's, from its DPI).
void set_default_scale_percent(int percent);
// "{"theme":"light","scale":150}" and back; false with *error on bad JSON
// (nothing changes then).
std::string appearance_json();
bool set_appearance_json(std::string_view json, std::string* error);

// Applies a pending appearance or a new pixel ratio: style and fonts. Call
// before ImGui::NewFrame(); returns true when the font atlas was rebuilt and the
// renderer must upload it again.
bool apply_pending(float pixel_ratio);

// The View menu's Theme and UI scale entries.
void draw_appearance_menu();

}  // namespace trapeze::ui
