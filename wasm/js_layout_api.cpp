// trapeze.layout() (docs/js-api.md): where the panels are, in CSS pixels, and
// how many guest rows are fully visible, as drawn in the last frame. For tests,
// and for course pages that place their own text beside an embed.
#include <string>

#include "app.h"
#include "js_api.h"
#include "layout/window_layout.h"

#include "js_export.h"

// {"width","height","mode":"tiled"|"compact"|"tabs" (one panel at a time: a phone, or too many panels),"panels":[{"name","x","y","w","h"}],
//  "hidden":[names open behind a phone's tabs],"guestRowsVisible"}
TRAPEZE_EXPORT const char* trapeze_layout_json() {
  static std::string out;
  trapeze::ui::App* app = trapeze::ui::api_app();
  out = app ? trapeze::ui::layout_json(app->context()) : "{}";
  return out.c_str();
}
