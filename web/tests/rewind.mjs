// Browser test of going back in time: mini-os under trap-and-emulate is stepped
// to just before its first trap (the registers panel kept as a picture), then
// past it; Shift+F10 steps it back across the trap, and the registers panel
// shows again what it showed before the trap (text compared pixel by pixel, the
// change highlighting aside), the pc and instruction count agree; Shift+F5 runs
// it back to just before the trap. The timeline strip is kept as a screenshot.
// Then a snapshot is saved (a download), the run goes on to mini-os's halt; the
// page is reloaded, the snapshot opened (an upload) and run to the halt again:
// the same console and counters. A damaged snapshot shows its error and changes nothing.
//
//   node rewind.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, waitStarted, notices, assertNoViolations } from './lib/web.mjs';
import { framesLater } from './lib/layout-checks.mjs';

const opts = siteArgs('rewind.mjs');
const SCENARIO = JSON.stringify({
  version: 1, name: 'rewind', guests: [{ name: 'os', file: '../guests/mini-os/mini-os.s', memory: '1M', strategy: 'trap' }],
});
const PANELS = ['guests', 'editor', 'registers', 'events', 'console'];

const traps = (s) => Object.values(s.guests[0].counters.machine.traps).reduce((a, b) => a + b, 0);
const executed = (r) => r.executed;

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, logs } = await openStarted(context, url + 'index.html', { minFrames: 10 });
  const api = (fn, ...args) => page.evaluate(fn, ...args);
  const canvas = page.locator('canvas#canvas');
  assert.deepEqual(await api((j) => window.trapeze.loadScenario(j), SCENARIO), { ok: true, error: null });
  await api((p) => window.trapeze.setUi({ compact: false, readOnly: false, panels: p }), PANELS);
  await framesLater(page, 5);

  // The registers panel as text pixels (anything much brighter than the dark
  // panel background), so a value highlighted as changed reads as the same text.
  const registersText = async (name) => {
    await framesLater(page, 3);
    const box = (await api(() => window.trapeze.layout())).panels.find((p) => p.name === 'registers');
    assert.ok(box, 'the registers panel is open');
    const buf = await canvas.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `rewind-${name}.png`), buf);
    const png = PNG.sync.read(buf);
    const sx = png.width / 1280, sy = png.height / 800;
    const bits = [];
    // Below the panel's title bar, inside its frame.
    for (let y = Math.floor((box.y + 24) * sy); y < Math.floor((box.y + box.h - 2) * sy); y++) {
      for (let x = Math.floor((box.x + 2) * sx); x < Math.floor((box.x + box.w - 2) * sx); x++) {
        const o = (y * png.width + x) * 4;
        bits.push(Math.max(png.data[o], png.data[o + 1], png.data[o + 2]) > 150 ? 1 : 0);
      }
    }
    return bits;
  };
  const differing = (a, b) => a.reduce((n, v, k) => n + (v !== b[k] ? 1 : 0), 0);
  // A key press as a person makes it, down then up at once: the app counts key-down
  // events (wasm/app.cpp, App::key_down), so the press needs no frame in between,
  // and however slow the frames (a loaded machine) it steps once. Then waits until
  // the count of executed instructions is `want` and stays so for a few frames.
  const press = async (keys, times, want) => {
    for (let k = 0; k < times; k++) await page.keyboard.press(keys);
    await page.waitForFunction((n) => window.trapeze.rewind(0).executed === n, want, { timeout: 20000 })
      .catch(() => {});  // the asserts below say what it is
    await framesLater(page, 3);
  };

  // 1. Where is the first trap? Step and watch the trap counters.
  let before = 0;
  for (let n = 0; n < 20000; n++) {
    const t0 = traps(await api(() => window.trapeze.state()));
    const at = executed(await api(() => window.trapeze.rewind(0)));
    assert.ok(await api(() => window.trapeze.step(0)), 'mini-os steps');
    if (traps(await api(() => window.trapeze.state())) !== t0) { before = at; break; }
  }
  assert.ok(before > 0, 'mini-os traps within 20000 instructions');

  // 2. Again from its start: to just before the trapping instruction, then past it.
  assert.deepEqual(await api((j) => window.trapeze.loadScenario(j), SCENARIO), { ok: true, error: null });
  while (executed(await api(() => window.trapeze.rewind(0))) < before) await api(() => window.trapeze.step(0));
  const pcBefore = (await api(() => window.trapeze.state())).guests[0].pc;
  const shown = await registersText('before-trap');
  for (let k = 0; k < 3; k++) await api(() => window.trapeze.step(0));
  const past = await registersText('past-trap');
  console.log(`ink ${shown.reduce((a, b) => a + b, 0)}, across the trap ${differing(shown, past)}`);
  assert.ok(differing(shown, past) > 50, 'the registers panel changes across the trap');

  // 3. Shift+F10 three times: back across the trap, the same registers on screen.
  // Focus the canvas on a panel that takes no keys (not the editor).
  const regs = (await api(() => window.trapeze.layout())).panels.find((p) => p.name === 'registers');
  await canvas.click({ position: { x: regs.x + regs.w / 2, y: regs.y + regs.h - 8 } });
  await press('Shift+F10', 3, before);
  const r = await api(() => window.trapeze.rewind(0));
  assert.equal(r.executed, before, `stepped back 3 instructions: ${JSON.stringify(r)}`);
  assert.equal((await api(() => window.trapeze.state())).guests[0].pc, pcBefore);
  const back = await registersText('stepped-back');
  console.log(`stepped back vs before ${differing(shown, back)}`);
  assert.equal(differing(shown, back), 0, 'the registers panel shows what it showed before the trap');

  // 4. Past it again, and Shift+F5 runs back to just before it.
  for (let k = 0; k < 3; k++) await api(() => window.trapeze.step(0));
  await press('Shift+F5', 1, before);
  assert.equal(executed(await api(() => window.trapeze.rewind(0))), before, 'run back stops before the trap');
  assert.equal((await api(() => window.trapeze.state())).guests[0].pc, pcBefore);

  // 5. A longer run, then the timeline strip in the event log (looked at by a person).
  await api(() => window.trapeze.run(400000));
  await framesLater(page, 3);
  const hist = await api(() => window.trapeze.rewind(0));
  assert.ok(hist.available && hist.marks.length > 0, `the history has marks: ${JSON.stringify(hist).slice(0, 300)}`);
  assert.ok(hist.memoryBytes <= hist.budgetBytes, 'checkpoints inside their budget');
  fs.writeFileSync(path.join(opts.artifacts, 'rewind-timeline.png'), await canvas.screenshot());
  // A timed step back, 400k host cycles in (for the report; not asserted).
  const ms = await api(() => { const t = performance.now(); window.trapeze.stepBack(0); return performance.now() - t; });
  console.log(`rewind: one step back ${hist.executed} instructions in: ${ms.toFixed(1)} ms; ` +
              `${hist.checkpoints} checkpoints, ${hist.memoryBytes} bytes`);

  // 6. Save a snapshot (the download the Scenario menu starts), then run to the halt.
  const runToHalt = async () => {
    for (let k = 0; k < 400; k++) {
      const st = await api(() => window.trapeze.state());
      if (st.guests[0].state !== 'ready') return st;
      await api(() => window.trapeze.run(2000000));
    }
    assert.fail('mini-os did not halt');
  };
  const at = (await api(() => window.trapeze.rewind(0))).executed;
  const [download] = await Promise.all([page.waitForEvent('download'), api(() => window.trapeze.saveSnapshotFile())]);
  assert.match(download.suggestedFilename(), /^trapeze-rewind-\d{8}-\d{6}\.trpz$/);
  const file = path.join(opts.artifacts, 'rewind-snapshot.trpz');
  await download.saveAs(file);
  const uninterrupted = await runToHalt();
  const printed = await api(() => window.trapeze.console(0));
  assert.equal(uninterrupted.guests[0].state, 'halted');
  assert.ok(printed.length > 100, 'mini-os printed');

  // 7. Reload the page, open the snapshot (the file field "Open snapshot..." clicks).
  await page.reload();
  await waitStarted(page, logs, { minFrames: 5 });
  await page.setInputFiles('#snapshot-file', file);
  await page.waitForFunction((n) => { const r = window.trapeze.rewind(0); return r && r.executed === n; }, at,
                             { timeout: 20000 });
  assert.ok((await notices(page, 'info')).some((t) => t.includes('a snapshot')),
            'the user is told their autosaved work was kept');
  await framesLater(page, 3);
  fs.writeFileSync(path.join(opts.artifacts, 'rewind-snapshot-opened.png'), await canvas.screenshot());
  const resumed = await runToHalt();
  assert.equal(await api(() => window.trapeze.console(0)), printed, 'the same console output as the uninterrupted run');
  assert.deepEqual(resumed.guests[0].counters, uninterrupted.guests[0].counters, 'the same counters');

  // 8. A damaged snapshot: its error, and nothing changes.
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] ^= 0xff;
  const bad = path.join(opts.artifacts, 'rewind-damaged.trpz');
  fs.writeFileSync(bad, bytes);
  const scenarioBefore = await api(() => window.trapeze.scenario());
  await page.setInputFiles('#snapshot-file', bad);
  await page.waitForFunction(() => document.querySelectorAll('#notices .notice.error').length > 0, null, { timeout: 20000 });
  const errors = await notices(page, 'error');
  assert.ok(errors.some((t) => t.includes('rewind-damaged.trpz') && t.includes('kept what it had')), errors.join(' | '));
  assert.equal(await api(() => window.trapeze.scenario()), scenarioBefore);
  assert.equal((await api(() => window.trapeze.state())).guests[0].state, 'halted');
  await assertNoViolations(page, 'rewind');
  console.log(`rewind: snapshot ${bytes.length} bytes; damaged: ${errors.join(' | ')}`);

  // 9. A measurement for the record (nothing asserted on time): a guest that counts
  // forever, 100 M instructions in, one step back through the JS API.
  const LOOP = JSON.stringify({ version: 1, name: 'loop', guests: [{ name: 'g', memory: '64K', strategy: 'trap',
    source: '_start: li r1, 0\n li r2, 1\n li r3, 0x4000\nloop: add r1, r1, r2\n stw r1, 0(r3)\n jmp loop\n' }] });
  assert.deepEqual(await api((j) => window.trapeze.loadScenario(j), LOOP), { ok: true, error: null });
  const t0 = Date.now();
  while ((await api(() => window.trapeze.rewind(0))).executed < 100e6) await api(() => window.trapeze.run(20e6));
  const runMs = Date.now() - t0;
  const times = await api(() => {
    const out = [];
    for (let k = 0; k < 7; k++) {
      const t = performance.now();
      if (!window.trapeze.stepBack(0)) return null;
      out.push(performance.now() - t);
      window.trapeze.step(0);
    }
    return out.sort((a, b) => a - b);
  });
  assert.ok(times, 'stepBack works 100 M instructions in');
  const h = await api(() => window.trapeze.rewind(0));
  assert.ok(h.memoryBytes <= h.budgetBytes, `checkpoints inside their budget: ${h.memoryBytes}`);
  console.log(`rewind: 100M-instruction run took ${runMs} ms; one step back at ${h.executed}: median ` +
              `${times[3].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[6].toFixed(1)}); ` +
              `${h.checkpoints} checkpoints, ${(h.memoryBytes / 1048576).toFixed(1)} of ${h.budgetBytes / 1048576} MB`);
  console.log('rewind: ok');
} finally {
  await browser.close();
  server.close();
}
