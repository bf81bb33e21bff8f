// Shared pieces of the web-*.mjs browser tests (share links, autosave, embedding,
// the site): arguments, pages that watch for CSP violations and page errors, the
// start-up choice the page made, banners, screenshots kept as artifacts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// --site DIR --artifacts DIR (the artifacts folder is created).
export function siteArgs(name) {
  const { values } = parseArgs({ options: { site: { type: 'string' }, artifacts: { type: 'string' } } });
  assert.ok(values.site && values.artifacts, `usage: ${name} --site DIR --artifacts DIR`);
  fs.mkdirSync(values.artifacts, { recursive: true });
  return values;
}

// Runs before any page script: records CSP violations (the pages carry a
// Content-Security-Policy; the app must live within it).
function watchViolations() {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
  });
}

// A new page in `context` that keeps its console and page errors in `logs`.
export async function newPage(context) {
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.addInitScript(watchViolations);
  return { page, logs };
}

// Waits until the app is ready, has drawn `minFrames` and the page has made its
// start-up choice; returns that choice ({source: 'link' | 'autosave' | 'default', ...}).
export async function waitStarted(page, logs, { minFrames = 5 } = {}) {
  try {
    await page.waitForFunction(() => window.trapeze && (window.trapeze.isReady() || window.trapeze.error),
                               null, { timeout: 60000 });
    const error = await page.evaluate(() => window.trapeze.error);
    if (error) throw new Error(`the page reported: ${error}`);
    const started = await page.evaluate(() => window.trapeze.started);
    await page.waitForFunction((n) => window.trapeze.frames() >= n, minFrames, { timeout: 60000 });
    return started;
  } catch (e) {
    e.message += '\npage console:\n' + logs.join('\n');
    throw e;
  }
}

export async function openStarted(context, url, options) {
  const { page, logs } = await newPage(context);
  await page.goto(url);
  const started = await waitStarted(page, logs, options);
  return { page, logs, started };
}

// The texts of the banners shown now, by kind.
export async function notices(page, kind = 'error') {
  return page.locator(`#notices .notice.${kind} .notice-text`).allTextContents();
}

// The app still runs: frames keep coming and the machine runs cycles.
export async function assertAppWorks(page, what) {
  const before = await page.evaluate(() => window.trapeze.frames());
  await page.waitForFunction((n) => window.trapeze.frames() > n + 3, before, { timeout: 20000 });
  const ran = await page.evaluate(() => window.trapeze.run(20000));
  assert.ok(ran > 0, `${what}: the app did not run cycles (run returned ${ran})`);
}

export async function assertNoViolations(page, what) {
  const v = await page.evaluate(() => window.__violations || []);
  assert.deepEqual(v, [], `${what}: Content-Security-Policy violations`);
}

export async function screenshot(target, artifacts, name) {
  const file = path.join(artifacts, name);
  fs.writeFileSync(file, await target.screenshot());
  return file;
}

// A two-guest scenario from the repository's mode-check guest: a native guest with
// a define and a para-virtual one. Inline sources: the browser has no files.
export function twoGuestScenario() {
  const source = fs.readFileSync(path.join(REPO, 'guests/mode-check/mode-check.s'), 'utf8');
  return JSON.stringify({
    version: 1,
    name: 'Share-link test: two guests',
    description: 'Bare metal next to para-virtual; "quotes", <angle brackets> & unicode \u2713.',
    quantum: 20000,
    guests: [
      { name: 'bare', source, memory: '64K', strategy: 'native', defines: { SHARE_TEST: 7 } },
      { name: 'para', source: source.replace('mode-check', 'mode-check (edited)'), memory: '64K', strategy: 'pv' },
    ],
  });
}
