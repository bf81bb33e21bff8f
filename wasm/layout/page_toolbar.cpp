#include "layout/page_toolbar.h"

#include <limits>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace trapeze::ui {

EmbedToolbar embed_toolbar() {
  constexpr float kNone = std::numeric_limits<float>::infinity();
#ifdef __EMSCRIPTEN__
  double top = 0;
  const double left = EM_ASM_DOUBLE({
    const bar = document.getElementById('toolbar');
    const canvas = document.getElementById('canvas');
    if (!bar || !canvas || document.body.dataset.mode !== 'embed') return -1;
    const b = bar.getBoundingClientRect();
    const c = canvas.getBoundingClientRect();
    HEAPF64[$0 >> 3] = b.top - c.top;
    return b.left - c.left;
  }, &top);
  if (left >= 0) return {float(left), float(top)};
#endif
  return {kNone, kNone};
}

}  // namespace trapeze::ui
