// Going back in time in the app (session/rewind.h): the step-back and run-back
// buttons beside Step, and the selected guest's timeline strip.
#pragma once

#include "app_context.h"

namespace trapeze::ui {

// "Step back" and "Run back" for the selected guest, on the line where the caller is,
// if they fit there with Restart all: a narrow panel leaves them out (the Run menu
// and Shift+F10 / Shift+F5 still go back).
void rewind_buttons(AppContext& ctx);
// The selected guest's history as a strip: traps, exits, console writes and
// strategy switches as marks; a click or drag goes to that instruction.
void rewind_timeline(AppContext& ctx);

}  // namespace trapeze::ui
