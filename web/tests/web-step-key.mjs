// One press of F10 is one step, on a slow machine too, in headless Chromium with
// the CPU throttled (CDP Emulation.setCPUThrottlingRate: frames of a few hundred
// ms, as software GL under load gives). The app reads F5 and F10 from key-down
// events (wasm/app.cpp, App::key_down), so:
//  - a quick press (down and up between two frames) steps once: ImGui 1.86 alone
//    never saw it;
//  - a press held across many slow frames (0.5 s, less than a system's repeat
//    delay) steps once: ImGui's own repeat (0.275 s on its clock) stepped again;
//  - Shift+F10 steps back once; F5 starts and pauses the guest;
//  - holding F10 steps once per key-down the system repeats (autoRepeat events).
// The instruction count is read through trapeze.rewind(0).executed.
//
//   node web-step-key.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertNoViolations, screenshot } from './lib/web.mjs';
import { framesLater } from './lib/layout-checks.mjs';

const opts = siteArgs('web-step-key.mjs');
const LOOP = JSON.stringify({ version: 1, name: 'step keys', guests: [{ name: 'g', memory: '64K', strategy: 'trap',
  source: '_start: li r1, 0\n li r2, 1\nloop: add r1, r1, r2\n jmp loop\n' }] });

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html', { minFrames: 5 });
  const api = (fn, ...args) => page.evaluate(fn, ...args);
  assert.deepEqual(await api((j) => window.trapeze.loadScenario(j), LOOP), { ok: true, error: null });
  await api(() => window.trapeze.setUi({ compact: false, readOnly: false, panels: ['guests', 'registers'] }));
  await framesLater(page, 3);
  assert.equal(await api(() => document.activeElement && document.activeElement.id), 'canvas', 'the app has the keyboard');

  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  const t0 = Date.now(), f0 = await api(() => window.trapeze.frames());
  await framesLater(page, 4);
  const frameMs = (Date.now() - t0) / ((await api(() => window.trapeze.frames())) - f0);
  console.log(`web-step-key: throttled frames of ${frameMs.toFixed(0)} ms`);

  const executed = () => api(() => window.trapeze.rewind(0).executed);
  // After the keys: the count reaches `want`, and stays there for 4 more frames
  // (a repeat would come in one of them).
  const expectCount = async (want, what) => {
    await page.waitForFunction((n) => window.trapeze.rewind(0).executed === n, want, { timeout: 20000 })
      .catch(async () => assert.fail(`${what}: ${await executed()} instructions executed, expected ${want}`));
    await framesLater(page, 4);
    assert.equal(await executed(), want, `${what}: stepped again after the key came up`);
  };

  // 1. A quick press: both events before the next frame.
  let n = await executed();
  await page.keyboard.press('F10');
  await expectCount(n + 1, 'a quick F10');

  // 2. A press held across slow frames: at least 6 frames and 0.5 s.
  n = await executed();
  const f = await api(() => window.trapeze.frames()), held = Date.now();
  await page.keyboard.down('F10');
  await page.waitForFunction((k) => window.trapeze.frames() >= k + 6, f, { timeout: 20000 });
  while (Date.now() - held < 500) await framesLater(page, 1);
  await page.keyboard.up('F10');
  console.log(`web-step-key: F10 held ${Date.now() - held} ms, ${(await api(() => window.trapeze.frames())) - f} frames`);
  await expectCount(n + 1, 'F10 held 0.5 s');

  // 3. Shift+F10, quickly: one step back.
  n = await executed();
  await page.keyboard.press('Shift+F10');
  await expectCount(n - 1, 'a quick Shift+F10');

  // 4. F5 starts the guest, F5 pauses it (quick presses).
  await page.keyboard.press('F5');
  await page.waitForFunction(() => window.trapeze.state().guests[0].running, null, { timeout: 20000 });
  await page.keyboard.press('F5');
  await page.waitForFunction(() => !window.trapeze.state().guests[0].running, null, { timeout: 20000 });

  // 5. Held with the system's repeat: one step per key-down (1 + 4 repeats).
  n = await executed();
  for (let k = 0; k < 5; k++) await page.keyboard.down('F10');  // playwright marks 2..5 autoRepeat
  await page.keyboard.up('F10');
  await expectCount(n + 5, 'F10 held with 4 system repeats');

  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  console.log('web-step-key: screenshot ' + await screenshot(page, opts.artifacts, 'web-step-key.png'));
  await assertNoViolations(page, 'web-step-key');
  console.log('web-step-key: ok');
} finally {
  await browser.close();
  server.close();
}
