// The bundled labs as a list a click opens (panels/lab.cpp): the Lab panel
// without an open lab, the welcome panel and the Labs menu show it.
#pragma once

namespace trapeze::ui {
struct AppContext;
void draw_lab_list(AppContext& ctx);
}  // namespace trapeze::ui
