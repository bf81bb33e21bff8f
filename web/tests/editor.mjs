// Browser test of the code editor: click into it, type (with Tab and Enter),
// undo everything with Ctrl+Z, redo it with Ctrl+Y, toggle a breakpoint in the
// gutter, open and close the find bar with Ctrl+F / Escape. The page exposes no
// editor state to JavaScript, so every check compares screenshots of the
// editor's region (found by its background colour); each step is kept as a PNG.
//
//   node editor.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: editor.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });

// EditorPalette::dark() in wasm/editor/code_editor.cpp.
const TEXT_BG = [30, 32, 38];
const GUTTER_BG = [36, 38, 45];
const BREAKPOINT = [225, 60, 60];

const near = (png, i, rgb, tol) =>
  Math.abs(png.data[i] - rgb[0]) <= tol && Math.abs(png.data[i + 1] - rgb[1]) <= tol &&
  Math.abs(png.data[i + 2] - rgb[2]) <= tol;

// Bounding box of the pixels of exactly one colour (the editor's flat backgrounds).
function boxOf(png, rgb, minWidth = 100) {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (!near(png, (y * png.width + x) * 4, rgb, 1)) continue;
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  assert.ok(x1 > x0 + minWidth && y1 > y0 + 100, `no editor region of colour ${rgb} found`);
  return { x0, y0, x1, y1 };
}

// Bounding box of the region of colour `rgb` connected to (sx, sy): the editor's
// text area is bordered, so the fill stays inside it even where windows around
// share its background colour.
function regionFrom(png, sx, sy, rgb, check = true) {
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

// The gutter: a tall, narrow region of its colour (other panels may use the
// colour too, in other shapes).
function findGutter(png) {
  for (let y = 0; y < png.height; y += 8) {
    for (let x = 0; x < png.width; x += 4) {
      if (!near(png, (y * png.width + x) * 4, GUTTER_BG, 1)) continue;
      const r = regionFrom(png, x, y, GUTTER_BG, false);
      const w = r.x1 - r.x0, h = r.y1 - r.y0;
      if (w >= 20 && w <= 100 && h >= 150) return r;
      x = r.x1 + 1;
    }
  }
  assert.fail('no editor gutter found');
}

// Pixels inside `box` whose colour differs by more than `tol` in some channel.
// The tolerance ignores the faint highlight of the cursor's line.
function diffCount(a, b, box, tol = 24) {
  let n = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const i = (y * a.width + x) * 4;
      if (!near(a, i, [b.data[i], b.data[i + 1], b.data[i + 2]], tol)) n++;
    }
  }
  return n;
}

function countColour(png, box, rgb, tol) {
  let n = 0;
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) if (near(png, (y * png.width + x) * 4, rgb, tol)) n++;
  return n;
}

// Horizontal bands of rows that hold text (one per non-empty source line).
function textBands(png, box) {
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const { page, logs } = await openApp(browser, url + 'index.html', { minFrames: 10 });
  // A short program the whole of which fits in the editor (the default preset's
  // guest is longer than the panel). Blank lines around the first instruction keep
  // the highlighted pc line a text band of its own.
  const source = ['; a short guest', '_start:', '', '    li r1, 1', '', '    li r2, 2',
                  '    add r3, r1, r2', '    halt', '; end', ''].join('\n');
  const loaded = await page.evaluate((src) => window.trapeze.loadScenario(JSON.stringify(
      { version: 1, name: 'editor test', guests: [{ name: 'g', source: src, memory: '16K' }] })), source);
  assert.ok(loaded.ok, `loadScenario: ${loaded.error}`);
  // The default layout without the welcome panel a first visit opens over it.
  await page.evaluate(() => window.trapeze.setUi({ compact: false, readOnly: false,
    panels: ['guests', 'editor', 'registers', 'events', 'counters', 'console'] }));
  const canvas = page.locator('canvas#canvas');
  const origin = await canvas.boundingBox();
  const shot = async (name) => {
    await sleep(150);  // a few frames, so the last input is drawn
    const buf = await canvas.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `editor-${name}.png`), buf);
    return PNG.sync.read(buf);
  };
  // ImGui 1.86 reads mouse and key state once per frame: move first, then hold
  // each button and key for a few frames.
  const click = async (x, y) => {
    await page.mouse.move(origin.x + x, origin.y + y);
    await sleep(80);
    await page.mouse.down();
    await sleep(80);
    await page.mouse.up();
    await sleep(80);
  };
  const press = async (key) => {
    const parts = key.split('+');
    for (const k of parts) { await page.keyboard.down(k); await sleep(20); }
    await sleep(60);
    for (const k of parts.reverse()) { await page.keyboard.up(k); await sleep(20); }
    await sleep(60);
  };

  const before = await shot('0-before');
  const gutter = findGutter(before);
  // The text area beside it, as tall as the gutter (the pc line's highlight cuts
  // the background, so only its width comes from the fill).
  const fill = regionFrom(before, gutter.x1 + 3, gutter.y1 - 3, TEXT_BG);
  const text = { x0: fill.x0, y0: gutter.y0, x1: fill.x1, y1: gutter.y1 };
  const editor = { x0: gutter.x0, y0: text.y0, x1: text.x1, y1: text.y1 };
  const bands = textBands(before, text);
  assert.ok(bands.length >= 7, `expected the program's 7 lines, found ${bands.length} text rows: ${JSON.stringify(bands)} in ${JSON.stringify(text)}`);

  // Below the last line: the cursor goes to the end of the text (the empty last line).
  await click(text.x0 + 200, text.y1 - 20);
  const start = await shot('0-clicked');  // the caret's line is highlighted from here on
  await press('Tab');
  await page.keyboard.type('nop ; typed', { delay: 40 });
  await press('Enter');  // keeps the indentation
  await page.keyboard.type('halt', { delay: 40 });
  const typed = await shot('1-typed');
  const typedDiff = diffCount(before, typed, editor);
  assert.ok(typedDiff > 150, `typing changed only ${typedDiff} pixels of the editor`);
  const typedBands = textBands(typed, text);
  assert.equal(typedBands.length, bands.length + 2, 'typing should add two lines of text');

  // Tab, "nop ", "; ", "typed", Enter, "halt": six undo steps; a few more do nothing.
  for (let i = 0; i < 8; i++) await press('Control+z');
  const undone = await shot('2-undone');
  const undoDiff = diffCount(start, undone, editor);
  assert.ok(undoDiff < 80, `after undo the editor differs from the start by ${undoDiff} pixels (only the caret should)`);

  for (let i = 0; i < 6; i++) await press('Control+y');
  const redone = await shot('3-redone');
  const redoDiff = diffCount(typed, redone, editor);
  assert.ok(redoDiff < 80, `after redo the editor differs from the typed state by ${redoDiff} pixels`);

  // A click in the gutter's breakpoint column, on the third line, sets a breakpoint.
  const [b0, b1] = bands[2];
  const bpBox = { x0: gutter.x0, y0: b0 - 4, x1: gutter.x0 + 16, y1: b1 + 4 };
  assert.equal(countColour(redone, bpBox, BREAKPOINT, 10), 0, 'no breakpoint before the click');
  await click(gutter.x0 + 8, (b0 + b1) / 2);
  const bp = await shot('4-breakpoint');
  const bpPixels = countColour(bp, bpBox, BREAKPOINT, 10);
  assert.ok(bpPixels > 20, `no breakpoint marker drawn in the gutter (${bpPixels} pixels in ${JSON.stringify(bpBox)}, gutter ${JSON.stringify(gutter)})`);

  // Ctrl+F opens the find bar at the top of the editor; Escape closes it.
  await click(text.x0 + 200, text.y1 - 20);
  const focused = await shot('5-focused');
  await press('Control+f');
  await page.keyboard.type('nop', { delay: 40 });
  const find = await shot('6-find');
  const top = { x0: editor.x0, y0: editor.y0 - 30, x1: editor.x1, y1: editor.y0 + 30 };
  const findDiff = diffCount(focused, find, top);
  assert.ok(findDiff > 300, `Ctrl+F did not open the find bar (${findDiff} pixels changed)`);
  await press('Escape');
  const closed = await shot('7-find-closed');
  const closedDiff = diffCount(focused, closed, top);
  assert.ok(closedDiff < 80, `Escape did not close the find bar (${closedDiff} pixels differ)`);

  const errors = logs.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'));
  assert.deepEqual(errors, [], 'the page logged errors');
  console.log(`editor: ok — typing changed ${typedDiff} px, undo left ${undoDiff} px, redo ${redoDiff} px, ` +
              `breakpoint ${bpPixels} px, find bar ${findDiff} px; screenshots in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
