#include "layout/page_toolbar.h"

#include <limits>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace trapeze::ui {

float embed_toolbar_left() {
#ifdef __EMSCRIPTEN__
  const double left = EM_ASM_DOUBLE({
    const bar = document.getElementById('toolbar');
    const canvas = document.getElementById('canvas');
    if (!bar || !canvas || document.body.dataset.mode !== 'embed') return -1;
    return bar.getBoundingClientRect().left - canvas.getBoundingClientRect().left;
  });
  if (left >= 0) return float(left);
#endif
  return std::numeric_limits<float>::infinity();
}

}  // namespace trapeze::ui
