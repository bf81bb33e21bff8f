// How heavy the page is and how soon the app is ready (issue 21, "the page"):
// the raw and gzip -9 sizes of trapeze.wasm, trapeze.js and the data files beside them, then the time from
// navigation to the first frame drawn with the default scenario loaded, in
// headless Chromium (web/tests/lib/browser.mjs), served by the tests' plain
// static server (no compression), on localhost and through Chromium's network
// throttling (CDP Network.emulateNetworkConditions: 4 Mbit/s down and up, 150 ms
// latency). Every run is a fresh browser context with the cache disabled.
// With --mips it also runs a fixed guest in the app (an ALU loop under the
// native strategy, through the JS API) and prints guest MIPS.
//
//   node bench/page/load.mjs --site build/wasm/site [--runs 3] [--mips]
//
// Needs web/tests' npm modules (playwright-core): run from a tree where
// web/tests/node_modules exists (ci/setup installs them).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { startServer } from '../../web/tests/lib/server.mjs';
import { launchBrowser } from '../../web/tests/lib/browser.mjs';

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string', default: 'build/wasm/site' },
    runs: { type: 'string', default: '3' },
    mips: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(opts.runs) || 3);
const THROTTLED = { offline: false, latency: 150, downloadThroughput: 4e6 / 8, uploadThroughput: 4e6 / 8 };

function sizes(file) {
  const bytes = fs.readFileSync(path.join(opts.site, file));
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
}

// Runs before any page script: notes when the app first reports ready with a
// frame drawn (trapeze.isReady() and frames() >= 1), checked every animation frame.
function watchReady() {
  window.__readyAt = null;
  const check = () => {
    const t = window.trapeze;
    if (t && t.error) return;
    if (t && t.isReady() && t.frames() >= 1) window.__readyAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

// Milliseconds from navigation start to ready, for one fresh load of `url`.
async function loadOnce(browser, url, network) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (network) await cdp.send('Network.emulateNetworkConditions', network);
    await page.addInitScript(watchReady);
    await page.goto(url);
    await page.waitForFunction(() => window.__readyAt !== null || (window.trapeze && window.trapeze.error),
                               null, { timeout: 120000 });
    const error = await page.evaluate(() => window.trapeze.error);
    if (error) throw new Error(`the page reported: ${error}`);
    const { readyAt, started } = await page.evaluate(async () => ({
      readyAt: window.__readyAt, started: await window.trapeze.started }));
    if (started.source !== 'default') throw new Error(`started from ${started.source}, not the default scenario`);
    return readyAt;
  } finally {
    await context.close();
  }
}

// Guest MIPS of an ALU loop (native strategy) run through trapeze.run(): the best
// of five runs of 5*10^7 host cycles each, each from a restart.
const ALU_LOOP = [
  '        .org 0', '_start:', '    li r1, 1', '    li r2, 0x9E3779B9', '    li r3, 0x7F4A7C15',
  '    li r4, 12345', 'loop:', '    add r1, r1, r2', '    xor r1, r1, r3', '    shli r1, r1, 1',
  '    sub r1, r1, r4', '    jmp loop', ''].join('\n');

async function guestMips(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchReady);
    await page.goto(url);
    await page.waitForFunction(() => window.__readyAt !== null, null, { timeout: 120000 });
    return await page.evaluate(async (source) => {
      const t = window.trapeze;
      await t.started;  // the page's own start-up choice is made; the scenario is ours from here
      const loaded = t.loadScenario({ version: 1, name: 'alu', quantum: 50000,
                                      guests: [{ name: 'alu', source, strategy: 'native', memory: '64K' }] });
      if (!loaded.ok) throw new Error('loadScenario: ' + loaded.error);
      t.setRunning(false);
      const instructions = () => { const c = t.state().guests[0].counters.machine; return c.instructions_user + c.instructions_kernel; };
      let best = 0;
      for (let i = 0; i < 5; ++i) {
        t.restart(0);  // a guest stops after its cycle budget (10^8 by default)
        const n0 = instructions();
        const t0 = performance.now();
        t.run(5e7);
        const ms = performance.now() - t0;
        const n = instructions() - n0;
        if (!(n > 0)) throw new Error('the guest did not run: ' + JSON.stringify(t.state().guests[0]).slice(0, 300));
        best = Math.max(best, n / (ms * 1000));
      }
      return best;
    }, ALU_LOOP);
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

const wasm = sizes('trapeze.wasm');
const js = sizes('trapeze.js');
console.log(`trapeze.wasm  raw ${wasm.raw} B (${kb(wasm.raw)})  gzip -9 ${wasm.gzip} B (${kb(wasm.gzip)})`);
console.log(`trapeze.js    raw ${js.raw} B (${kb(js.raw)})  gzip -9 ${js.gzip} B (${kb(js.gzip)})`);
// The bundled guests, presets and labs and the UI font, fetched beside trapeze.wasm
// (sites built before they moved out of the module have neither).
for (const name of ['trapeze-files.txt', 'trapeze-font.ttf']) {
  if (!fs.existsSync(path.join(opts.site, name))) continue;
  const s = sizes(name);
  console.log(`${name.padEnd(13)} raw ${s.raw} B (${kb(s.raw)})  gzip -9 ${s.gzip} B (${kb(s.gzip)})`);
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  for (const [name, network] of [['localhost', null], ['4 Mbit/s, 150 ms', THROTTLED]]) {
    const times = [];
    for (let i = 0; i < runs; ++i) times.push(await loadOnce(browser, url + 'index.html', network));
    console.log(`ready, ${name}: median ${(median(times) / 1000).toFixed(2)} s of ${runs} ` +
                `(${times.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
  }
  if (opts.mips) console.log(`guest ALU loop in the app (native, best of 5): ${(await guestMips(browser, url + 'index.html')).toFixed(0)} MIPS`);
} finally {
  await browser.close();
  server.close();
}
