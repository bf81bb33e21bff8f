// Restart and watchable presets (issue 15): the start-up preset (the U/K-bit
// problem) runs slowly enough to be watched — its guests are still running and
// drifting apart many frames in — and once they have halted, Run all restarts them,
// and restart(guest) brings one halted guest back to run again, with the same
// result as the first time (the machine is deterministic).
//
//   node web-keep-restart.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-keep-restart.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();

const state = (page) => page.evaluate(() => window.trapeze.state());
// Retired instructions (state(): counters in the one shape, docs/js-api.md).
const retired = (g) => g.counters.machine.instructions_user + g.counters.machine.instructions_kernel;
const insns = (s) => s.guests.map(retired);
const allHalted = () => window.trapeze.state().guests.every((g) => g.state === 'halted');
// Runs the guests to their halt now, in run() slices, rather than waiting for
// frames: the preset is paced to be watched (a few seconds of frames per run, at
// a core's cost while Chromium draws them). Frames still run them in between; the
// machine is deterministic whatever the slicing (the end states are compared below).
const finish = async (page) => {
  for (let i = 0; i < 600 && !(await page.evaluate(allHalted)); ++i) {
    await page.evaluate(() => window.trapeze.run(2000000));
  }
  assert.ok(await page.evaluate(allHalted), 'every guest halted');
};
const waitFrames = async (page, n) => {
  const now = await page.evaluate(() => window.trapeze.frames());
  await page.waitForFunction((m) => window.trapeze.frames() >= m, now + n, { timeout: 60000 });
};

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, started } = await openStarted(context, url + 'index.html');
  assert.equal(started.source, 'default');
  const first = await state(page);
  assert.equal(first.guests.length, 3, 'the U/K-bit preset');
  assert.ok(first.guests.every((g) => !g.running && g.state === 'ready'), 'the start-up preset waits for Run');
  // Run all, with the button in the Guests panel.
  await page.evaluate(() => window.trapeze.setUi({ compact: false, panels: ['guests', 'counters'], readOnly: false }));
  await waitFrames(page, 10);
  // A click ImGui sees: the pointer over the button for a few frames, then down, then up.
  await page.mouse.move(58, 79);
  await waitFrames(page, 3);
  await page.mouse.down();
  await waitFrames(page, 3);
  await page.mouse.up();
  await waitFrames(page, 3);
  await page.mouse.move(900, 300);  // no tooltip over the screenshots
  await page.waitForFunction(() => window.trapeze.state().guests.every((g) => g.running), null, { timeout: 10000 });

  // ---- Watchable: frame after frame the guests move, and they have not finished.
  const early = insns(await state(page));
  await waitFrames(page, 30);
  const later = await state(page);
  assert.ok(later.guests.every((g) => g.state === 'ready'), '30 frames in, no guest has finished: ' +
            JSON.stringify(later.guests.map((g) => g.state)));
  insns(later).forEach((n, i) => assert.ok(n > early[i], `guest ${i} moved between frames (${early[i]} -> ${n})`));
  assert.notEqual(new Set(insns(later)).size, 1, 'the three strategies run at different paces');
  console.log('web-keep-restart: 30 frames in, instructions ' + insns(later).join(' / '));
  console.log('web-keep-restart: screenshot ' + await screenshot(page, opts.artifacts, 'keep-restart-running.png'));

  // ---- They halt; the result of the first run.
  await finish(page);
  const ended = await state(page);
  const hashes = ended.guests.map((g) => [retired(g), g.counters.machine.cycles, g.pc]);
  console.log('web-keep-restart: screenshot ' + await screenshot(page, opts.artifacts, 'keep-restart-halted.png'));

  // ---- Run all (what F5 and the button do) restarts halted guests and runs them again.
  const again = await page.evaluate(() => { window.trapeze.setRunning(true); return window.trapeze.state(); });
  assert.ok(again.guests.every((g) => g.state === 'ready' && g.running), JSON.stringify(again.guests.map((g) => g.state)));
  assert.ok(insns(again).every((n, i) => n < retired(ended.guests[i])), 'they started over');
  await finish(page);
  const ended2 = await state(page);
  assert.deepEqual(ended2.guests.map((g) => [retired(g), g.counters.machine.cycles, g.pc]), hashes,
                   'the rerun ends exactly as the first run');

  // ---- restart(guest): only that halted guest, and it runs again (it is still set running).
  const [r, restarted] = await page.evaluate(() => [window.trapeze.restart(1), window.trapeze.state()]);
  assert.deepEqual(r, { ok: true, error: null });
  assert.equal(restarted.guests[1].state, 'ready');
  assert.equal(retired(restarted.guests[1]), 0, 'from the loaded state');
  assert.equal(restarted.guests[0].state, 'halted', 'the others stay as they were');
  assert.equal(retired(restarted.guests[2]), retired(ended2.guests[2]));
  await page.waitForFunction(() => window.trapeze.state().guests[1].counters.machine.instructions_kernel + window.trapeze.state().guests[1].counters.machine.instructions_user > 0, null, { timeout: 60000 });
  await finish(page);
  const ended3 = await state(page);
  assert.deepEqual(retired(ended3.guests[1]), retired(ended.guests[1]), 'it ran to the same end');
  assert.deepEqual(await page.evaluate(() => window.trapeze.restart(7)), { ok: false, error: 'no guest 7' });
  // restart() of every guest.
  // (In one evaluation: the running guests would otherwise move on in the next frame.)
  const all = await page.evaluate(() => [window.trapeze.restart(), window.trapeze.state()]);
  assert.deepEqual(all[0], { ok: true, error: null });
  assert.ok(all[1].guests.every((g) => g.state === 'ready' && retired(g) === 0), JSON.stringify(insns(all[1])));
  await assertNoViolations(page, 'restart');
  console.log('web-keep-restart: ok');
} finally {
  await browser.close();
  server.close();
}
