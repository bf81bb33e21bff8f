#include "js_api.h"

#include "app.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define TRAPEZE_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define TRAPEZE_EXPORT extern "C"
#endif

namespace {
trapeze::ui::App* g_app = nullptr;
}

void trapeze::ui::set_api_app(App* app) {
  g_app = app;
#ifdef __EMSCRIPTEN__
  // Tell the page the app is up (web/trapeze-api.js resolves `trapeze.ready`).
  EM_ASM({ if (Module.onTrapezeReady) Module.onTrapezeReady(); });
#endif
}

// 1 once the first frame can be drawn.
TRAPEZE_EXPORT int trapeze_is_ready() { return g_app != nullptr; }

// Frames drawn so far (as a double: JavaScript numbers hold 2^53 exactly).
TRAPEZE_EXPORT double trapeze_frame_count() { return g_app ? double(g_app->frames()) : 0; }
