// What a student does, in any of the three engines (lib/engines.mjs): the site
// loads and draws, a preset runs (started and paused with F5), typing in the
// editor changes the guest's source, a share link reopens the same scenario, an
// embed shows its panels in the link's theme, a lab keeps typed code across a reload
// and a share link and checks it, and (by hand, not in CTest) the
// keyboard alone reaches the View menu's light theme, which a reload keeps. Each
// case keeps screenshots named <engine>-<case>-*.png.
//
//   xvfb-run -a -s "-screen 0 1280x800x24" node engines.mjs --engine firefox --case smoke \
//       --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { ENGINES, launchEngine } from './lib/engines.mjs';
import { startServer } from './lib/server.mjs';
import { REPO, twoGuestScenario } from './lib/web.mjs';

const { values: opts } = parseArgs({
  options: { engine: { type: 'string' }, case: { type: 'string' }, site: { type: 'string' },
             artifacts: { type: 'string' } },
});
const CASES = { smoke, preset, editor, share, embed, lab, keyboard, appearance };
assert.ok(opts.site && opts.artifacts && ENGINES.includes(opts.engine) && CASES[opts.case],
          `usage: engines.mjs --engine ${ENGINES.join('|')} --case ${Object.keys(CASES).join('|')} --site DIR --artifacts DIR`);
fs.mkdirSync(opts.artifacts, { recursive: true });

const WIDTH = 1280, HEIGHT = 800;

// ---- helpers ------------------------------------------------------------------------

async function shot(e, name) {
  const file = path.join(opts.artifacts, `${e.name}-${opts.case}-${name}.png`);
  await e.screenshot(file);
  return file;
}

// Waits until the page's app is up and has drawn `minFrames`; returns the start-up choice.
async function started(e, minFrames = 5) {
  await e.waitFor(() => window.trapeze && (window.trapeze.isReady() || !!window.trapeze.error), null,
                  { what: 'the app to start' });
  const error = await e.evaluate(() => window.trapeze.error);
  assert.equal(error, null, `${e.name}: the page reported: ${error}`);
  const choice = await e.evaluate(() => window.trapeze.started);
  const f0 = await e.evaluate(() => window.trapeze.frames());
  await e.waitFor((n) => window.trapeze.frames() >= n, f0 + minFrames, { what: `${minFrames} more frames` });
  return choice;
}

// Frames are drawn: wait for a few more so a screenshot shows the latest state.
async function settle(e, frames = 3) {
  const f0 = await e.evaluate(() => window.trapeze.frames());
  await e.waitFor((n) => window.trapeze.frames() >= n, f0 + frames, { what: 'frames' });
}

// Share of the screenshot's pixels that differ from `rgb`, and its mean brightness.
function pixelStats(file, rgb) {
  const png = PNG.sync.read(fs.readFileSync(file));
  let different = 0, sum = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const o = i * 4, [r, g, b] = [png.data[o], png.data[o + 1], png.data[o + 2]];
    if (Math.abs(r - rgb[0]) > 6 || Math.abs(g - rgb[1]) > 6 || Math.abs(b - rgb[2]) > 6) different++;
    sum += (r + g + b) / 3;
  }
  return { drawn: different / n, brightness: sum / n, width: png.width, height: png.height };
}

// A key or chord held down until the app has drawn one more frame, then released
// and four more frames drawn. The app polls keys once a frame (ImGui 1.86 has no
// input queue): a key pressed and released within a frame is never seen, and one
// held longer than ImGui's repeat delay (0.275 s) repeats.
async function press(e, keys) {
  // Counted once the keys are down: a whole frame then runs with them down (the
  // page's script and the app's frames share one thread).
  const oneFrame = async () => {
    const f0 = await e.evaluate(() => window.trapeze.frames());
    await e.waitFor((n) => window.trapeze.frames() > n, f0, { interval: 5, what: 'a frame' });
  };
  await e.press(keys, { hold: oneFrame });
  await settle(e, 4);  // ImGui's navigation settles over a few frames (menus open, focus lands)
}

// Retired instructions of every guest (state(): counters in the one shape, docs/js-api.md).
const instructions = (state) => state.guests.reduce((a, g) => a + g.counters.machine.instructions_user + g.counters.machine.instructions_kernel, 0);

// ---- cases ----------------------------------------------------------------------------

// The site loads, makes a WebGL2 context and draws panels over the clear colour.
async function smoke(e, url) {
  await e.open(url + 'index.html');
  await started(e, 10);
  const canvas = await e.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, css: c.clientWidth, ua: navigator.userAgent };
  });
  const file = await shot(e, 'app');
  const s = pixelStats(file, [28, 31, 36]);  // the dark theme's clear colour
  assert.ok(canvas.w >= WIDTH * 0.9 && canvas.h >= HEIGHT * 0.8, `${e.name}: canvas ${canvas.w}x${canvas.h}`);
  assert.ok(s.drawn > 0.2, `${e.name}: only ${(s.drawn * 100).toFixed(1)}% of the page drawn`);
  return `canvas ${canvas.w}x${canvas.h}, ${(s.drawn * 100).toFixed(0)}% of pixels drawn (${canvas.ua})`;
}

// A preset (two kernels sharing a CPU) runs from F5 and pauses on F5.
async function preset(e, url) {
  await e.open(url + 'index.html');
  await started(e);
  const text = fs.readFileSync(path.join(REPO, 'scenarios/two-guests-sharing-a-cpu.json'), 'utf8');
  const loaded = await e.evaluate((t) => window.trapeze.loadScenario(t), text);
  assert.ok(loaded.ok, `${e.name}: the preset does not load: ${loaded.error}`);
  await settle(e);
  const before = await e.evaluate(() => window.trapeze.state());
  assert.ok(before.guests.length >= 2, `${e.name}: the preset has ${before.guests.length} guests`);
  assert.ok(before.guests.every((g) => !g.running), `${e.name}: guests run before F5`);
  await press(e, 'F5');
  await e.waitFor(() => window.trapeze.state().guests.some((g) => g.running), null, { what: 'F5 to start the guests' });
  const i0 = instructions(await e.evaluate(() => window.trapeze.state()));
  await e.waitFor((n) => window.trapeze.state().guests.reduce((a, g) => a + g.counters.machine.instructions_user + g.counters.machine.instructions_kernel, 0) > n + 1000,
                  i0, { what: 'the running guests to execute instructions' });
  await settle(e);
  await shot(e, 'running');
  await press(e, 'F5');
  await e.waitFor(() => window.trapeze.state().guests.every((g) => !g.running), null, { what: 'F5 to pause' });
  const paused = await e.evaluate(() => window.trapeze.state());
  await settle(e, 5);
  const still = await e.evaluate(() => window.trapeze.state());
  assert.equal(instructions(still), instructions(paused), `${e.name}: guests ran on after the pause`);
  return `${before.guests.length} guests ran ${instructions(paused) - instructions(before)} instructions, then paused`;
}

// An embed showing only the editor: a click into its text, typed lines, and the
// guest's source (trapeze.scenario()) has them.
async function editor(e, url) {
  await e.open(url + 'embed.html#panels=editor');
  await started(e);
  const marker = `typed in ${e.name}`;
  await e.click(WIDTH / 2, HEIGHT / 2);
  await settle(e);
  await press(e, 'Control+End');  // a new line after the last one
  await press(e, 'Enter');
  await e.type(`; ${marker}`);
  await press(e, 'Enter');
  await e.waitFor((m) => window.trapeze.scenario().includes(m), marker, { what: 'the typed line in the source' });
  await settle(e);
  await shot(e, 'typed');
  const doc = JSON.parse(await e.evaluate(() => window.trapeze.scenario()));
  const edited = doc.guests.find((g) => typeof g.source === 'string' && g.source.includes(marker));
  assert.ok(edited, `${e.name}: no guest's source holds the typed line`);
  assert.ok(edited.source.includes(`\n; ${marker}\n`), `${e.name}: the line was not typed as is`);
  return `the editor took a new last line "; ${marker}" in guest ${JSON.stringify(edited.name)}`;
}

// A share link made in one page opens the same scenario in a fresh page.
async function share(e, url) {
  await e.open(url + 'index.html');
  await started(e);
  const scenario = twoGuestScenario();
  const loaded = await e.evaluate((s) => window.trapeze.loadScenario(s), scenario);
  assert.ok(loaded.ok, `${e.name}: loadScenario: ${loaded.error}`);
  const link = await e.evaluate(() => window.trapeze.shareLink());
  assert.ok(link.ok, `${e.name}: shareLink: ${link.error}`);
  const expected = await e.evaluate(() => window.trapeze.scenario());
  // A new document (the query makes it one), not a hash change of this one.
  await e.open(link.url.replace('index.html#', 'index.html?fresh=1#'));
  const choice = await started(e);
  assert.equal(choice.source, 'link', `${e.name}: started from ${JSON.stringify(choice)}`);
  assert.equal(await e.evaluate(() => window.trapeze.scenario()), expected, `${e.name}: the link opened another scenario`);
  await shot(e, 'opened');
  return `a ${link.url.length}-character link reopened "${JSON.parse(expected).name}"`;
}

// An embed with two panels in the light theme: the link's panels, read-only, and
// a light page; it remembers nothing.
// A lab as a student meets it: a link opens lab 2's task step with the Lab panel
// beside the editor; a line typed into the editor is still there after a reload
// (the step too), Check shows results, a share link carries the typed line to a
// new document, and a 520-px embed of the same step shows the Lab panel.
async function lab(e, url) {
  const LAB = 'lab2-uk-bit', STEP = 2;
  const opened = async (page) => {
    await e.open(url + page + `#lab=${LAB}&step=${STEP}`);
    const choice = await started(e);
    const l = await e.evaluate(() => window.trapeze.lab());
    assert.equal(l.open, LAB, `${e.name}: ${page} opened ${JSON.stringify(l.open)} (started ${JSON.stringify(choice)})`);
    assert.equal(l.step, STEP, `${e.name}: ${page} opened step ${l.step}`);
    const layout = await e.evaluate(() => window.trapeze.layout());
    const panel = layout.panels.find((p) => p.name === 'lab');
    assert.ok(panel && panel.w >= 300 && panel.h >= 300, `${e.name}: the Lab panel is not on the screen in ${page}: ${JSON.stringify(layout.panels)}`);
    return layout;
  };
  const layout = await opened('index.html');
  await shot(e, 'opened');
  const editorPanel = layout.panels.find((p) => p.name === 'editor');
  assert.ok(editorPanel, `${e.name}: no editor beside the lab: ${JSON.stringify(layout.panels)}`);
  const marker = `typed in ${e.name} for the lab`;
  await e.click(editorPanel.x + editorPanel.w / 2, editorPanel.y + editorPanel.h / 2);
  await settle(e);
  await press(e, 'Control+End');
  await press(e, 'Enter');
  await e.type(`; ${marker}`);
  await e.waitFor((m) => window.trapeze.scenario().includes(m), marker, { what: 'the typed line in the source' });
  // The autosave writes it once typing pauses (what a reload reads back).
  await e.waitFor((m) => (window.localStorage.getItem('trapeze.autosave') || '').includes(m), marker,
                  { timeout: 20000, what: 'the autosave of the typed line' });
  // A reload (a new document) finds the step and the typed line.
  await e.open(url + 'index.html?fresh=1#about');
  await opened('index.html?fresh=2');
  assert.ok((await e.evaluate(() => window.trapeze.scenario())).includes(marker), `${e.name}: the typed line was lost in the reload`);
  // The prediction is picked on the screen (Check waits for it), then Check.
  const pick = (await e.evaluate(() => window.trapeze.lab())).controls['answer:uk-cheaper=kernel'];
  assert.ok(pick, `${e.name}: the prediction's option is not on the screen`);
  await e.click(pick.x, pick.y);
  await e.waitFor(() => window.trapeze.lab().answers['uk-cheaper'] === 'kernel', null, { what: 'the picked prediction' });
  await settle(e, 3);
  const l = await e.evaluate(() => window.trapeze.lab());
  const check = l.controls && l.controls.check;
  assert.ok(check, `${e.name}: no Check button on the screen: ${JSON.stringify(l.controls)}`);
  await e.click(check.x, check.y);
  await e.waitFor(() => window.trapeze.lab().checked === true, null, { timeout: 120000, what: 'the check results' });
  await settle(e, 5);
  const results = await e.evaluate(() => window.trapeze.lab().results);
  assert.ok(results && JSON.stringify(results).includes('"passed"'), `${e.name}: no results after Check: ${JSON.stringify(results)}`);
  await shot(e, 'checked');
  // The share link carries the typed line to a new document.
  const link = await e.evaluate(() => window.trapeze.shareLink());
  assert.ok(link.ok && link.url.includes(`lab=${LAB}`), `${e.name}: shareLink: ${JSON.stringify(link)}`);
  await e.open(link.url.replace('index.html#', 'index.html?fresh=3#'));
  await started(e);
  assert.ok((await e.evaluate(() => window.trapeze.scenario())).includes(marker), `${e.name}: the share link lost the typed line`);
  // The same step embedded at 520 px.
  await e.setSize(520, 700);
  await opened('embed.html');
  await settle(e, 5);
  await shot(e, 'embed-520');
  return `lab 2 step 2: a typed line kept across a reload and a share link; Check gave results; a 520-px embed shows the Lab panel`;
}

async function embed(e, url) {
  await e.open(url + 'index.html');
  await started(e);
  const link = await e.evaluate(() => window.trapeze.shareLink());
  assert.ok(link.ok, `${e.name}: shareLink: ${link.error}`);
  await e.open(url + 'embed.html#' + link.fragment + '&panels=guests,counters&ro=1&theme=light');
  const choice = await started(e);
  assert.equal(choice.source, 'link', `${e.name}: the embed started from ${JSON.stringify(choice)}`);
  await settle(e, 5);
  const look = await e.evaluate(() => window.trapeze.appearance());
  assert.equal(look.theme, 'light', `${e.name}: &theme=light gave ${JSON.stringify(look)}`);
  const ui = await e.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])));
  assert.deepEqual([...ui.panels].sort(), ['counters', 'guests'], `${e.name}: panels ${JSON.stringify(ui)}`);
  const kept = await e.evaluate(() => window.localStorage.getItem('trapeze.appearance'));
  assert.equal(kept, null, `${e.name}: the embed stored its theme`);
  const file = await shot(e, 'light');
  const s = pixelStats(file, [0, 0, 0]);
  assert.ok(s.brightness > 170, `${e.name}: a light embed should be light; mean brightness ${s.brightness.toFixed(0)}`);
  const open = await e.evaluate(() => document.getElementById('open-full').getAttribute('href'));
  assert.ok(open.includes('theme=light'), `${e.name}: "Open in full Trapeze" drops the theme: ${open}`);
  return `panels ${ui.panels.join(',')}, light (mean brightness ${s.brightness.toFixed(0)}), nothing stored`;
}

// Without the mouse: Alt enters the menu bar, the arrows reach View > Theme >
// Light, Space picks it; the full app remembers it across a reload. Not in CTest:
// under load the walk sometimes lands one item or menu past the one counted (the
// screenshots show where), a cause not found yet; run it by hand with --case keyboard.
async function keyboard(e, url) {
  await e.open(url + 'index.html');
  await started(e);
  assert.equal((await e.evaluate(() => window.trapeze.appearance())).theme, 'dark');
  const steps = ['Alt',                                  // the menu bar, at its first menu
                 'ArrowRight', 'ArrowRight', 'Space',    // Scenario > Run > View, open it
                 'ArrowUp', 'ArrowUp',                   // its first item wraps to UI scale, then Theme
                 'ArrowRight', 'ArrowDown', 'Space'];    // Theme's submenu: Dark, Light
  for (const [i, key] of steps.entries()) {
    await press(e, key);
    await shot(e, `step${i}-${key}`);
  }
  await e.waitFor(() => window.trapeze.appearance().theme === 'light', null,
                  { what: 'the light theme after the keyboard walk', timeout: 10000 });
  const stored = await e.evaluate(() => window.localStorage.getItem('trapeze.appearance'));
  const now = await e.evaluate(() => window.trapeze.appearance());
  assert.deepEqual(JSON.parse(stored), now, `${e.name}: stored ${stored}, shows ${JSON.stringify(now)}`);
  await e.open(url + 'index.html?reloaded=1');
  await started(e);
  assert.equal((await e.evaluate(() => window.trapeze.appearance())).theme, 'light', `${e.name}: not kept across a reload`);
  await settle(e);
  await shot(e, 'reloaded');
  return 'Alt, arrows and Space chose View > Theme > Light; a reload kept it';
}

// The light theme at 150 %: the page follows, bad settings are refused with a
// reason and change nothing, a damaged stored choice is dropped.
async function appearance(e, url) {
  await e.open(url + 'index.html');
  await started(e);
  const darkFile = await shot(e, 'dark-100');
  for (const [bad, why] of [[{ scale: 500 }, /scale: expected a percentage from 75 to 200/],
                            [{ theme: 'blue' }, /theme: expected "dark" or "light"/],
                            [{ colour: 'red' }, /colour: unknown key/]]) {
    const r = await e.evaluate((b) => window.trapeze.setAppearance(b), bad);
    assert.ok(!r.ok && why.test(r.error), `${e.name}: setAppearance(${JSON.stringify(bad)}) gave ${JSON.stringify(r)}`);
  }
  assert.deepEqual(await e.evaluate(() => window.trapeze.appearance()), { theme: 'dark', scale: 100 });
  const r = await e.evaluate(() => window.trapeze.setAppearance({ theme: 'light', scale: 150 }));
  assert.ok(r.ok, `${e.name}: setAppearance: ${r.error}`);
  await settle(e, 5);
  assert.deepEqual(await e.evaluate(() => window.trapeze.appearance()), { theme: 'light', scale: 150 });
  const page = await e.evaluate(() => ({ theme: document.documentElement.dataset.theme,
    scale: document.documentElement.style.getPropertyValue('--ui-scale') }));
  assert.deepEqual(page, { theme: 'light', scale: '1.5' }, `${e.name}: the page's bars did not follow`);
  const lightFile = await shot(e, 'light-150');
  const dark = pixelStats(darkFile, [0, 0, 0]), light = pixelStats(lightFile, [0, 0, 0]);
  assert.ok(light.brightness > 170 && dark.brightness < 90,
            `${e.name}: mean brightness dark ${dark.brightness.toFixed(0)}, light ${light.brightness.toFixed(0)}`);
  // Set by the API, not chosen in the menu: nothing stored; a damaged entry is dropped.
  assert.equal(await e.evaluate(() => window.localStorage.getItem('trapeze.appearance')), null);
  await e.evaluate(() => window.localStorage.setItem('trapeze.appearance', '{"theme": "plaid", "scale": 9'));
  await e.open(url + 'index.html?damaged=1');
  await started(e);
  assert.deepEqual(await e.evaluate(() => window.trapeze.appearance()), { theme: 'dark', scale: 100 });
  assert.equal(await e.evaluate(() => window.localStorage.getItem('trapeze.appearance')), null,
               `${e.name}: the damaged entry was kept`);
  return `light at 150 %: mean brightness ${light.brightness.toFixed(0)} (dark ${dark.brightness.toFixed(0)})`;
}

// ---- run --------------------------------------------------------------------------------

const t0 = Date.now();
const { server, url } = await startServer(opts.site);
let e;
try {
  e = await launchEngine(opts.engine, { width: WIDTH, height: HEIGHT });
  const said = await CASES[opts.case](e, url);
  console.log(`${opts.engine} ${opts.case}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${said}`);
} catch (err) {
  if (e) await shot(e, 'failure').catch(() => {});
  throw err;
} finally {
  if (e) await e.close().catch(() => {});
  server.close();
}
