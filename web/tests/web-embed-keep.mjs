// Embeds keep what the student typed, in headless Chromium: a course page (on one
// origin) with four 520-px embeds from the Trapeze site (a second origin): two
// editable scenarios, the same scenario read-only (ro=1), and a lab step. Text is
// typed into the two editors and a lab's code is set; after a reload of the
// course page each embed shows its own edits (the other's are not there), the
// read-only one shows the original and stored nothing, and the full app's
// autosave was never written. "Reset to the original" brings the original back
// with the edits set aside, and "Go back to my edits" returns them. Damaged saved
// data is set aside (never run); without storage the embed works and says edits
// are not kept; a reset whose edits cannot be set aside changes nothing. "Open
// in full Trapeze" opens the edits; a link changed by the
// page (hashchange) keeps each link's edits under its own key.
//
//   node web-embed-keep.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, openStarted, waitStarted, notices, assertAppWorks, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed-keep.mjs');
const site = await startServer(opts.site);

// The example course page's two links: the U/K-bit scenario and the I/O one.
const example = fs.readFileSync(path.join(opts.site, 'embed-example.html'), 'utf8');
const links = [...example.matchAll(/<iframe[^>]*\ssrc="embed\.html#(s=1\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
assert.equal(links.length, 2, 'the example page has two scenario links');
const EMBEDS = [
  { id: 'uk', fragment: `${links[0]}&panels=editor`, mark: '; typed in the U/K embed' },
  { id: 'io', fragment: `${links[1]}&panels=editor`, mark: '; typed in the I/O embed' },
  { id: 'ro', fragment: `${links[1]}&panels=editor&ro=1`, mark: '; typed in the read-only embed' },
  { id: 'lab', fragment: 'lab=lab2-uk-bit&step=2', mark: '; typed in the lab step' },
];

function coursePage(embeds) {
  const frames = embeds.map((e) => `<iframe id="${e.id}" src="${site.url}embed.html#${e.fragment.replace(/&/g, '&amp;')}" ` +
                                    'width="520" height="520" style="border: 1px solid #999"></iframe>');
  return `<!doctype html><meta charset="utf-8"><title>Course</title>
<body style="margin: 8px; background: #fbfaf7"><h1 style="font: 20px serif">Lecture</h1>${frames.join('\n')}</body>`;
}
const courseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trapeze-course-keep-'));
fs.writeFileSync(path.join(courseDir, 'lecture.html'), coursePage(EMBEDS));
fs.writeFileSync(path.join(courseDir, 'one.html'), coursePage([EMBEDS[0]]));
const course = await startServer(courseDir);
assert.notEqual(new URL(site.url).origin, new URL(course.url).origin);

const frameOf = async (page, id) => (await page.waitForSelector(`iframe#${id}`)).contentFrame();
const scenarioOf = (frame) => frame.evaluate(() => window.trapeze.scenario());
const storedKeys = (frame) => frame.evaluate(() => Object.keys(localStorage).sort());

async function nextFrames(frame, count = 2) {
  const n = await frame.evaluate(() => window.trapeze.frames());
  await frame.waitForFunction(([from, c]) => window.trapeze.frames() >= from + c, [n, count]);
}

// Clicks into the editor (the embed's only panel) and types a line after the one
// clicked (near the pc's line, which the editor shows when it opens).
async function typeInto(page, frame, text) {
  const lay = await frame.evaluate(() => window.trapeze.layout());
  const editor = lay.panels.find((p) => p.name === 'editor');
  assert.ok(editor, 'the editor is shown: ' + JSON.stringify(lay));
  const before = await frame.evaluate(() => window.trapeze.changeCount());
  await frame.locator('canvas').click({ position: { x: editor.x + editor.w / 2, y: editor.y + editor.h / 2 } });
  // The click moves the cursor in the next frame; each key is held for frames of
  // its own (ImGui 1.86 reads the keys' state once a frame: a press and release
  // within one frame, on a loaded machine, would be missed). The text is queued.
  await nextFrames(frame);
  for (const key of ['End', 'Enter']) {
    await page.keyboard.down(key);
    await nextFrames(frame);
    await page.keyboard.up(key);
    await nextFrames(frame);
  }
  await page.keyboard.type(text);
  try {
    await frame.waitForFunction((n) => window.trapeze.changeCount() > n, before, { timeout: 10000 });
    // All of it: the keys arrive a frame at a time, and a caller may act on the text next.
    await frame.waitForFunction((t) => window.trapeze.scenario().includes(t), text, { timeout: 10000 });
  } catch (e) {
    fs.writeFileSync(path.join(opts.artifacts, 'web-embed-keep-typing-failed.png'), await page.screenshot());
    console.error('web-embed-keep: typing changed nothing; see web-embed-keep-typing-failed.png; layout ' + JSON.stringify(lay));
    throw e;
  }
}

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1140, height: 1160 } });
  const { page, logs } = await newPage(context);
  await page.goto(course.url + 'lecture.html');

  // 1. First visit: each embed opens its link; nothing is stored yet.
  const original = {};
  const frames = {};
  for (const e of EMBEDS) {
    frames[e.id] = await frameOf(page, e.id);
    await waitStarted(frames[e.id], logs, { minFrames: 10 });
    original[e.id] = await scenarioOf(frames[e.id]);
    assert.deepEqual(await notices(frames[e.id]), [], `${e.id}: no error banner`);
  }
  assert.deepEqual(await storedKeys(frames.uk), [], 'nothing stored before an edit');
  const labAtStart = await frames.lab.evaluate(() => window.trapeze.lab());
  assert.deepEqual([labAtStart.open, labAtStart.step, labAtStart.notice], ['lab2-uk-bit', 2, ''], 'the lab opens at the link\'s step');
  const keys = {};
  for (const e of EMBEDS) keys[e.id] = await frames[e.id].evaluate(() => window.trapeze.embedSave.key);
  assert.equal(keys.ro, null, 'a read-only embed keeps nothing');
  assert.match(keys.uk, /^trapeze\.embed\.[0-9a-f]{16}$/);
  assert.equal(new Set([keys.uk, keys.io, keys.lab]).size, 3, 'each embed has a key of its own: ' + JSON.stringify(keys));

  // 2. The student edits: typed into two editors; the read-only editor refuses
  // typing (its strategy switch through the API is a change it must not store);
  // the lab step's code is set as the lab's editor would.
  await typeInto(page, frames.uk, EMBEDS[0].mark);
  await typeInto(page, frames.io, EMBEDS[1].mark);
  assert.ok((await frames.ro.evaluate(() => window.trapeze.setStrategy(0, 'trap'))).ok);
  const labGuest = await frames.lab.evaluate(() => JSON.parse(window.trapeze.scenario()).guests.findIndex((g) => g.name === 'kernel'));
  assert.ok(labGuest >= 0, 'lab 2 step 2 has a kernel guest');
  const labSource = EMBEDS[3].mark + '\n' + JSON.parse(original.lab).guests[labGuest].source;
  await frames.lab.evaluate(([g, s]) => window.trapeze.setSource(g, s), [labGuest, labSource]);
  for (const e of [EMBEDS[0], EMBEDS[1]]) {
    assert.ok((await scenarioOf(frames[e.id])).includes(e.mark), `${e.id}: the typed text is in its document`);
  }
  // Each save follows a pause in its embed's changes; the read-only one's change came first.
  await frames.uk.waitForFunction((ks) => ks.every((k) => localStorage.getItem(k) !== null),
                                  [keys.uk, keys.io, keys.lab], { timeout: 15000 });
  await frames.io.waitForFunction(([k, mark]) => (localStorage.getItem(k) || '').includes(mark),
                                  [keys.io, EMBEDS[1].mark], { timeout: 15000 });
  assert.deepEqual(await storedKeys(frames.uk), [keys.uk, keys.io, keys.lab].sort(),
                   'one key per editable embed; none for the read-only one; no "trapeze.autosave"');
  console.log('web-embed-keep: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-keep-typed.png'));

  // 3. The course page reloads: each embed is back with its own edits.
  await page.reload();
  for (const e of EMBEDS) {
    frames[e.id] = await frameOf(page, e.id);
    const started = await waitStarted(frames[e.id], logs, { minFrames: 10 });
    const doc = await scenarioOf(frames[e.id]);
    if (e.id === 'ro') {
      assert.equal(started.source, 'link', JSON.stringify(started));
      assert.equal(doc, original.ro, 'the read-only embed shows the original');
      assert.deepEqual(await notices(frames.ro, 'info'), []);
      continue;
    }
    assert.equal(started.source, 'autosave', `${e.id}: ${JSON.stringify(started)}`);
    for (const other of EMBEDS) {
      assert.equal(doc.includes(other.mark), other === e,
                   `${e.id}: holds its own edit and no other embed's (${other.id})`);
    }
    assert.deepEqual(await notices(frames[e.id], 'info'), ['Restored your edits from your last visit (kept in this browser).']);
    assert.deepEqual(await notices(frames[e.id]), [], `${e.id}: no error`);
  }
  const lab = await frames.lab.evaluate(() => window.trapeze.lab());
  assert.equal(lab.open, 'lab2-uk-bit');
  assert.equal(lab.step, 2);
  assert.equal(JSON.parse(await scenarioOf(frames.lab)).guests[labGuest].source, labSource, 'the lab step holds the typed code');
  console.log('web-embed-keep: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-keep-reloaded.png'));
  // With the banner closed, the typed line is on screen in the editor.
  await frames.io.locator('#notices .notice-close').click();
  await frames.io.locator('#notices .notice').waitFor({ state: 'detached' });
  fs.writeFileSync(path.join(opts.artifacts, 'web-embed-keep-io-restored.png'),
                   await (await page.$('iframe#io')).screenshot());
  for (const e of EMBEDS) await assertNoViolations(frames[e.id], e.id);

  // "Open in full Trapeze" takes the edits along (a share link of them), not the original.
  const originalHref = `${site.url}index.html#${links[0]}`;
  await frames.uk.waitForFunction((h) => document.getElementById('open-full').href !== h, originalHref);
  const openFull = await frames.uk.evaluate(() => document.getElementById('open-full').href);
  assert.ok(openFull.startsWith(`${site.url}index.html#s=1.`), openFull);
  const full = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const f = await openStarted(full, openFull);
  assert.equal(f.started.source, 'link', JSON.stringify(f.started));
  const fullDoc = await f.page.evaluate(() => window.trapeze.scenario());
  assert.ok(fullDoc.includes(EMBEDS[0].mark), 'the full app opens the embed\'s edits');
  assert.equal(fullDoc, await scenarioOf(frames.uk));
  await full.close();

  // 4. Reset to the original: the embed reloads as a first visit opens it, its
  // edits set aside; the other embeds keep theirs.
  await Promise.all([frames.uk.waitForNavigation(),
                     frames.uk.locator('#notices button', { hasText: 'Reset to the original' }).click()]);
  frames.uk = await frameOf(page, 'uk');
  let started = await waitStarted(frames.uk, logs, { minFrames: 10 });
  assert.equal(started.source, 'link');
  assert.equal(await scenarioOf(frames.uk), original.uk, 'the original is back');
  assert.deepEqual(await notices(frames.uk, 'info'), ['This is the original again. Your edits were set aside in this browser.']);
  const stored = await storedKeys(frames.uk);
  const aside = stored.filter((k) => k.startsWith(keys.uk + '.set-aside.'));
  assert.equal(aside.length, 1, 'the edits are set aside: ' + stored);
  assert.ok(!stored.includes(keys.uk), 'the embed\'s own key is clear until the next edit');
  assert.ok((await frames.uk.evaluate((k) => localStorage.getItem(k), aside[0])).includes(EMBEDS[0].mark));
  assert.ok((await frames.uk.evaluate((k) => localStorage.getItem(k), keys.io)).includes(EMBEDS[1].mark),
            'the other embed kept its own');
  fs.writeFileSync(path.join(opts.artifacts, 'web-embed-keep-uk-reset.png'), await (await page.$('iframe#uk')).screenshot());

  // ...and "Go back to my edits" brings them back (and keeps them for a reload).
  await frames.uk.locator('#notices button', { hasText: 'Go back to my edits' }).click();
  await frames.uk.waitForFunction((m) => window.trapeze.scenario().includes(m), EMBEDS[0].mark);
  assert.deepEqual(await storedKeys(frames.uk), [keys.uk, keys.io, keys.lab].sort(), 'saved again, the copy set aside removed');
  assert.ok((await frames.uk.evaluate((k) => localStorage.getItem(k), keys.uk)).includes(EMBEDS[0].mark));
  await context.close();  // an open page keeps drawing frames at a core's cost

  // 5. Damaged saved data: set aside and reported; the original opens; nothing runs.
  const damaged = await browser.newContext({ viewport: { width: 560, height: 600 } });
  const d = await newPage(damaged);
  await d.page.goto(course.url + 'one.html');
  let frame = await frameOf(d.page, 'uk');
  await waitStarted(frame, d.logs);
  const bad = '{"trapeze": 1, "scenario": "<img src=x onerror=window.__ran=1>"}';
  await frame.evaluate(([k, text]) => localStorage.setItem(k, text), [keys.uk, bad]);
  await d.page.reload();
  frame = await frameOf(d.page, 'uk');
  started = await waitStarted(frame, d.logs);
  assert.equal(started.source, 'link');
  assert.equal(await scenarioOf(frame), original.uk);
  const errors = await notices(frame);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0], /^Your edits kept for this embedded scenario could not be restored: .*It is kept in this browser's storage under "trapeze\.embed\.[0-9a-f]{16}\.set-aside\.[^"]+"\. Trapeze started with the original instead\.$/);
  const kept = (await storedKeys(frame)).filter((k) => k.startsWith(keys.uk + '.set-aside.'));
  assert.equal(kept.length, 1);
  assert.equal(await frame.evaluate((k) => localStorage.getItem(k), kept[0]), bad, 'kept exactly');
  assert.equal(await frame.evaluate(() => window.__ran), undefined, 'the saved text never ran');
  await assertAppWorks(frame, 'after damaged saved data');
  fs.writeFileSync(path.join(opts.artifacts, 'web-embed-keep-damaged.png'), await d.page.screenshot());
  await damaged.close();

  // 6. Storage refused (a private window, a partitioned iframe): the embed works,
  // and once something is edited a note says it will not be kept.
  const denied = await browser.newContext({ viewport: { width: 560, height: 600 } });
  await denied.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const n = await newPage(denied);
  await n.page.goto(course.url + 'one.html');
  frame = await frameOf(n.page, 'uk');
  started = await waitStarted(frame, n.logs);
  assert.equal(started.source, 'link', JSON.stringify(started));
  assert.deepEqual(await notices(frame, 'info'), [], 'no note before an edit');
  await typeInto(n.page, frame, EMBEDS[0].mark);
  await frame.waitForSelector('#notices .notice.info');
  assert.deepEqual(await notices(frame, 'info'), ['Your edits here will not be kept after a reload: this browser does not ' +
    'let the embedded Trapeze use its storage.']);
  assert.deepEqual(await notices(frame), [], 'no error');
  await assertAppWorks(frame, 'without storage');
  fs.writeFileSync(path.join(opts.artifacts, 'web-embed-keep-no-storage.png'), await n.page.screenshot());
  await denied.close();

  // 7. A page script changes the embed's link (hashchange): edits not yet saved go
  // under the old link's key at once, and the new link's edits under its own.
  const moved = await browser.newContext({ viewport: { width: 520, height: 520 } });
  const m = await openStarted(moved, site.url + 'embed.html#' + EMBEDS[0].fragment);
  await typeInto(m.page, m.page.mainFrame(), EMBEDS[0].mark);
  await m.page.evaluate((h) => { window.location.hash = h; }, EMBEDS[1].fragment);
  await m.page.waitForFunction((doc) => window.trapeze.scenario() === doc, original.io);
  await m.page.waitForFunction((k) => window.trapeze.embedSave.key === k, keys.io);
  const ukSaved = await m.page.evaluate((k) => localStorage.getItem(k), keys.uk);
  assert.ok(ukSaved && ukSaved.includes(EMBEDS[0].mark), 'the first link\'s edits were saved under its key');
  await typeInto(m.page, m.page.mainFrame(), EMBEDS[1].mark);
  await m.page.waitForFunction(([k, mark]) => (localStorage.getItem(k) || '').includes(mark), [keys.io, EMBEDS[1].mark]);
  assert.equal(await m.page.evaluate((k) => localStorage.getItem(k), keys.uk), ukSaved, 'and are left alone');
  assert.deepEqual(await m.page.evaluate(() => Object.keys(localStorage).sort()), [keys.uk, keys.io].sort());
  await moved.close();

  // 8. Reset when the edits cannot be set aside (storage full): nothing is reset,
  // the edits stay on screen and saved, and a banner offers to download them.
  const full2 = await browser.newContext({ viewport: { width: 520, height: 520 }, acceptDownloads: true });
  await full2.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (String(key).includes('.set-aside.')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
  const q = await openStarted(full2, site.url + 'embed.html#' + EMBEDS[0].fragment);
  await typeInto(q.page, q.page.mainFrame(), EMBEDS[0].mark);
  await q.page.waitForFunction(([k, mark]) => (localStorage.getItem(k) || '').includes(mark), [keys.uk, EMBEDS[0].mark]);
  await q.page.reload();
  started = await waitStarted(q.page, q.logs);
  assert.equal(started.source, 'autosave');
  const edited = await scenarioOf(q.page);
  await q.page.evaluate(() => { window.__samePage = true; });
  await q.page.locator('#notices button', { hasText: 'Reset to the original' }).click();
  await q.page.waitForSelector('#notices .notice.error');
  assert.deepEqual(await notices(q.page), ['Could not reset: your edits could not be set aside in this browser\'s ' +
                                           'storage (it may be full), so nothing was changed.']);
  assert.equal(await scenarioOf(q.page), edited, 'the edits are still on screen');
  assert.equal(await q.page.evaluate(() => window.__samePage), true, 'the page did not reload');
  assert.ok((await q.page.evaluate((k) => localStorage.getItem(k), keys.uk)).includes(EMBEDS[0].mark), 'and still saved');
  const [saved] = await Promise.all([q.page.waitForEvent('download'),
                                     q.page.locator('#notices button', { hasText: 'Download them' }).click()]);
  assert.ok(fs.readFileSync(await saved.path(), 'utf8').includes(EMBEDS[0].mark), 'the download holds the edits');
  fs.writeFileSync(path.join(opts.artifacts, 'web-embed-keep-reset-refused.png'), await q.page.screenshot());
  await full2.close();
  console.log('web-embed-keep: ok');
} finally {
  await browser.close();
  site.server.close();
  course.server.close();
}
