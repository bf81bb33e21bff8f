// Export writes only what Import takes back, in headless Chromium. Five guests of
// 250 KiB each make a scenario past the 1 MiB every input file may have: Export
// refuses it with a banner that gives its size, the limit and what to do, and
// nothing typed changes (autosave's banner, which cannot save it either, no
// longer sends the student to Export). Made just small enough (within 4 KiB of the limit),
// Export downloads it (the first download of the page: the refused one wrote
// nothing) and Import loads that file back as it was.
//
//   node web-export-limit.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, notices, assertAppWorks, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-export-limit.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page } = await openStarted(context, url + 'index.html');
  const max = await page.evaluate(() => window.trapezeCodec.callJson('trapeze_share_limits', []).maxInputFileBytes);
  const bytesOf = () => page.evaluate(() => new TextEncoder().encode(window.trapeze.scenario()).length);
  const downloads = [];
  page.on('download', (d) => downloads.push(d));

  const guests = [];
  for (let i = 0; i < 5; i++) guests.push({ name: `g${i}`, source: '_start:\n    halt\n', memory: '16K' });
  assert.ok((await page.evaluate((j) => window.trapeze.loadScenario(j), JSON.stringify({ version: 1, name: 'big', guests }))).ok);
  const source = '; ' + 'x'.repeat(250 * 1024) + '\n_start:\n    halt\n';
  for (let i = 0; i < 5; i++) {
    const r = await page.evaluate(([k, s]) => window.trapeze.setSource(k, s), [i, source]);
    assert.ok(r.ok, `setSource ${i}: ${r.error || r.errors}`);
  }
  const big = await bytesOf();
  assert.ok(big > max, `the scenario (${big} bytes) is past the limit (${max})`);
  // Autosave cannot keep it either; its banner does not send the student to Export.
  await page.evaluate(() => window.trapeze.autosave.flush());
  const saving = await notices(page);
  assert.equal(saving.length, 1, JSON.stringify(saving));
  assert.match(saving[0], /Until it saves again, your work is only on this page \(it is too large to export as well\)\.$/);
  assert.equal(await page.locator('#notices .notice button', { hasText: 'Export' }).count(), 0);
  for (const close of await page.locator('#notices .notice-close').all()) await close.click();

  // 1. Too large to import: Export refuses, says why, and keeps the work.
  await page.click('#export');
  const errors = await notices(page);
  assert.deepEqual(errors, [`Could not export: the scenario is ${big} bytes, more than the ${max} bytes Import accepts ` +
                            '(make a guest\'s source shorter or remove a guest, then export again). Your work stays as it is.']);
  const kept = JSON.parse(await page.evaluate(() => window.trapeze.scenario()));
  assert.deepEqual(kept.guests.map((g) => g.source), Array(5).fill(source), 'every typed source is still there');
  console.log('web-export-limit: screenshot ' + await screenshot(page, opts.artifacts, 'web-export-limit-refused.png'));

  // 2. Just within the limit: Export writes it, and Import takes that file back.
  const shorter = '; ' + 'x'.repeat(250 * 1024 - (big - max) - 2048) + '\n_start:\n    halt\n';
  assert.ok((await page.evaluate((s) => window.trapeze.setSource(4, s), shorter)).ok);
  const fits = await bytesOf();
  assert.ok(fits <= max && fits > max - 4096, `${fits} bytes: just within ${max}`);
  const edited = await page.evaluate(() => window.trapeze.scenario());
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  assert.equal(downloads[0], download, 'the refused export downloaded nothing');
  const exported = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(exported, edited, 'the file is the scenario');
  assert.ok((await page.evaluate(() => window.trapeze.loadScenario(
    JSON.stringify({ version: 1, name: 'other', guests: [{ name: 'a', source: '_start:\n    halt\n' }] })))).ok);
  for (const close of await page.locator('#notices .notice-close').all()) await close.click();
  await page.setInputFiles('#import-file', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await page.waitForFunction((doc) => window.trapeze.scenario() === doc, edited, { timeout: 20000 });
  assert.deepEqual(await notices(page), [], 'the exported file imports without an error');
  await assertAppWorks(page, 'after the import');
  await assertNoViolations(page, 'export limit');
  console.log(`web-export-limit: ok (refused ${big} bytes; exported and imported ${fits} of ${max})`);
} finally {
  await browser.close();
  server.close();
}
