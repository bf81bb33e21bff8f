// Guests of up to 256 KiB each can add up past the 1 MiB a saved scenario may
// hold. Autosave then says so once, in words: which limit and what to do (not
// "scenario: scenario: N bytes"; Export refuses it too: web-export-limit.mjs). The typed sources
// stay in the app.
//
//   node web-save-limit.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, notices, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-save-limit.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html');
  const guests = [];
  for (let i = 0; i < 5; i++) guests.push({ name: `g${i}`, source: '_start:\n    halt\n', memory: '16K' });
  const loaded = await page.evaluate((j) => window.trapeze.loadScenario(j), JSON.stringify({ version: 1, name: 'big', guests }));
  assert.ok(loaded.ok, loaded.error);
  await page.evaluate(() => window.trapeze.autosave.flush());
  assert.deepEqual(await notices(page), [], 'a small scenario saves');

  // Five guests of 250 KiB of comments each: every one within its own limit.
  const source = '; ' + 'x'.repeat(250 * 1024) + '\n_start:\n    halt\n';
  for (let i = 0; i < 5; i++) {
    const r = await page.evaluate(([k, s]) => window.trapeze.setSource(k, s), [i, source]);
    assert.ok(r.ok, `setSource ${i}: ${r.error || r.errors}`);
  }
  await page.evaluate(() => window.trapeze.autosave.flush());
  const banners = await notices(page);
  assert.equal(banners.length, 1, `one banner: ${JSON.stringify(banners)}`);
  assert.match(banners[0], /^Autosave failed: the scenario is \d+ bytes, more than the 1048576 bytes \(1 MiB\) a scenario may hold: make a guest's source shorter or remove a guest\. Until it saves again, your work is only on this page \(it is too large to export as well\)\.$/);
  assert.doesNotMatch(banners[0], /scenario: scenario:/);
  // Nothing typed was lost: the sources are all still there.
  const kept = JSON.parse(await page.evaluate(() => window.trapeze.scenario()));
  assert.deepEqual(kept.guests.map((g) => g.source.length), Array(5).fill(source.length));
  await assertNoViolations(page, 'save limit');
  await screenshot(page, opts.artifacts, 'web-save-limit.png');
  console.log(`web-save-limit: ok — "${banners[0]}"`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
