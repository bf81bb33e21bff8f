// The C functions the page's JavaScript calls (web/trapeze-api.js wraps them
// into window.trapeze; docs/js-api.md is the contract). Only data crosses this
// boundary: numbers and strings (scenario and UI settings as JSON); nothing from
// JavaScript is ever run as code. Returned strings stay valid until the next
// call of the same function.
#pragma once

namespace trapeze::ui {
class App;
// The platform layer registers the running app here once it is initialised.
void set_api_app(App* app);
// That app, for the other js_*_api.cpp files (null before it is up).
App* api_app();
}  // namespace trapeze::ui
