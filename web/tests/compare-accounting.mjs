// Browser test of where the cycles went (docs/vmm.md, "Where the cycles went"):
// load "One guest, four strategies", open the compare view alone, start the
// comparison and let it run through the guest's start-up; then the compare view
// draws one stacked bar per strategy in the three account colours, and
// `state().accounting` adds up to each guest's cycles. Screenshots go to --artifacts
// (compare-accounting-*.png, 1280x800).
//
//   node compare-accounting.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';

const { values: opts } = parseArgs({ options: { site: { type: 'string' }, artifacts: { type: 'string' } } });
assert.ok(opts.site && opts.artifacts, 'usage: compare-accounting.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });
const here = path.dirname(fileURLToPath(import.meta.url));
const preset = fs.readFileSync(path.join(here, '..', '..', 'scenarios', 'one-guest-four-strategies.json'), 'utf8');

// The accounts' colours (wasm/panels/cycle_bars.cpp): guest, transitions, vmm.
const ACCOUNTS = { guest: [110, 200, 120], transitions: [240, 120, 60], vmm: [120, 150, 255] };
const near = (d, o, rgb, tol = 8) =>
  Math.abs(d[o] - rgb[0]) <= tol && Math.abs(d[o + 1] - rgb[1]) <= tol && Math.abs(d[o + 2] - rgb[2]) <= tol;

// Per account colour: the rows (y) holding a horizontal run of at least `minRun` of its pixels.
function barRows(png, rgb, minRun = 3) {
  const rows = [];
  for (let y = 0; y < png.height; y++) {
    let run = 0;
    for (let x = 0; x < png.width; x++) {
      run = near(png.data, 4 * (y * png.width + x), rgb) ? run + 1 : 0;
      if (run >= minRun) { rows.push(y); break; }
    }
  }
  return rows;
}
// Groups consecutive rows into bands: one band per bar (or legend box).
const bands = (rows) => rows.reduce((out, y) => {
  if (out.length && y - out[out.length - 1][1] <= 1) out[out.length - 1][1] = y;
  else out.push([y, y]);
  return out;
}, []);

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const { page } = await openApp(browser, url + 'index.html', { minFrames: 5 });
  const api = (fn, ...args) => page.evaluate(fn, ...args);
  const canvas = page.locator('canvas#canvas');
  const origin = await canvas.boundingBox();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const shot = async (name) => {
    await sleep(200);
    const buf = await canvas.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `compare-accounting-${name}.png`), buf);
    return PNG.sync.read(buf);
  };

  assert.deepEqual(await api((json) => window.trapeze.loadScenario(json), preset), { ok: true, error: null });
  await api(() => window.trapeze.setUi({ compact: true, panels: ['compare'] }));
  const before = await shot('0-open');
  for (const [name, rgb] of Object.entries(ACCOUNTS))
    assert.equal(barRows(before, rgb).length, 0, `no ${name} bars before the comparison starts`);

  // The "Compare the selected guest" button: the first run of the button colour
  // (ImGui's blue over the window background) as wide as a button, not the title
  // bar that spans the window.
  const button = (() => {
    const d = before.data;
    const blue = (o) => d[o + 2] > d[o] + 50 && d[o + 2] > 90 && d[o + 1] > d[o];
    for (let y = 0; y < before.height; y++) {
      for (let x = 0; x < before.width; x++) {
        if (!blue(4 * (y * before.width + x))) continue;
        let end = x;
        while (end < before.width && blue(4 * (y * before.width + end))) end++;
        const mid = Math.round((x + end) / 2);
        const above = 4 * ((y - 3) * before.width + mid);
        const onBackground = y >= 3 && d[above] < 40 && d[above + 1] < 40 && d[above + 2] < 40;
        if (end - x >= 60 && end - x <= 400 && onBackground) return { x: mid, y: y + 6 };
        x = end;
      }
    }
    return null;
  })();
  assert.ok(button, 'the compare button is drawn');
  await page.mouse.move(origin.x + button.x, origin.y + button.y);
  await sleep(100);
  await page.mouse.down();
  await sleep(100);
  await page.mouse.up();

  // Let the copies run through mini-os's start-up (its console output), where the
  // hardware-assisted copy exits for every byte.
  await sleep(1500);
  // Move the pointer away so no tooltip covers the bars.
  await page.mouse.move(origin.x + 5, origin.y + origin.height - 5);
  const after = await shot('1-bars');
  const found = {};
  for (const [name, rgb] of Object.entries(ACCOUNTS)) found[name] = bands(barRows(after, rgb));
  // One bar per strategy copy (six), each with some guest colour, plus the legend's box.
  assert.ok(found.guest.length >= 7, `guest-coloured bars: ${JSON.stringify(found.guest)}`);
  assert.ok(found.transitions.length >= 3, `transition-coloured bars: ${JSON.stringify(found.transitions)}`);
  assert.ok(found.vmm.length >= 2, `vmm-coloured bars: ${JSON.stringify(found.vmm)}`);
  // The widest transitions segment is the hardware-assisted copies' (start-up console exits):
  // some bar has more transitions than guest pixels.
  const width = (png, y, rgb) => {
    let n = 0;
    for (let x = 0; x < png.width; x++) if (near(png.data, 4 * (y * png.width + x), rgb)) n++;
    return n;
  };
  const mid = (b) => Math.round((b[0] + b[1]) / 2);
  const transitionHeavy = found.transitions.some((b) => width(after, mid(b), ACCOUNTS.transitions) >
                                                        2 * width(after, mid(b), ACCOUNTS.guest));
  assert.ok(transitionHeavy, 'a bar is mostly transitions (hw at start-up)');

  // The main session's state carries the same accounting, adding up.
  await api(() => window.trapeze.run(2000000));
  const state = await api(() => window.trapeze.state());
  for (const g of state.guests) {
    const a = g.accounting;
    assert.equal(a.total, a.guest + a.transitions + a.vmm, `${g.name}: the accounts add up`);
    assert.equal(a.total, g.counters.machine.cycles, `${g.name}: total is its cycles`);
    assert.ok(a.transitions > 0, `${g.name}: a virtualized guest crosses into the VMM`);
  }
  // The counters panel draws the same accounting: one bar per guest of the main scenario
  // (all four cross into the VMM), plus the legend's box.
  await api(() => window.trapeze.setUi({ compact: true, panels: ['counters'] }));
  const counters = await shot('2-counters');
  const counterBars = bands(barRows(counters, ACCOUNTS.transitions));
  assert.ok(counterBars.length >= 5, `transition-coloured bars in the counters panel: ${JSON.stringify(counterBars)}`);
  console.log(`compare-accounting: ok — bars ${JSON.stringify(found)}; screenshots in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
