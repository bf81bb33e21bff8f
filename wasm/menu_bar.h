// The main menu bar: scenario presets, run controls with their shortcuts
// (F5, F10, Ctrl+Enter), the View menu of panels, and a frame-time readout.
#pragma once

namespace trapeze::ui {
class App;
void draw_menu_bar(App& app);
}  // namespace trapeze::ui
