// Share links in headless Chromium: a two-guest scenario (with a strategy switched
// and a chosen layout) goes through "Copy link" and comes back exactly in a fresh
// browser profile; the link is then the autosave (a reload shows it); a link from
// a newer Trapeze says so.
//
//   node web-share.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  siteArgs, openStarted, waitStarted, notices, assertAppWorks, assertNoViolations, screenshot, twoGuestScenario,
} from './lib/web.mjs';

const opts = siteArgs('web-share.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
const LAYOUT = ['guests', 'editor', 'counters', 'events'];
try {
  // 1. Author: load the scenario, switch a strategy, choose panels, copy the link.
  const author = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await author.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const a = await openStarted(author, url + 'index.html');
  const loaded = await a.page.evaluate((json) => window.trapeze.loadScenario(json), twoGuestScenario());
  assert.ok(loaded.ok, 'the two-guest scenario loads: ' + loaded.error);
  const switched = await a.page.evaluate(() => window.trapeze.setStrategy(1, 'trap'));
  assert.ok(switched.ok, 'strategy switch: ' + switched.error);
  await a.page.evaluate((panels) => window.trapeze.setUi({ compact: false, panels, readOnly: false }), LAYOUT);
  const original = await a.page.evaluate(() => window.trapeze.scenario());
  const doc = JSON.parse(original);
  assert.equal(doc.guests.length, 2);
  assert.equal(doc.guests[1].strategy, 'trap', 'the switched strategy is in the document');

  await a.page.click('#copy-link');
  await a.page.waitForFunction(() => document.querySelector('#copy-link').textContent === 'Link copied');
  const link = await a.page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/index\.html#s=1\.[A-Za-z0-9_-]+$/, 'link shape: ' + link.slice(0, 80));
  assert.equal(link, await a.page.evaluate(() => window.trapeze.lastShareLink));
  console.log(`web-share: link is ${link.length} characters for a ${original.length}-byte scenario`);
  await assertNoViolations(a.page, 'author');
  // Done with the author: an open page keeps drawing frames at a core's cost.
  await author.close();

  // 2. Reader: a fresh profile (no autosave) opens the link.
  const reader = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const r = await openStarted(reader, link);
  assert.equal(r.started.source, 'link', 'the reader starts from the link: ' + JSON.stringify(r.started));
  const restored = await r.page.evaluate(() => window.trapeze.scenario());
  assert.equal(restored, original, 'the scenario comes back exactly');
  const ui = await r.page.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])));
  assert.deepEqual(ui.panels, LAYOUT, 'the layout comes back');
  assert.equal(await r.page.evaluate(() => window.location.hash), '', 'the full app drops the fragment once opened');
  assert.deepEqual(await notices(r.page), [], 'no error banner');
  await assertAppWorks(r.page, 'reader');
  await assertNoViolations(r.page, 'reader');
  console.log('web-share: screenshot ' + await screenshot(r.page, opts.artifacts, 'web-share-opened.png'));

  // 3. The opened link is what a reload shows (it became the autosave).
  await r.page.reload();
  const again = await waitStarted(r.page, r.logs);
  assert.equal(again.source, 'autosave', 'a reload restores the autosave: ' + JSON.stringify(again));
  assert.equal(await r.page.evaluate(() => window.trapeze.scenario()), original);

  // 4. A link beats the autosave, which is kept and can be gone back to.
  const preset = await r.page.evaluate(() => {
    const s = JSON.parse(window.trapeze.scenario());
    s.name = 'my own work';
    s.guests = s.guests.slice(0, 1);
    return JSON.stringify(s);
  });
  assert.ok((await r.page.evaluate((p) => window.trapeze.loadScenario(p), preset)).ok);
  const mine = await r.page.evaluate(() => window.trapeze.scenario());
  await r.page.waitForFunction(() => (localStorage.getItem('trapeze.autosave') || '').includes('my own work'),
                               null, { timeout: 10000 });
  await r.page.goto('about:blank');
  await r.page.goto(link);
  const precedence = await waitStarted(r.page, r.logs);
  assert.equal(precedence.source, 'link', 'the link wins over the autosave');
  assert.equal(precedence.keptEarlierWork, true);
  assert.equal(await r.page.evaluate(() => window.trapeze.scenario()), original);
  assert.deepEqual(await notices(r.page, 'info'), ['Opened a shared scenario. Your own autosaved work was kept.']);
  await r.page.locator('#notices .notice.info button', { hasText: 'Go back to my work' }).click();
  assert.equal(await r.page.evaluate(() => window.trapeze.scenario()), mine, 'the earlier work comes back');
  await r.page.waitForFunction(() => (localStorage.getItem('trapeze.autosave') || '').includes('my own work'));
  await reader.close();

  // 5. A link from a newer Trapeze says why it does not open; the app keeps going.
  const newer = link.replace('#s=1.', '#s=7.');
  const n = await openStarted(await browser.newContext(), newer);
  assert.equal(n.started.source, 'default');
  const errors = await notices(n.page);
  assert.equal(errors.length, 1, 'one error banner: ' + JSON.stringify(errors));
  assert.match(errors[0], /link format 7 comes from a newer Trapeze \(this one reads 1 to 1\)/);
  await assertAppWorks(n.page, 'newer link');
  console.log('web-share: screenshot ' + await screenshot(n.page, opts.artifacts, 'web-share-newer-link.png'));
  console.log('web-share: ok');
} finally {
  await browser.close();
  server.close();
}
