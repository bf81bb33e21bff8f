// A one-line text field on a fixed buffer that never drops a paste silently.
// ImGui 1.86 refuses a paste that does not fit the buffer as a whole, saying
// nothing (a 3 MB paste into a 64-byte filter just vanished); here the part
// that fits goes in and a note under the field says how much was cut.
#pragma once

#include <cstddef>
#include <string>

namespace trapeze::ui {

// InputTextWithHint(label, hint, buf, size) with the above; `note` keeps the
// last cut paste's note (shown until the field's text changes otherwise).
// Returns whether the text changed.
bool line_field(const char* label, const char* hint, char* buf, size_t size, std::string& note);

}  // namespace trapeze::ui
