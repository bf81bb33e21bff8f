// Where the page's own toolbar floats over the canvas (web/trapeze-page.js): in
// an embed, the "Open in full Trapeze" link in the bottom-right corner.
#pragma once

namespace trapeze::ui {

// The toolbar's top-left corner in the app's coordinates (CSS pixels from the
// canvas's top-left) when the page is an embed; +infinity for both otherwise
// (the full app's toolbar sits in the menu bar, where the app leaves it room;
// the desktop has none).
struct EmbedToolbar {
  float left, top;
};
EmbedToolbar embed_toolbar();

}  // namespace trapeze::ui
