// Frame-time benchmark of the app in headless Chromium: four running guests
// (web/tests/data/four-busy-guests.json: trap, trap, pv, bare metal) with every
// panel of wasm/panel_list.h open, at 1280x800 and 1920x1080. Prints the app's
// own work per frame (simulation + building the UI: window.trapeze.frameStats(),
// wasm/frame_stats.h) as mean and p95, several samples per size, and with
// --profile where Chromium's sampling profiler (CDP) saw the time: self time by
// function, and App::frame's time split by panel (function names need a build
// linked with --profiling-funcs; see bench/results/frame-time.md).
// A measurement that reports, never a test: nothing is asserted of the figures.
//
//   node bench/frontend/frame_time.mjs --site build/wasm/site [--seconds 4] [--samples 3]
//        [--profile] [--shots DIR]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../../web/tests/lib/server.mjs';
import { launchBrowser, openApp } from '../../web/tests/lib/browser.mjs';

const { values: opts } = parseArgs({
  options: {
    site: { type: 'string' }, seconds: { type: 'string' }, samples: { type: 'string' },
    profile: { type: 'boolean' }, shots: { type: 'string' },
  },
});
if (!opts.site) {
  console.error('usage: frame_time.mjs --site DIR [--seconds N] [--samples N] [--profile] [--shots DIR]');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const busy = fs.readFileSync(path.join(repo, 'web', 'tests', 'data', 'four-busy-guests.json'), 'utf8');
// Every panel, from the panel table (one source of truth).
const panelTable = fs.readFileSync(path.join(repo, 'wasm', 'panel_list.h'), 'utf8');
const panels = [...panelTable.matchAll(/^\s*X\((\w+),/gm)].map((m) => m[1]);
const seconds = Number(opts.seconds || 4);
const samples = Number(opts.samples || 3);
const sizes = [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }];

// From a CDP CPU profile: self time per function (the largest first), and the time
// spent inside App::frame (the app's work) split by what it called: each panel's
// draw function, the simulation, the menu bar and the layout.
function analyse(profile, count = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const self = new Map(), inside = new Map();
  let total = 0;
  const add = (m, k, dt) => m.set(k, (m.get(k) || 0) + dt);
  const part = /(App::frame|draw_\w+_panel|Session::run_frame|draw_menu_bar|layout_\w+)\(/;
  profile.samples.forEach((id, k) => {
    const dt = profile.timeDeltas[k] || 0;
    total += dt;
    add(self, byId.get(id).callFrame.functionName || '(anonymous)', dt);
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const m = part.exec(byId.get(n).callFrame.functionName);
      if (m && !seen.has(m[1])) seen.add(m[1]), add(inside, m[1], dt);
    }
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  const parts = [...inside.entries()].sort((a, b) => b[1] - a[1]);
  return { total, top, parts };
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  console.log(`panels open: ${panels.join(' ')}`);
  console.log('| viewport | sample | work mean ms | work p95 ms | of which simulation, mean ms | frame interval mean ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const viewport of sizes) {
    const { page } = await openApp(browser, url, { viewport });
    const api = (fn, arg) => page.evaluate(fn, arg);
    const loaded = await api((json) => window.trapeze.loadScenario(json), busy);
    if (!loaded.ok) throw new Error(`loadScenario: ${loaded.error}`);
    const ui = await api((names) => window.trapeze.setUi({ compact: false, readOnly: false, panels: names }), panels);
    if (!ui.ok) throw new Error(`setUi: ${ui.error}`);
    await api(() => window.trapeze.setRunning(true));
    await page.waitForTimeout(2000);  // warm up: every panel drawn, the JIT settled
    const name = `${viewport.width}x${viewport.height}`;
    for (let k = 1; k <= samples; ++k) {
      await page.waitForTimeout(seconds * 1000);  // the statistics cover the last 240 frames
      const st = await api(() => window.trapeze.frameStats());
      console.log(`| ${name} | ${k} | ${st.workMeanMs.toFixed(2)} | ${st.workP95Ms.toFixed(2)} | ` +
                  `${st.simMeanMs.toFixed(2)} | ${st.meanMs.toFixed(2)} |`);
    }
    if (opts.shots) {
      fs.mkdirSync(opts.shots, { recursive: true });
      await api(() => window.trapeze.setRunning(false));
      await page.waitForTimeout(300);
      fs.writeFileSync(path.join(opts.shots, `frame-time-${name}.png`),
                       await page.locator('canvas#canvas').screenshot());
      await api(() => window.trapeze.setRunning(true));
    }
    if (opts.profile) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      const frames0 = await api(() => window.trapeze.frames());
      await cdp.send('Profiler.start');
      await page.waitForTimeout(seconds * 1000);
      const { profile } = await cdp.send('Profiler.stop');
      const frames = (await api(() => window.trapeze.frames())) - frames0;
      const a = analyse(profile);
      console.log(`\nChromium's sampling profiler, ${name}, ${seconds} s, ${frames} frames:`);
      console.log('  self time by function:');
      for (const [f, us] of a.top) console.log(`    ${((100 * us) / a.total).toFixed(1).padStart(5)}%  ${f}`);
      console.log('  inside App::frame, ms per frame (inclusive):');
      for (const [f, us] of a.parts) console.log(`    ${(us / 1000 / frames).toFixed(3).padStart(7)}  ${f}`);
      console.log('');
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
