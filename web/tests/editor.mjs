// Browser test of the code editor: click into it, type (with Tab and Enter),
// undo everything with Ctrl+Z, redo it with Ctrl+Y, toggle a breakpoint in the
// gutter, open and close the find bar with Ctrl+F / Escape; step a guest through
// macro lines and find the pc marker on them. Most checks compare screenshots of
// the editor's region (found by its background colour; trapeze.editor() gives
// only the marked line); each step is kept as a PNG.
//
//   node editor.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';
import { BREAKPOINT, PC_ARROW, countColour, diffCount, locateEditor, textBands } from './lib/editor-view.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: editor.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });

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
  const { gutter, text, editor } = locateEditor(before);
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

  // The pc marker on macro lines: a guest that uses guests/lib/arch.inc's
  // macros, stepped through them. The editor marks the macro's line (as
  // trapeze.editor() reports and the gutter's arrow shows) and names the line
  // of arch.inc the instruction comes from.
  const macroSource = ['; macro lines', '.include "../lib/arch.inc"', '_start:', '    li r2, 0x100',
                       '    ARCH_SET_TVEC r2', '    ARCH_GET_PSW r3', '    halt', ''].join('\n');
  const macroLoaded = await page.evaluate((src) => window.trapeze.loadScenario(JSON.stringify(
      { version: 1, name: 'macro lines', guests: [{ name: 'm', source: src, memory: '16K', strategy: 'native' }] })),
  macroSource);
  assert.ok(macroLoaded.ok, `loadScenario: ${macroLoaded.error}`);
  const marked = async () => { await sleep(150); return page.evaluate(() => window.trapeze.editor()); };
  const atStart = await marked();
  assert.deepEqual(atStart, { guest: 0, pcLine: 4, pcWhere: '' }, 'before stepping: the pc on li, line 4');
  const steps = [[5, /arch\.inc:\d+: ldtvec r2$/], [6, /arch\.inc:\d+: rdpsw r3$/]];
  let macroMark = null;
  for (const [line, where] of steps) {
    assert.ok(await page.evaluate(() => window.trapeze.step(0)), 'the guest did not step');
    macroMark = await marked();
    assert.equal(macroMark.pcLine, line, `after a step the editor marks line ${macroMark.pcLine}, not the macro's line ${line}`);
    assert.match(macroMark.pcWhere, where);
  }
  // The arrow is drawn in the gutter on the sixth line's row (every line has text,
  // so the sixth band of text is the sixth line).
  const macroShot = await shot('8-macro-pc');
  const macroView = locateEditor(macroShot);
  const macroBands = textBands(macroShot, macroView.text);
  assert.ok(macroBands.length >= 7, `expected 7 lines of text, found ${macroBands.length}`);
  const arrowRows = [];
  const g = macroView.gutter;
  for (let y = g.y0; y <= g.y1; y++) {
    if (countColour(macroShot, { x0: g.x0, y0: y, x1: g.x1 + 6, y1: y }, PC_ARROW, 12) > 0) arrowRows.push(y);
  }
  assert.ok(arrowRows.length > 3, 'no pc arrow drawn in the gutter');
  const arrowY = (arrowRows[0] + arrowRows[arrowRows.length - 1]) / 2;
  const [l6a, l6b] = macroBands[5];
  assert.ok(arrowY >= l6a - 4 && arrowY <= l6b + 4,
            `the pc arrow is at y=${arrowY}, not on line 6 (y ${l6a}..${l6b})`);
  // Over the arrow, a tooltip names where the instruction is written.
  await page.mouse.move(origin.x + g.x1 - 4, origin.y + arrowY);
  const tip = await shot('9-macro-tooltip');
  const tipBox = { x0: g.x1, y0: Math.round(arrowY) + 6, x1: Math.min(g.x1 + 300, tip.width - 1), y1: Math.round(arrowY) + 40 };
  const tipDiff = diffCount(macroShot, tip, tipBox);
  assert.ok(tipDiff > 100, `no tooltip over the pc arrow (${tipDiff} pixels changed)`);

  const errors = logs.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'));
  assert.deepEqual(errors, [], 'the page logged errors');
  console.log(`editor: ok — typing changed ${typedDiff} px, undo left ${undoDiff} px, redo ${redoDiff} px, ` +
              `breakpoint ${bpPixels} px, find bar ${findDiff} px; pc marked on macro line 6 ` +
              `(${macroMark.pcWhere}); screenshots in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
