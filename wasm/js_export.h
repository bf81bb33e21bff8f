// TRAPEZE_EXPORT: a C function the page's JavaScript calls (web/trapeze-api.js).
// In the browser it is kept alive for ccall; on the desktop it is a plain C
// function, so the same js_*.cpp files build and are testable there.
#pragma once

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define TRAPEZE_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define TRAPEZE_EXPORT extern "C"
#endif
