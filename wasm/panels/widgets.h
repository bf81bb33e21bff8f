// Small widgets several panels share.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>

#include "session/session.h"
#include "vmm/guest.h"

namespace trapeze::ui {

// "12,345,678".
std::string grouped(uint64_t n);
// "1.2M", "35k", for rates and axes.
std::string short_number(double v);
// Colour of a guest state (ready green, halted grey, crashed red, stopped amber).
ImVec4 state_colour(vmm::GuestState s);
// Guest `i`'s state as every panel shows it: "no image" in the bad colour for a
// guest whose source has not assembled since loading (it cannot run), else the
// VMM's state in its colour.
struct GuestStateText {
  std::string text;
  ImVec4 colour;
};
GuestStateText guest_state_text(const session::Session& s, size_t i);
// A distinct colour per guest, for plots and legends.
ImU32 guest_colour(size_t guest);
// A hover tooltip on the last item (also when it is disabled).
void tooltip(const char* text);
// An address input in hex; true when changed.
bool hex_input(const char* label, uint32_t* value, float width = 110);

}  // namespace trapeze::ui
