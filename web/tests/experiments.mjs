// Browser test of the experiments in the page (docs/js-api.md, runExperiment):
// each of nano, load, tlb, tc and nested runs to its end through
// window.trapeze.runExperiment, and its columns, rows and notes equal, exactly,
// what `trapeze experiment NAME --json` prints (the CLI built from the same tree,
// run by this test). The page keeps drawing frames while an experiment runs (it
// runs a slice per frame, never in one synchronous block). An unknown name is
// refused with a message naming the experiments. A screenshot of the experiments
// panel with each finished experiment, and one mid-run, go to --artifacts.
//
//   node experiments.mjs --site build/wasm/site --cli build/release/cli/trapeze \
//       --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, cli: { type: 'string' }, artifacts: { type: 'string' } },
});
assert.ok(opts.site && opts.cli && opts.artifacts,
          'usage: experiments.mjs --site DIR --cli TRAPEZE --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });

const NAMES = ['nano', 'load', 'tlb', 'tc', 'nested'];

// The CLI's tables, computed one after another in the background (from an empty
// directory: the CLI needs no repository) while the browser works.
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'trapeze-experiments-'));
const run = promisify(execFile);
const expected = {};
let chain = Promise.resolve();
for (const name of NAMES) {
  chain = chain.then(() => run(opts.cli, ['experiment', name, '--json'], { cwd, maxBuffer: 1 << 24 }));
  expected[name] = chain.then(({ stdout }) => JSON.parse(stdout));
  expected[name].catch(() => {});  // awaited below
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
let page, logs;
const shot = async (name) => {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const file = path.join(opts.artifacts, `experiments-${name}.png`);
  fs.writeFileSync(file, await page.screenshot());
  return file;
};

try {
  ({ page, logs } = await openApp(browser, url + 'index.html', { minFrames: 5 }));
  // The experiments panel beside the guests list; the preset's guests paused so
  // the frames' time goes to the experiment.
  await page.evaluate(() => {
    window.trapeze.setRunning(false);
    window.trapeze.setUi({ compact: false, panels: ['guests', 'experiments'] });
  });

  const unknown = await page.evaluate(() => window.trapeze.runExperiment('x'));
  assert.deepEqual(unknown, {
    ok: false, error: 'unknown experiment "x" (expected nano, load, tlb, tc, nested)',
    columns: [], rows: [], notes: [],
  });

  const timings = [];
  for (const name of NAMES) {
    const t0 = Date.now();
    await page.evaluate((n) => {
      window.__frames0 = window.trapeze.frames();
      window.__run = window.trapeze.runExperiment(n);
    }, name);
    if (name === 'load') {  // mid-run: points appear, the state line says "Running"
      await page.waitForFunction(() => window.trapeze.frames() > window.__frames0 + 60, null, { timeout: 120000 });
      await shot('load-running');
    }
    const got = await page.evaluate(async () => {
      const r = await window.__run;
      return { ...r, frames: window.trapeze.frames() - window.__frames0 };
    });
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(got.error, null, `${name}: ${got.error}`);
    assert.equal(got.ok, true, name);
    const cli = await expected[name];
    assert.equal(cli.experiment, name);
    assert.deepEqual(got.columns, cli.columns, `${name}: columns`);
    assert.equal(got.rows.length, cli.rows.length, `${name}: number of rows`);
    for (let i = 0; i < cli.rows.length; ++i) assert.deepEqual(got.rows[i], cli.rows[i], `${name}: row ${i}`);
    assert.deepEqual(got.notes, cli.notes, `${name}: notes`);
    // Sliced across frames: the page drew while the two long ones ran (the
    // others may fit in a frame's share or two).
    if (name === 'load' || name === 'tc')
      assert.ok(got.frames >= 10, `${name}: only ${got.frames} frames were drawn while it ran`);
    timings.push(`${name} ${seconds.toFixed(1)} s (${got.frames} frames, ${got.rows.length} rows)`);
    console.log(`${name}: the same ${got.rows.length} rows as the CLI; ${timings.at(-1)}`);
    await shot(name);
  }

  // A second run replaces the first, whose Promise says so.
  const replaced = await page.evaluate(async () => {
    const first = window.trapeze.runExperiment('tc');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))));
    const second = window.trapeze.runExperiment('nested');
    return { first: await first, second: await second };
  });
  assert.equal(replaced.first.ok, false);
  assert.equal(replaced.first.error, 'stopped: another experiment was started');
  assert.equal(replaced.second.ok, true);
  assert.deepEqual(replaced.second.rows, (await expected.nested).rows);

  console.log('runExperiment in the browser: ' + timings.join('; '));
  console.log('PASS: every experiment gives the CLI\'s table in the browser');
} catch (e) {
  if (logs) e.message += '\npage console:\n' + logs.slice(-30).join('\n');
  if (page) await shot('failure').catch(() => {});
  throw e;
} finally {
  await browser.close();
  server.close();
  fs.rmSync(cwd, { recursive: true, force: true });
}
