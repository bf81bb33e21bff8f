// The C functions the page's JavaScript calls (web/trapeze-api.js wraps them
// into window.trapeze). Data only crosses this boundary: numbers and strings.
#pragma once

namespace trapeze::ui {
class App;
// The platform layer registers the running app here once it is initialised.
void set_api_app(App* app);
}  // namespace trapeze::ui
