// Nothing typed is lost (issue 15): a guest source with a syntax error, set through
// the API, survives every way a document travels — a share link opened in a fresh
// browser, a reload (autosave), Export then Import, and the set-aside download of
// saved data that could not be restored — with its text exact and its errors shown
// (in state() and in the editor), while the other guest runs.
//
//   node web-keep-typed.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  siteArgs, openStarted, waitStarted, notices, assertNoViolations, screenshot, twoGuestScenario,
} from './lib/web.mjs';

const opts = siteArgs('web-keep-typed.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();

// Half-typed: an unknown mnemonic on line 4 (column 9), an operand missing on line 5.
const TYPED = '; typed by web-keep-typed\n_start:\n        li r1, 0\n        bogus r1\n        jmp';
const LAYOUT = { compact: false, panels: ['guests', 'editor'], readOnly: false };

const guestSource = (page, i) => page.evaluate((k) => JSON.parse(window.trapeze.scenario()).guests[k].source, i);
const state = (page) => page.evaluate(() => window.trapeze.state());
const frames = async (page, n) => {
  const now = await page.evaluate(() => window.trapeze.frames());
  await page.waitForFunction((m) => window.trapeze.frames() >= m, now + n, { timeout: 30000 });
};

// The document as it arrived: the text exact, the errors as they were, no error
// banner, and the other guest runs while this one cannot.
async function assertKept(page, what, errors, note) {
  if (note) {
    const info = await notices(page, 'info');
    assert.ok(info.some((t) => t.startsWith(note + ': guest "bare" does not assemble yet.')),
              `${what}: a note names the guest: ${JSON.stringify(info)}`);
  }
  assert.equal(await guestSource(page, 0), TYPED, `${what}: the typed text`);
  const s = await state(page);
  assert.deepEqual(s.guests[0].errors, errors, `${what}: its errors`);
  assert.equal(s.guests[0].state, 'no image', `${what}: it has no image to run`);
  assert.deepEqual(await notices(page), [], `${what}: no error banner`);
  assert.ok(await page.evaluate(() => window.trapeze.run(20000)) > 0, `${what}: the machine runs`);
  const after = await state(page);
  assert.ok((after.guests[1].counters.machine.instructions_user + after.guests[1].counters.machine.instructions_kernel) > 0, `${what}: the other guest ran`);
  assert.equal((after.guests[0].counters.machine.instructions_user + after.guests[0].counters.machine.instructions_kernel), 0, `${what}: the broken one did not`);
}

try {
  // ---- The author types a broken line through setSource.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page, logs } = await openStarted(context, url + 'index.html');
  assert.ok((await page.evaluate((j) => window.trapeze.loadScenario(j), twoGuestScenario())).ok);
  await page.evaluate((ui) => window.trapeze.setUi(ui), LAYOUT);
  const set = await page.evaluate((t) => window.trapeze.setSource(0, t), TYPED);
  assert.equal(set.ok, false);
  assert.match(set.errors[0], /^guests\/inline\/bare\.s:4:9: .*'bogus'/, JSON.stringify(set.errors));
  assert.ok(set.errors.some((e) => e.startsWith('guests/inline/bare.s:5:')), JSON.stringify(set.errors));
  const errors = set.errors;
  assert.equal(await guestSource(page, 0), TYPED, 'the text is kept though it does not assemble');
  assert.deepEqual((await state(page)).guests[0].errors, errors);
  // setSource of a good text assembles it; a bad guest index says so.
  const good = await page.evaluate(() => window.trapeze.setSource(1, '_start: li r1, 1\nloop: add r1, r1, r1\n jmp loop\n'));
  assert.deepEqual(good, { ok: true, errors: [] });
  const none = await page.evaluate(() => window.trapeze.setSource(9, 'x'));
  assert.deepEqual(none, { ok: false, errors: [], error: 'no guest 9' });
  await frames(page, 10);
  console.log('web-keep-typed: screenshot ' + await screenshot(page, opts.artifacts, 'keep-typed-author.png'));

  // ---- Share link: the same one "Copy link" makes; it opens in a fresh browser.
  const link = await page.evaluate(() => window.trapeze.shareLink());
  assert.ok(link.ok, link.error);
  await page.click('#copy-link');
  await page.waitForFunction(() => !!window.trapeze.lastShareLink);
  assert.equal(await page.evaluate(() => window.trapeze.lastShareLink), link.url, 'Copy link makes the same link');
  const reader = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const r = await openStarted(reader, link.url);
  assert.equal(r.started.source, 'link', JSON.stringify(r.started));
  await assertKept(r.page, 'share link', errors, 'Opened a shared scenario');
  await frames(r.page, 20);
  const shot = await screenshot(r.page, opts.artifacts, 'keep-typed-restored-editor.png');
  console.log('web-keep-typed: screenshot of the restored broken source ' + shot);
  await assertNoViolations(r.page, 'reader');
  await reader.close();

  // ---- Reload: the autosave brings it back.
  const doc = await page.evaluate(() => window.trapeze.scenario());
  await page.waitForFunction((d) => {
    const saved = localStorage.getItem('trapeze.autosave');
    return saved && JSON.stringify(JSON.parse(saved).scenario) === JSON.stringify(JSON.parse(d));
  }, doc, { timeout: 15000 });
  await page.reload();
  const reloaded = await waitStarted(page, logs);
  assert.equal(reloaded.source, 'autosave', JSON.stringify(reloaded));
  assert.equal(await page.evaluate(() => window.trapeze.scenario()), doc, 'the reload restores the document exactly');
  await assertKept(page, 'autosave', errors, 'Restored your autosaved work');

  // ---- Export, then Import of the downloaded file over another scenario.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const exported = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(exported, doc, 'Export writes the scenario as typed');
  fs.writeFileSync(`${opts.artifacts}/keep-typed-exported.json`, exported);  // `trapeze run` it by hand
  assert.ok((await page.evaluate(() => window.trapeze.loadScenario(
    '{"version":1,"guests":[{"name":"other","source":"_start: halt\\n"}]}'))).ok);
  await page.setInputFiles('#import-file', { name: 'exported.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await page.waitForFunction((d) => window.trapeze.scenario() === d, doc, { timeout: 10000 });
  await assertKept(page, 'Export then Import', errors, 'Imported exported.json');

  // ---- Saved data that cannot be restored is set aside; its download imports.
  // (A plain scenario is no saved document, so the autosave refuses it; Import
  // takes plain scenario files.)
  await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('trapeze.autosave', t); }, exported);
  await page.reload();
  const s3 = await waitStarted(page, logs);
  assert.equal(s3.source, 'default', JSON.stringify(s3));
  const banner = await notices(page);
  assert.equal(banner.length, 1, JSON.stringify(banner));
  assert.match(banner[0], /^Your autosaved scenario could not be restored: not a Trapeze document/);
  const [aside] = await Promise.all([page.waitForEvent('download'),
    page.locator('#notices .notice.error button', { hasText: 'Download it' }).click()]);
  const asideText = fs.readFileSync(await aside.path(), 'utf8');
  assert.equal(asideText, exported, 'the set-aside download is the saved data byte for byte');
  await page.locator('#notices .notice.error .notice-close').click().catch(() => {});
  await page.setInputFiles('#import-file', { name: aside.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(asideText) });
  await page.waitForFunction((d) => window.trapeze.scenario() === d, doc, { timeout: 10000 });
  await assertKept(page, 'the set-aside download imported', errors, 'Imported trapeze-autosave-set-aside.json');
  await assertNoViolations(page, 'author');
  console.log('web-keep-typed: ok');
} finally {
  await browser.close();
  server.close();
}
