// Small things a student meets in the editor and around it, checked on screen:
//  1. Ctrl+Enter with errors at 1366x768: the line being typed stays in view when
//     the error list opens under the editor, the list leaves the editor most of
//     its height, and a click on an error still goes to its line.
//  2. Sixteen guests: every one can be picked in the editor at 520 px, 1280x800
//     and 1920x1080 (a combo in the editor panel lists all 16; the 16th is
//     clicked), and the Console's tabs keep names wide enough to read.
//  3. A paste far too long for a one-line field (the Event log's filter) is cut
//     to the field's size with a note, not dropped silently.
// Screenshots of each step are kept as editor-ux-*.png.
//
//   node editor-ux.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';
import { countColour, diffCount, findGutter, longestRun, near } from './lib/editor-view.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: editor-ux.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });

// EditorPalette::dark() in wasm/editor/code_editor.cpp: the cursor line's number, an error's.
const LINE_NUMBER_CURRENT = [200, 205, 215];
const ERROR = [255, 80, 80];

// A page of the app at `viewport`, with helpers that wait for frames (ImGui reads
// input once per frame), click, press keys and keep screenshots.
async function openPage(browser, url, viewport) {
  const { page, logs } = await openApp(browser, url + 'index.html', { minFrames: 10, viewport });
  const canvas = page.locator('canvas#canvas');
  const origin = await canvas.boundingBox();
  const frames = (n) => page.evaluate((k) => new Promise((resolve) => {
    const until = window.trapeze.frames() + k;
    const check = () => (window.trapeze.frames() >= until ? resolve() : requestAnimationFrame(check));
    check();
  }), n);
  const click = async (x, y) => {
    await page.mouse.move(origin.x + x, origin.y + y);
    await frames(2);
    await page.mouse.down();
    await frames(2);
    await page.mouse.up();
    await frames(3);
  };
  const press = async (key) => {
    const parts = key.split('+');
    for (const k of parts) { await page.keyboard.down(k); await frames(2); }
    for (const k of parts.reverse()) { await page.keyboard.up(k); await frames(2); }
    await frames(3);
  };
  const shot = async (name) => {
    await frames(3);
    const buf = await canvas.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `editor-ux-${name}.png`), buf);
    return PNG.sync.read(buf);
  };
  const panel = async (name) => {
    const l = await page.evaluate(() => window.trapeze.layout());
    const p = l.panels.find((q) => q.name === name);
    assert.ok(p, `no ${name} panel drawn: ${JSON.stringify(l.panels)}`);
    return p;
  };
  const errors = () => logs.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'));
  return { page, frames, click, press, shot, panel, errors };
}

const load = async (page, scenario) => {
  const r = await page.evaluate((j) => window.trapeze.loadScenario(j), JSON.stringify(scenario));
  assert.ok(r.ok, `loadScenario: ${r.error}`);
};

// Horizontal bands of rows, within x0..x1 and y0..y1, holding text (pixels much
// brighter than the background).
function inkBands(png, box) {
  const bands = [];
  let start = -1;
  for (let y = box.y0; y <= box.y1 + 1; y++) {
    let ink = false;
    for (let x = box.x0; x <= box.x1 && y <= box.y1 && !ink; x++) {
      const i = (y * png.width + x) * 4;
      ink = png.data[i] + png.data[i + 1] + png.data[i + 2] > 3 * 150;
    }
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) { bands.push([start, y - 1]); start = -1; }
  }
  return bands;
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
const summary = [];
try {
  // ---- 1. The error list and the line being typed, at 1366x768.
  {
    const { page, press, click, shot, panel, errors } = await openPage(browser, url, { width: 1366, height: 768 });
    const lines = ['; errors and the line being typed', '_start:'];
    for (let i = 1; i <= 60; i++) lines.push(`    nop ; line ${i + 2}`);
    lines.push('    halt');
    await load(page, { version: 1, name: 'error list', guests: [{ name: 'g', source: lines.join('\n') + '\n', memory: '16K' }] });
    await page.evaluate(() => window.trapeze.setUi({ compact: false, readOnly: false,
      panels: ['guests', 'editor', 'registers', 'events', 'counters', 'console'] }));
    const first = await shot('1-0-loaded');
    const g0 = findGutter(first);
    await click(g0.x1 + 200, g0.y0 + 40);
    // Five bad lines at the top, then the student types at the end of the file.
    await press('Control+Home');
    await page.keyboard.type('    bogus1\n    bogus2\n    bogus3\n    bogus4\n    bogus5\n', { delay: 20 });
    await press('Control+End');
    await page.keyboard.type('    nop ; typed last', { delay: 20 });
    const typed = await shot('1-1-typed');
    // (The gutter only: the cursor line's highlight cuts the text area's fill.)
    const before = { gutter: findGutter(typed) };
    const currentBefore = countColour(typed, before.gutter, LINE_NUMBER_CURRENT, 12);
    assert.ok(currentBefore > 6, `the cursor's line number is not in view before Ctrl+Enter (${currentBefore} px)`);
    assert.equal(countColour(typed, before.gutter, ERROR, 12), 0, 'no error marked yet');

    await press('Control+Enter');
    const after = await shot('1-2-errors');
    const shown = { gutter: findGutter(after, 60) };  // (shorter now: the list is under it)
    const currentAfter = countColour(after, shown.gutter, LINE_NUMBER_CURRENT, 12);
    assert.ok(currentAfter > 6,
              `after Ctrl+Enter the line being typed scrolled out of view (${currentAfter} px of its number in the gutter ${JSON.stringify(shown.gutter)})`);
    const hBefore = before.gutter.y1 - before.gutter.y0, hAfter = shown.gutter.y1 - shown.gutter.y0;
    assert.ok(hAfter >= 0.7 * hBefore, `the error list took ${hBefore - hAfter} of the editor's ${hBefore} px`);

    // The list under the editor: its title, then one row per error (five).
    const ed = await panel('editor');
    const listBox = { x0: shown.gutter.x0, y0: shown.gutter.y1 + 2, x1: Math.min(shown.gutter.x0 + 300, ed.x + ed.w - 2), y1: ed.y + ed.h - 2 };
    const rows = inkBands(after, listBox);
    assert.ok(rows.length >= 2, `no error rows under the editor: ${JSON.stringify(rows)} in ${JSON.stringify(listBox)}`);
    // A click on the first error goes to line 1, at the top of the file: its red
    // line numbers come into view.
    await click(shown.gutter.x0 + 60, (rows[1][0] + rows[1][1]) / 2);
    const jumped = await shot('1-3-clicked-error');
    const top = { gutter: findGutter(jumped) };
    const red = countColour(jumped, top.gutter, ERROR, 12);
    assert.ok(red > 40, `a click on the first error did not show its line (${red} px of error numbers in the gutter)`);
    assert.deepEqual(errors(), [], 'the page logged errors');
    summary.push(`error list: editor ${hBefore} -> ${hAfter} px, cursor line in view (${currentAfter} px), ` +
                 `${rows.length} rows listed, click showed the error lines (${red} px)`);
    await page.close();
  }

  // ---- 2. Sixteen guests: each can be picked in the editor; the console's tabs are readable.
  const guests = [];
  for (let i = 1; i <= 16; i++) guests.push({ name: `guest-${String(i).padStart(2, '0')}`, source: '_start:\n    halt\n', memory: '16K' });
  for (const [w, h, ui] of [[520, 700, { compact: true, panels: ['editor', 'console'] }],
                            [1280, 800, { compact: false, panels: ['guests', 'editor', 'registers', 'console'] }],
                            [1920, 1080, { compact: false, panels: ['guests', 'editor', 'registers', 'events', 'counters', 'console'] }]]) {
    const { page, click, shot, panel, errors } = await openPage(browser, url, { width: w, height: h });
    await load(page, { version: 1, name: 'sixteen guests', guests });
    await page.evaluate((u) => window.trapeze.setUi({ ...u, readOnly: false }), ui);
    const loaded = await shot(`2-${w}-0-loaded`);
    const ed = await panel('editor');
    // Sixteen radio buttons do not fit one row here: a combo under the title bar,
    // inside the editor panel (the longest bluish run there shorter than the bar).
    const combo = longestRun(loaded, ed.y + 24, ed.y + 50, { x0: ed.x + 1, x1: ed.x + ed.w - 2, maxLength: Math.min(400, ed.w - 40) });
    assert.ok(combo.x1 - combo.x0 > 100, `${w}x${h}: no guest combo in the editor panel ${JSON.stringify(ed)}: ${JSON.stringify(combo)}`);
    await click((combo.x0 + combo.x1) / 2, combo.y);
    const open = await shot(`2-${w}-1-combo-open`);
    // Its list: one row of text per guest, evenly spaced, all inside the window.
    let bottom = combo.y;  // the combo box's last row of its colour, at its left end
    const at = (y) => (y * loaded.width + combo.x0 + 1) * 4;
    while (bottom + 1 < h && near(loaded, at(bottom + 1), [loaded.data[at(combo.y)], loaded.data[at(combo.y) + 1], loaded.data[at(combo.y) + 2]], 1)) bottom++;
    const rows = inkBands(open, { x0: combo.x0 + 4, y0: bottom + 2, x1: combo.x0 + 90, y1: h - 2 }).slice(0, 16);
    assert.equal(rows.length, 16, `${w}x${h}: the open combo shows ${rows.length} guests, not 16: ${JSON.stringify(rows)}`);
    const pitch = (rows[15][0] - rows[0][0]) / 15;
    for (let k = 1; k < 16; k++) {
      assert.ok(Math.abs(rows[k][0] - rows[k - 1][0] - pitch) <= 2, `${w}x${h}: row ${k + 1} of the combo is not a list row: ${JSON.stringify(rows)}`);
    }
    await click(combo.x0 + 40, (rows[15][0] + rows[15][1]) / 2);
    const picked = await shot(`2-${w}-2-picked-16th`);
    assert.equal((await page.evaluate(() => window.trapeze.editor())).guest, 15, `${w}x${h}: the 16th guest was not picked`);
    const comboBox = { x0: combo.x0, y0: combo.y - 6, x1: combo.x1, y1: combo.y + 6 };
    assert.ok(diffCount(loaded, picked, comboBox) > 30, `${w}x${h}: the combo does not show the guest picked`);

    // The console's tabs: with 16 guests, the selected tab still holds its name
    // ("guest-01" in the active tab's colour, wider than 8 characters' worth).
    if (w === 520) {
      const con = await panel('console');
      const box = { x0: con.x + 1, y0: con.y + 1, x1: con.x + con.w - 2, y1: Math.min(con.y + 60, con.y + con.h - 2) };
      // The widest tab: the longest bluish run under the title bar, leaving out the
      // tab bar's underline (as wide as the panel).
      const tab = longestRun(picked, box.y0 + 20, box.y1, { x0: box.x0, x1: box.x1, maxLength: 300 });
      const best = tab.x1 - tab.x0 + 1;
      assert.ok(best >= 70, `${w}x${h}: the console's selected tab is ${best} px wide, too narrow for its name`);
      summary.push(`${w}x${h}: console tab ${best} px wide`);
    }
    assert.deepEqual(errors(), [], 'the page logged errors');
    summary.push(`${w}x${h}: a combo of 16 guests (rows ${pitch.toFixed(1)} px apart), the 16th picked`);
    await page.close();
  }

  // ---- 3. A 3.4 MB paste into the Event log's one-line filter: cut, and said.
  {
    const { page, click, press, shot, panel, errors } = await openPage(browser, url, { width: 1280, height: 800 });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await page.evaluate(() => window.trapeze.setUi({ compact: true, readOnly: false, panels: ['events'] }));
    const ev = await panel('events');
    // (drawn: the layout can name the panel a frame before its pixels are on screen)
    const f0 = await page.evaluate(() => window.trapeze.frames());
    await page.waitForFunction((n) => window.trapeze.frames() > n + 2, f0);
    const beforePaste = await shot('3-0-events');
    // The filter: the longest field in the panel's first rows.
    const field = longestRun(beforePaste, ev.y + 20, ev.y + 70, { x0: ev.x, x1: ev.x + ev.w - 1 });
    assert.ok(field.x1 - field.x0 > 300, `no filter field found: ${JSON.stringify(field)}`);
    await click((field.x0 + field.x1) / 2, field.y);
    const huge = 'abcdefghij'.repeat(340 * 1024);
    await page.evaluate((t) => navigator.clipboard.writeText(t), huge);
    await press('Control+v');
    const pasted = await shot('3-1-pasted');
    await press('Control+a');
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await press('Control+c');
    const kept = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(kept, huge.slice(0, 63), `the field holds ${JSON.stringify(kept.slice(0, 80))}, not the paste's first 63 bytes`);
    // The note under the field: text appears below the first row.
    const noteBox = { x0: ev.x + 2, y0: field.y + 12, x1: ev.x + ev.w - 2, y1: field.y + 40 };
    const noteDiff = diffCount(beforePaste, pasted, noteBox);
    assert.ok(noteDiff > 200, `no note under the field about the cut paste (${noteDiff} px changed)`);
    assert.deepEqual(errors(), [], 'the page logged errors');
    summary.push(`a ${huge.length}-byte paste into the filter kept its first 63 bytes, with a note (${noteDiff} px)`);
    await page.close();
  }
  console.log(`editor-ux: ok — ${summary.join('; ')}; screenshots in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
