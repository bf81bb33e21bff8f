// Browser test of the frontend through window.trapeze (docs/js-api.md): load a
// preset, start it, switch a guest's strategy live, step a guest, and read back
// that the counters moved and the strategy changed; switch a guest to binary
// translation and read back that the bt counters moved (the translation panel
// shown); bad input is refused with a message. A screenshot of each step goes
// to --artifacts. Last, frame time with four running guests and every panel
// open is measured over 30 frames and printed (not asserted).
//
//   node frontend.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' }, 'measure-seconds': { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: frontend.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
// Retired instructions of a guest of state() (counters in the one shape, docs/js-api.md).
const retired = (g) => g.counters.machine.instructions_user + g.counters.machine.instructions_kernel;
const preset = fs.readFileSync(path.join(repo, 'scenarios', 'two-guests-sharing-a-cpu.json'), 'utf8');
const busy = fs.readFileSync(path.join(here, 'data', 'four-busy-guests.json'), 'utf8');

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
let page;
const shot = async (name) => {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const file = path.join(opts.artifacts, `frontend-${name}.png`);
  fs.writeFileSync(file, await page.locator('canvas#canvas').screenshot());
  return file;
};
const framesLater = (n) => page.evaluate((k) => {
  const until = window.trapeze.frames() + k;
  return new Promise((resolve) => {
    const tick = () => (window.trapeze.frames() >= until ? resolve() : requestAnimationFrame(tick));
    tick();
  });
}, n);

try {
  ({ page } = await openApp(browser, url + 'index.html', { minFrames: 5 }));
  const api = (fn, ...args) => page.evaluate(fn, ...args);

  // 1. Load a preset (as text: its "../guests/..." files come from the bundle).
  const loaded = await api((json) => window.trapeze.loadScenario(json), preset);
  assert.deepEqual(loaded, { ok: true, error: null });
  const changes0 = await api(() => window.trapeze.changeCount());
  let state = await api(() => window.trapeze.state());
  assert.deepEqual(state.guests.map((g) => g.name), ['mini-os', 'fork-like']);
  assert.equal(state.guests[1].strategy, 'trap');
  assert.equal(retired(state.guests[0]), 0);
  await shot('1-loaded');

  // 2. Start it: the counters move frame by frame.
  await api(() => window.trapeze.setRunning(true));
  await framesLater(10);
  state = await api(() => window.trapeze.state());
  assert.ok(state.hostCycles > 0, 'host cycles moved');
  for (const g of state.guests) {
    assert.ok(retired(g) > 0, `${g.name} ran`);
    assert.ok(g.counters.vmm.world_switches > 0, `${g.name} was switched in`);
  }
  await api(() => window.trapeze.setRunning(false));
  await shot('2-running');

  // 3. Switch fork-like to para-virtual live: its counters carry over.
  const before = retired((await api(() => window.trapeze.state())).guests[1]);
  const switched = await api(() => window.trapeze.setStrategy(1, 'pv'));
  assert.deepEqual(switched, { ok: true, error: null });
  state = await api(() => window.trapeze.state());
  assert.equal(state.guests[1].strategy, 'pv');
  assert.equal(retired(state.guests[1]), before, 'switched live, not restarted');
  assert.equal(JSON.parse(await api(() => window.trapeze.scenario())).guests[1].strategy, 'pv');
  assert.ok(await api(() => window.trapeze.changeCount()) > changes0, 'the change counter moved');
  await framesLater(3);
  await shot('3-switched');

  // 4. Step mini-os: exactly its pc and counters move, by one instruction.
  const a = (await api(() => window.trapeze.state())).guests;
  assert.equal(a[0].state, 'ready', 'mini-os has not finished yet');
  assert.equal(await api(() => window.trapeze.step(0)), true);
  const b = (await api(() => window.trapeze.state())).guests;
  assert.notEqual(b[0].pc, a[0].pc, 'the pc moved');
  const traps = (g) => Object.values(g.counters.machine.traps).reduce((x, n) => x + n, 0);
  const steps = (g) => retired(g) + traps(g);
  assert.ok(steps(b[0]) - steps(a[0]) >= 1 && retired(b[0]) - retired(a[0]) <= 1);
  // (utilization, beside the counters, is a share of host time, which moved.)
  assert.deepEqual(b[1].counters, a[1].counters, 'the other guest did not move');
  // run(): synchronous, bounded.
  const ran = await api(() => window.trapeze.run(100000));
  assert.ok(ran >= 100000, `run(100000) ran ${ran}`);
  await framesLater(3);
  await shot('4-stepped');

  // 5. Switch mini-os to binary translation live: its kernel now runs from the
  // translation cache, so the bt counters move; the translation panel shows the blocks.
  const beforeBt = (await api(() => window.trapeze.state())).guests[0];
  assert.equal(beforeBt.counters.vmm.bt_blocks_translated, 0, 'no translation before bt');
  assert.deepEqual(await api(() => window.trapeze.setStrategy(0, 'bt')), { ok: true, error: null });
  // Its user code runs untranslated: run until its kernel has run (a timer tick or
  // a system call), a bounded number of slices.
  for (let i = 0; i < 50; ++i) {
    assert.ok(await api(() => window.trapeze.run(200000)) >= 200000);
    state = await api(() => window.trapeze.state());
    if (state.guests[0].counters.vmm.bt_blocks_translated > 0 || state.guests[0].state !== 'ready') break;
  }
  const bt = state.guests[0];
  assert.equal(bt.strategy, 'bt');
  assert.ok(retired(bt) > retired(beforeBt), 'it kept running');
  assert.ok(bt.counters.vmm.bt_blocks_translated > 0, `blocks translated: ${bt.counters.vmm.bt_blocks_translated}`);
  assert.ok(bt.counters.vmm.bt_misses > 0 && bt.counters.vmm.bt_callouts > 0, 'lookups missed and callouts were made');
  assert.ok(bt.counters.vmm.bt_hits + bt.counters.vmm.bt_chained > 0, 'translated blocks were reused');
  await api(() => window.trapeze.setUi({ compact: false, readOnly: false,
    panels: ['guests', 'translation', 'counters'] }));
  await framesLater(3);
  await shot('5-translation');

  // Bad input is refused with a message, and nothing changes.
  const bad = await api(() => window.trapeze.loadScenario('{"version": 1, "guests": [{"name": "x"}]}'));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /guests\[0\]/);
  const badStrategy = await api(() => window.trapeze.setStrategy(0, 'warp'));
  assert.equal(badStrategy.ok, false);
  assert.match(badStrategy.error, /unknown strategy "warp"/);
  assert.equal((await api(() => window.trapeze.state())).guests.length, 2);

  // Embed mode: only the editor and the counters, read-only.
  await api(() => window.trapeze.setUi({ compact: true, panels: ['editor', 'counters'], readOnly: true }));
  await framesLater(3);
  await shot('6-embed');

  // Frame time: four running guests, every panel open.
  assert.deepEqual(await api((json) => window.trapeze.loadScenario(json), busy), { ok: true, error: null });
  await api(() => window.trapeze.setUi({ compact: false, readOnly: false,
    panels: ['guests', 'editor', 'registers', 'disassembly', 'memory', 'page_tables', 'tlb', 'counters',
             'plots', 'events', 'translation', 'compare', 'experiments', 'help'] }));
  await api(() => window.trapeze.setRunning(true));
  // 30 frames with everything running is enough for the checks below; the printed
  // figures are informational (bench/frontend/frame_time.mjs is the benchmark):
  // --measure-seconds N waits N seconds instead, for a fuller 240-frame window.
  if (opts['measure-seconds']) await page.waitForTimeout(Number(opts['measure-seconds']) * 1000);
  else await framesLater(30);
  const stats = await api(() => window.trapeze.frameStats());
  state = await api(() => window.trapeze.state());
  assert.ok(state.guests.every((g) => g.state === 'ready' && retired(g) > 0), 'four guests running');
  await shot('7-all-panels');
  console.log(`frontend: frame time with 4 running guests and all panels (headless Chromium, SwiftShader): ` +
              `${JSON.stringify(stats)}`);
  console.log(`frontend: ok — screenshots in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
