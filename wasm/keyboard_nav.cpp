#include "keyboard_nav.h"

#include <imgui.h>
#include <imgui_internal.h>

namespace trapeze::ui {

void keyboard_navigation() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiIO& io = g.IO;
  // As ImGui does: armed when Alt goes down alone, disarmed by typing or another
  // modifier, acted on when Alt comes up.
  static bool armed = false;
  if (io.KeyMods == ImGuiKeyModFlags_Alt && (io.KeyModsPrev & ImGuiKeyModFlags_Alt) == 0) armed = true;
  if (io.InputQueueCharacters.Size > 0 || io.KeyCtrl || io.KeyShift || io.KeySuper) armed = false;
  const bool released = !(io.KeyMods & ImGuiKeyModFlags_Alt) && (io.KeyModsPrev & ImGuiKeyModFlags_Alt);
  if (!released || !armed) return;
  armed = false;
  if (g.ActiveId != 0) return;  // typing in a field: Escape leaves it first
  ImGuiWindow* bar = ImGui::FindWindowByName("##MainMenuBar");
  if (!bar || !bar->WasActive) return;  // embeds have no menu bar
  // In the bar or one of its menus already: ImGui's own toggle leaves it.
  ImGuiWindow* nav = g.NavWindow;
  if (nav && (nav->RootWindow == bar || (nav->Flags & (ImGuiWindowFlags_Popup | ImGuiWindowFlags_ChildMenu)))) return;
  // ImGui has just toggled the panel's title-bar layer; go to the bar's menus instead.
  ImGui::FocusWindow(bar);
  g.NavLayer = ImGuiNavLayer_Menu;
  ImGui::NavInitWindow(bar, true);
  g.NavDisableHighlight = false;
  g.NavDisableMouseHover = true;
}

}  // namespace trapeze::ui
