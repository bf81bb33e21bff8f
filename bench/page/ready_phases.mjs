// Where the time to ready goes on one page load: when trapeze.js and trapeze.wasm
// and the data files finished downloading (the Resource Timing entries), when the
// runtime was initialized (the wasm compiled and instantiated, main() about to run),
// and when the app reported ready with its first frame; with --profile, the
// functions that took the most CPU time until then (Chromium's sampling profiler;
// names need a build linked with --profiling-funcs). A measurement that reports,
// never a test.
//   node bench/page/ready_phases.mjs --site build/wasm/site [--runs 3] [--profile]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../../web/tests/lib/server.mjs';
import { launchBrowser } from '../../web/tests/lib/browser.mjs';

const { values: opts } = parseArgs({ options: { site: { type: 'string' }, runs: { type: 'string' }, profile: { type: 'boolean' } } });
if (!opts.site) {
  console.error('usage: ready_phases.mjs --site DIR [--runs N]');
  process.exit(2);
}

// Runs before any page script: wraps the Module object trapeze-boot.js sets, to
// note when the runtime is initialized, and notes the first ready frame.
function watchPhases() {
  window.__phases = {};
  let mod;
  Object.defineProperty(window, 'Module', {
    configurable: true,
    get: () => mod,
    set: (m) => {
      mod = m;
      const before = m.onRuntimeInitialized;
      m.onRuntimeInitialized = function () {
        window.__phases.runtimeInitialized = performance.now();
        if (before) before.apply(this, arguments);
      };
    },
  });
  const check = () => {
    const t = window.trapeze;
    if (t && t.isReady && t.isReady() && t.frames() >= 1) window.__phases.ready = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

// Self time by function, and the time under each of a few landmarks (inclusive).
function printProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const self = new Map(), incl = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; ++i) {
    const ms = (dt[i + 1] ?? 0) / 1000;
    let n = byId.get(profile.samples[i]);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'program'})`;
    self.set(name, (self.get(name) || 0) + ms);
    const seen = new Set();
    for (let id = n.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame.functionName;
      if (f && !seen.has(f)) { seen.add(f); incl.set(f, (incl.get(f) || 0) + ms); }
    }
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([f, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${f.slice(0, 110)}`).join('\n');
  console.log('self time, top 25:\n' + top(self, 25));
  console.log('inclusive time, top 40:\n' + top(incl, 40));
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  for (let i = 0; i < Number(opts.runs || 3); ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(watchPhases);
    const cdp = opts.profile ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(url + 'index.html');
    await page.waitForFunction(() => window.__phases.ready, null, { timeout: 120000 });
    if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
    const r = await page.evaluate(() => {
      const res = {};
      for (const e of performance.getEntriesByType('resource'))
        res[e.name.split('/').pop()] = Math.round(e.responseEnd);
      return { phases: window.__phases, res };
    });
    const f = (x) => (x === undefined ? '-' : `${Math.round(x)}`);
    console.log(`run ${i + 1}: downloaded ${JSON.stringify(r.res)}; runtime initialized ${f(r.phases.runtimeInitialized)} ms; ready ${f(r.phases.ready)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
