// The appearance through the JS API (web/trapeze-appearance.js): the theme and
// UI scale as JSON text, both ways.
#include <string>

#include "appearance.h"

#include "js_export.h"

// {"theme": "dark" | "light", "scale": 75..200}
TRAPEZE_EXPORT const char* trapeze_appearance_json() {
  static std::string out;
  out = trapeze::ui::appearance_json();
  return out.c_str();
}

// Sets either or both from {"theme", "scale"}: "" when done, else the reason
// (nothing changes then). Applied from the next frame.
TRAPEZE_EXPORT const char* trapeze_set_appearance(const char* json) {
  static std::string error;
  error.clear();
  if (!trapeze::ui::set_appearance_json(json ? json : "", &error) && error.empty()) error = "not applied";
  return error.c_str();
}
