#include "keyboard_nav.h"

#include <imgui.h>
#include <imgui_internal.h>

namespace trapeze::ui {

void keyboard_navigation() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiIO& io = g.IO;
  // ImGui arms its layer toggle on this same edge (NavUpdateWindowing) and applies
  // it to the nav window when Alt is released: make that window the menu bar.
  const bool alt_pressed = io.KeyMods == ImGuiKeyModFlags_Alt && (io.KeyModsPrev & ImGuiKeyModFlags_Alt) == 0;
  if (!alt_pressed || g.ActiveId != 0) return;
  if (g.NavWindow && (g.NavWindow->DC.NavLayersActiveMask & (1 << ImGuiNavLayer_Menu))) return;
  ImGuiWindow* bar = ImGui::FindWindowByName("##MainMenuBar");
  if (bar && bar->WasActive) ImGui::FocusWindow(bar);
}

}  // namespace trapeze::ui
