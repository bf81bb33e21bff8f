// Browser test of the console and the first visit: a fresh profile opens with the
// welcome panel (screenshot), a reload does not show it again; the U/K-bit preset
// runs every guest to its halt and console(i) gives the lines mode-check printed
// (user mode under trap-and-emulate, kernel mode elsewhere); consoleDiff(i) marks
// trap-and-emulate as departing from bare metal at its first line and the
// para-virtual guest (compared with its native build) as the same; bt, hw and
// hw-nested stay clean too. The console panel is kept as a screenshot, and its
// red marking is checked in the pixels.
//
//   node console.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, REPO } from './lib/web.mjs';

const opts = siteArgs('console.mjs');
const preset = fs.readFileSync(path.join(REPO, 'scenarios', 'uk-bit-problem.json'), 'utf8');
const source = fs.readFileSync(path.join(REPO, 'guests', 'mode-check', 'mode-check.s'), 'utf8');
// The exact lines, from the guest's own data.
const message = (label) => {
  const m = source.match(new RegExp(`^${label}:\\s+\\.asciz\\s+"([^"]*)\\\\n"`, 'm'));
  assert.ok(m, `${label} in mode-check.s`);
  return m[1];
};
const KERNEL = message('msg_kernel'), USER = message('msg_user');
// The ground under the differing text in the dark theme (wasm/panels/console.cpp, diff_colours()).
// Where the console panel sits comes from trapeze.layout() (CSS pixels; the canvas is 1280x800).
const RED = [107, 20, 20];
const DEFAULT_PANELS = ['guests', 'editor', 'registers', 'events', 'counters', 'console'];

// `box`: a panel of trapeze.layout(), in CSS pixels; the screenshot may be scaled.
function countColour(png, box, rgb, tolerance = 4) {
  let n = 0;
  const sx = png.width / 1280, sy = png.height / 800;
  for (let y = Math.floor(box.y * sy); y < Math.floor((box.y + box.h) * sy); y++) {
    for (let x = Math.floor(box.x * sx); x < Math.floor((box.x + box.w) * sx); x++) {
      const o = (y * png.width + x) * 4;
      if (Math.abs(png.data[o] - rgb[0]) <= tolerance && Math.abs(png.data[o + 1] - rgb[1]) <= tolerance &&
          Math.abs(png.data[o + 2] - rgb[2]) <= tolerance) n++;
    }
  }
  return n;
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, started } = await openStarted(context, url + 'index.html', { minFrames: 10 });
  const canvas = page.locator('canvas#canvas');
  const framesLater = (n) => page.evaluate((k) => {
    const until = window.trapeze.frames() + k;
    return new Promise((resolve) => {
      const tick = () => (window.trapeze.frames() >= until ? resolve() : requestAnimationFrame(tick));
      tick();
    });
  }, n);
  const shot = async (name) => {
    await framesLater(3);
    const buf = await canvas.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `console-${name}.png`), buf);
    return PNG.sync.read(buf);
  };

  // 1. A first visit (fresh storage): the welcome panel is open over the layout.
  assert.equal(started.source, 'default', 'a fresh profile');
  const welcome = await shot('welcome-first-visit');
  // The welcome is never part of a saved layout, and the next visit opens
  // without it (the browser remembers the first): the centre of the screen changes.
  const ui = JSON.parse(await page.evaluate(() => window.Module.ccall('trapeze_ui_json', 'string', [], [])));
  assert.ok(!ui.panels.includes('welcome'), `the layout to save leaves out the welcome: ${ui.panels}`);
  assert.ok(ui.panels.includes('console'), `the console is open by default: ${ui.panels}`);
  const again = await openStarted(context, url + 'index.html', { minFrames: 10 });
  assert.equal(again.started.source, 'default', 'nothing was changed, so nothing was autosaved');
  await again.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const second = await (async () => {
    const buf = await again.page.locator('canvas#canvas').screenshot();
    fs.writeFileSync(path.join(opts.artifacts, 'console-second-visit.png'), buf);
    return PNG.sync.read(buf);
  })();
  let changed = 0, total = 0;
  for (let y = Math.floor(0.2 * welcome.height); y < Math.floor(0.5 * welcome.height); y += 2) {
    for (let x = Math.floor(0.3 * welcome.width); x < Math.floor(0.7 * welcome.width); x += 2) {
      const o = (y * welcome.width + x) * 4;
      total++;
      if (Math.abs(welcome.data[o] - second.data[o]) + Math.abs(welcome.data[o + 1] - second.data[o + 1]) > 30) changed++;
    }
  }
  assert.ok(changed / total > 0.2, `the welcome panel is gone on the second visit (${changed} of ${total} changed)`);
  await again.page.close();

  // 2. The U/K-bit preset, every guest run to its halt.
  const api = (fn, ...args) => page.evaluate(fn, ...args);
  assert.deepEqual(await api((json) => window.trapeze.loadScenario(json), preset), { ok: true, error: null });
  await api((panels) => window.trapeze.setUi({ compact: false, readOnly: false, panels }), DEFAULT_PANELS);
  const runToHalt = async () => {
    for (let i = 0; i < 200; i++) {
      const s = await api(() => window.trapeze.state());
      if (s.guests.every((g) => g.state !== 'ready')) return s;
      await api(() => window.trapeze.run(2000000));
    }
    assert.fail('the guests did not halt');
  };
  let state = await runToHalt();
  assert.deepEqual(state.guests.map((g) => [g.strategy, g.state]),
                   [['native', 'halted'], ['trap', 'halted'], ['pv', 'halted']]);
  // The references catch up in the background, a frame's share at a time.
  const settled = async (n) => {
    await page.waitForFunction((k) => {
      for (let i = 0; i < k; i++) {
        const d = window.trapeze.consoleDiff(i);
        if (d.status === 'same-so-far' || (d.comparedWith && !d.referenceFinished)) return false;
      }
      return true;
    }, n, { timeout: 60000 });
  };
  await settled(3);

  const out = await api(() => [0, 1, 2].map((i) => window.trapeze.console(i)));
  assert.ok(out[0].startsWith(KERNEL + '\n'), `bare metal: ${JSON.stringify(out[0])}`);
  assert.ok(out[1].startsWith(USER + '\n'), `trap-and-emulate: ${JSON.stringify(out[1])}`);
  assert.ok(out[2].startsWith(KERNEL + '\n'), `para-virtual: ${JSON.stringify(out[2])}`);
  assert.equal(out[2], out[0], 'the para-virtual guest prints exactly what bare metal prints');
  assert.equal(await api(() => window.trapeze.console(7)), null, 'no guest 7');

  const diff = await api(() => [0, 1, 2].map((i) => window.trapeze.consoleDiff(i)));
  assert.equal(diff[0].status, 'none', 'bare metal is the reference');
  assert.equal(diff[1].status, 'differs');
  assert.equal(diff[1].line, 0);
  assert.equal(diff[1].byte, 'mode-check: running in '.length);
  assert.equal(diff[1].referenceLine, KERNEL);
  assert.equal(diff[1].comparedWith, 'same image');
  assert.equal(diff[2].status, 'same');
  assert.equal(diff[2].comparedWith, 'native build', 'the PV=1 build is compared with its native build');

  const uk = await shot('uk-bit-difference');
  // The console panel alone, as a student sees it at 1280x800.
  const consoleBox = async () => {
    const l = await api(() => window.trapeze.layout());
    const p = l.panels.find((q) => q.name === 'console');
    assert.ok(p, `the console panel is drawn: ${JSON.stringify(l.panels.map((q) => q.name))}`);
    return p;
  };
  const CONSOLE_BOX = await consoleBox();
  const box = await canvas.boundingBox();
  await page.screenshot({ path: path.join(opts.artifacts, 'console-panel.png'), clip: {
    x: box.x + CONSOLE_BOX.x, y: box.y + CONSOLE_BOX.y, width: CONSOLE_BOX.w, height: CONSOLE_BOX.h } });
  const red = countColour(uk, CONSOLE_BOX, RED);
  assert.ok(red > 1000, `the difference is marked in red in the console panel (${red} red pixels)`);

  // 3. bt, hw and hw-nested stay clean: the same image, no red.
  const doc = JSON.parse(preset);
  doc.guests = ['bt', 'hw', 'hw-nested'].map((s) => ({ ...doc.guests[1], name: s, strategy: s }));
  assert.deepEqual(await api((json) => window.trapeze.loadScenario(json), JSON.stringify(doc)), { ok: true, error: null });
  state = await runToHalt();
  await settled(3);
  for (let i = 0; i < 3; i++) {
    assert.ok((await api((k) => window.trapeze.console(k), i)).startsWith(KERNEL + '\n'), `${doc.guests[i].name}`);
    const d = await api((k) => window.trapeze.consoleDiff(k), i);
    assert.equal(d.status, 'same', `${doc.guests[i].name}: ${JSON.stringify(d)}`);
  }
  const clean = await shot('clean');
  const cleanRed = countColour(clean, await consoleBox(), RED);
  assert.equal(cleanRed, 0, 'no red when nothing differs');
  console.log(`console: ok — trap-and-emulate differs at byte ${diff[1].byte} (${red} red pixels), ` +
              `pv/bt/hw/hw-nested the same as bare metal; screenshots console-*.png in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
