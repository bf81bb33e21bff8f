// Finding the code editor in a screenshot of the app, by the flat colours of its
// text area and gutter, and comparing regions of screenshots (PNG decoded by
// pngjs). Shared by the editor and clipboard browser tests.

import assert from 'node:assert/strict';

// EditorPalette::dark() in wasm/editor/code_editor.cpp.
export const TEXT_BG = [30, 32, 38];
export const GUTTER_BG = [36, 38, 45];
export const BREAKPOINT = [225, 60, 60];
export const PC_ARROW = [250, 215, 60];

export const near = (png, i, rgb, tol) =>
  Math.abs(png.data[i] - rgb[0]) <= tol && Math.abs(png.data[i + 1] - rgb[1]) <= tol &&
  Math.abs(png.data[i + 2] - rgb[2]) <= tol;

// Bounding box of the region of colour `rgb` connected to (sx, sy): the editor's
// text area is bordered, so the fill stays inside it even where windows around
// share its background colour.
export function regionFrom(png, sx, sy, rgb, check = true) {
  const seen = new Uint8Array(png.width * png.height);
  const stack = [[sx, sy]];
  let x0 = sx, y0 = sy, x1 = sx, y1 = sy;
  while (stack.length) {
    const [x, y] = stack.pop();
    if (x < 0 || y < 0 || x >= png.width || y >= png.height) continue;
    const k = y * png.width + x;
    if (seen[k] || !near(png, k * 4, rgb, 1)) continue;
    seen[k] = 1;
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    stack.push([x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]);
  }
  if (check)
    assert.ok(x1 > x0 + 100 && y1 > y0 + 100, `no editor text area of colour ${rgb} at ${sx},${sy}`);
  return { x0, y0, x1, y1 };
}

// The gutter: a tall (at least `minHeight`), narrow region of its colour (other
// panels may use the colour too, in other shapes).
export function findGutter(png, minHeight = 150) {
  for (let y = 0; y < png.height; y += 8) {
    for (let x = 0; x < png.width; x += 4) {
      if (!near(png, (y * png.width + x) * 4, GUTTER_BG, 1)) continue;
      const r = regionFrom(png, x, y, GUTTER_BG, false);
      const w = r.x1 - r.x0, h = r.y1 - r.y0;
      if (w >= 20 && w <= 100 && h >= minHeight) return r;
      x = r.x1 + 1;
    }
  }
  assert.fail('no editor gutter found');
}

// Pixels inside `box` whose colour differs by more than `tol` in some channel.
// The tolerance ignores the faint highlight of the cursor's line.
export function diffCount(a, b, box, tol = 24) {
  let n = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const i = (y * a.width + x) * 4;
      if (!near(a, i, [b.data[i], b.data[i + 1], b.data[i + 2]], tol)) n++;
    }
  }
  return n;
}

export function countColour(png, box, rgb, tol) {
  let n = 0;
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) if (near(png, (y * png.width + x) * 4, rgb, tol)) n++;
  return n;
}

// Horizontal bands of rows that hold text (one per non-empty source line).
export function textBands(png, box) {
  const bands = [];
  let start = -1;
  for (let y = box.y0; y <= box.y1 + 1; y++) {
    let ink = false;
    for (let x = box.x0; x <= box.x1 && y <= box.y1 && !ink; x++)
      ink = !near(png, (y * png.width + x) * 4, TEXT_BG, 40);
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) { bands.push([start, y - 1]); start = -1; }
  }
  // A glyph's underscore or descender a blank row below its line is the same line.
  const merged = [];
  for (const b of bands) {
    const last = merged[merged.length - 1];
    if (last && b[0] - last[1] <= 3) last[1] = b[1];
    else merged.push([...b]);
  }
  return merged.filter(([a, b]) => b - a >= 3);
}

// The editor in a screenshot: its gutter, its text area (as tall as the gutter;
// the pc line's highlight cuts the background, so only its width comes from the
// fill) and both together.
export function locateEditor(png) {
  const gutter = findGutter(png);
  const fill = regionFrom(png, gutter.x1 + 3, gutter.y1 - 3, TEXT_BG);
  const text = { x0: fill.x0, y0: gutter.y0, x1: fill.x1, y1: gutter.y1 };
  return { gutter, text, editor: { x0: gutter.x0, y0: text.y0, x1: text.x1, y1: text.y1 } };
}

// The longest horizontal run of one bluish colour (ImGui's frame background, its
// tabs; not the grey window) in rows y0..y1 and columns x0..x1, at most
// `maxLength` pixels long (longer runs are left out: a bar's underline): {x0, x1, y}.
export function longestRun(png, y0, y1, { x0 = 0, x1 = png.width - 1, bluer = 20, maxLength = Infinity } = {}) {
  let best = { x0: 0, x1: -1, y: y0 };
  for (let y = y0; y <= y1; y++) {
    let start = x0;
    for (let x = x0 + 1; x <= x1 + 1; x++) {
      const o = (y * png.width + start) * 4;
      const same = x <= x1 && near(png, (y * png.width + x) * 4, [png.data[o], png.data[o + 1], png.data[o + 2]], 1);
      if (same) continue;
      const length = x - 1 - start;
      if (png.data[o + 2] > png.data[o] + bluer && length > best.x1 - best.x0 && length <= maxLength) best = { x0: start, x1: x - 1, y };
      start = x;
    }
  }
  return best;
}
