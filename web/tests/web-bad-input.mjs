// Bad input from a URL or from storage, in headless Chromium: each kind shows an
// error banner naming the problem, the app keeps the scenario it had and keeps
// running, unreadable saved data is set aside under another key (not dropped),
// and text that looks like HTML stays text.
//
//   node web-bad-input.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  siteArgs, openStarted, waitStarted, notices, assertAppWorks, assertNoViolations, screenshot,
  twoGuestScenario,
} from './lib/web.mjs';

const opts = siteArgs('web-bad-input.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();

// A fragment holding `text` as a link would (raw deflate, base64url).
const fragment = (text, format = 1) =>
  `#s=${format}.` + zlib.deflateRawSync(Buffer.from(text)).toString('base64url');

// Pastes a link into the address bar of the full app (only the fragment changes),
// after closing the banners shown so far; returns the error banner it brings.
async function pasteLink(page, hash) {
  for (const close of await page.locator('#notices .notice-close').all()) await close.click();
  await page.evaluate((h) => { window.location.hash = h; }, hash);
  await page.waitForSelector('#notices .notice.error', { timeout: 10000 });
  const all = await notices(page);
  assert.equal(all.length, 1, 'one banner per bad link');
  return all[0];
}

try {
  // ---- 1. A corrupt fragment at start-up: the default preset, an error, a working app.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const first = await openStarted(context, url + 'index.html#s=1.AAAA!x');
  assert.equal(first.started.source, 'default');
  assert.deepEqual(await notices(first.page), [
    'This link could not be opened: s: character 5 of the data, "!", is not base64url (A-Z a-z 0-9 - _). ' +
    'Trapeze opened the default scenario instead.']);
  await assertAppWorks(first.page, 'after a corrupt fragment');
  console.log('web-bad-input: screenshot ' + await screenshot(first.page, opts.artifacts, 'web-bad-fragment.png'));

  // ---- 2. Each kind of bad link pasted over a loaded scenario leaves it as it was.
  const page = first.page;
  assert.ok((await page.evaluate((j) => window.trapeze.loadScenario(j), twoGuestScenario())).ok);
  const kept = await page.evaluate(() => window.trapeze.scenario());
  const doc = (scenario) => JSON.stringify({ trapeze: 1, scenario: JSON.parse(scenario) });
  const edit = (change) => { const s = JSON.parse(kept); change(s); return JSON.stringify(s); };
  const HTML = '<img src=x onerror=window.pwned=1>';
  const cases = [
    ['damaged data', '#s=1.' + 'q'.repeat(40), /the data is damaged \(it does not decompress\)/],
    ['cut short', fragment(doc(kept)).slice(0, 200), /damaged|not valid JSON/],
    ['a decompression bomb', fragment(' '.repeat(3 << 20)), /it unpacks to more than 1048576 bytes \(the limit\)/],
    ['not JSON', fragment('hello'), /not valid JSON/],
    ['an older format', fragment(doc(kept), 0), /link format 0 is no longer supported/],
    ['a document of a newer format', fragment(JSON.stringify({ trapeze: 9, scenario: {} })),
     /format 9 comes from a newer Trapeze/],
    ['a bad field', fragment(doc(kept.replace('"strategy": "pv"', '"strategy": "warp"'))),
     /scenario: guests\[1\]\.strategy: unknown strategy "warp"/],
    // (A guest that does not assemble is no bad link: it opens with its errors, web-keep-typed.mjs.)
    ['HTML in a field', fragment(doc(edit((s) => { s.guests[0].strategy = HTML; }))),
     /unknown strategy "<img src=x onerror=window\.pwned=1>"/],
    ['an unknown part', '#s=1.AAAA&evil=1', /"evil": unknown part of the link/],
  ];
  for (const [what, hash, expected] of cases) {
    const message = await pasteLink(page, hash);
    assert.match(message, expected, what);
    assert.match(message, /^This link could not be opened: .*Trapeze kept the scenario it had\.$/s, what);
    assert.equal(await page.evaluate(() => window.trapeze.scenario()), kept, `${what}: the scenario is unchanged`);
    console.log(`web-bad-input: ${what}: "${message.slice(0, 110)}..."`);
  }
  // HTML in a link was shown as text: no element was made from it.
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await assertAppWorks(page, 'after the bad links');
  await assertNoViolations(page, 'bad links');
  console.log('web-bad-input: screenshot ' + await screenshot(page, opts.artifacts, 'web-bad-links.png'));

  // ---- 3. Corrupt saved data: reported, set aside (kept byte for byte), app working.
  const corrupt = '{"trapeze": 1, "scenario": {"version": 1, "guests": [{"name": "cut';
  await page.evaluate((t) => localStorage.setItem('trapeze.autosave', t), corrupt);
  await page.goto(url + 'index.html');
  const s1 = await waitStarted(page, first.logs);
  assert.equal(s1.source, 'default');
  assert.match(s1.autosaveError, /^not valid JSON: parse error at line 1, column \d+: /);
  const banner = await notices(page);
  assert.equal(banner.length, 1, JSON.stringify(banner));
  assert.match(banner[0], /^Your autosaved scenario could not be restored: not valid JSON: parse error at line 1, column \d+: .+\. It is kept in this browser's storage under "trapeze\.autosave\.set-aside\.[0-9T:.-]+Z"\./);
  const stored = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
  const aside = Object.keys(stored).filter((k) => k.startsWith('trapeze.autosave.set-aside.'));
  assert.equal(aside.length, 1);
  assert.equal(stored[aside[0]], corrupt, 'the unreadable data is kept as it was');
  assert.ok(!('trapeze.autosave' in stored), 'and moved off the autosave key');
  await assertAppWorks(page, 'after corrupt storage');
  // The set-aside data can be downloaded from the banner.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator('#notices .notice.error button', { hasText: 'Download it' }).click()]);
  assert.equal(download.suggestedFilename(), 'trapeze-autosave-set-aside.json');
  console.log('web-bad-input: screenshot ' + await screenshot(page, opts.artifacts, 'web-bad-storage.png'));

  // ---- 4. Saved data from an older format, and saved JSON that is no document.
  for (const [what, text, expected] of [
    ['an older format', JSON.stringify({ trapeze: 0, scenario: JSON.parse(kept) }), /format 0 is no longer supported/],
    ['not a document', '[1, 2, 3]', /expected a JSON object/],
  ]) {
    await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('trapeze.autosave', t); }, text);
    await page.reload();
    const s = await waitStarted(page, first.logs);
    assert.equal(s.source, 'default', what);
    const b = await notices(page);
    assert.equal(b.length, 1, what);
    assert.match(b[0], expected, what);
    const keys = await page.evaluate(() => Object.keys(localStorage));
    assert.ok(keys.some((k) => k.startsWith('trapeze.autosave.set-aside.')), `${what}: set aside`);
    await assertAppWorks(page, `after saved data that is ${what}`);
  }
  await assertNoViolations(page, 'bad storage');
  console.log('web-bad-input: ok');
} finally {
  await browser.close();
  server.close();
}
