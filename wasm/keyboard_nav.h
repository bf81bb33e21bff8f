// Keyboard use beyond what ImGui 1.86's navigation does on its own.
#pragma once

namespace trapeze::ui {

// Alt (pressed and released alone) reaches the main menu bar from any panel:
// ImGui 1.86 only toggles the focused window's own menu layer, which for a panel
// is just its title bar's buttons. Call once a frame, after ImGui::NewFrame().
void keyboard_navigation();

}  // namespace trapeze::ui
