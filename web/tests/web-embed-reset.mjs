// A student's way back to the course's original in a 520-px embed, in headless
// Chromium (a course page on another origin):
// - the restore banner ("Restored your edits ... Reset to the original") takes
//   its room above the app instead of covering the guests' controls: the
//   banner's rectangle ends above the canvas, the app lays its panels out in the
//   canvas's height (not stretched), every guest row is visible; closing the
//   banner gives the room back;
// - the toolbar offers "Reset to the original" once there are edits (not before),
//   so the reset is still there after the banner is closed (at 320 px the
//   toolbar takes two lines inside the frame, the panels end above it); it sets the edits
//   aside and "Go back to my edits" returns them;
// - set-aside copies do not pile up: with ten older ones (and six whose time
//   lies in the future: a clock set wrong) in storage, a reset leaves five: the
//   one just set aside and the four newest others.
//
//   node web-embed-reset.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, waitStarted, notices, assertAppWorks, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed-reset.mjs');
const site = await startServer(opts.site);

// The example course page's first link: the U/K-bit scenario, three guests.
const example = fs.readFileSync(path.join(opts.site, 'embed-example.html'), 'utf8');
const link = example.match(/<iframe[^>]*\ssrc="embed\.html#(s=1\.[A-Za-z0-9_-]+)/)[1];
const courseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trapeze-course-reset-'));
fs.writeFileSync(path.join(courseDir, 'lecture.html'), `<!doctype html><meta charset="utf-8"><title>Lecture</title>
<body style="margin: 8px; background: #fbfaf7"><h1 style="font: 20px serif">Lecture</h1>
<iframe id="embed" src="${site.url}embed.html#${link}&amp;panels=guests,counters,events" width="520" height="520"
        style="border: 1px solid #999"></iframe></body>`);
const course = await startServer(courseDir);

const KEEP = 5;
const strategyOf = async (frame) => JSON.parse(await frame.evaluate(() => window.trapeze.scenario())).guests[0].strategy;
const resetButton = (frame) => frame.locator('#toolbar #reset-original');
const asideKeys = (frame, key) => frame.evaluate((k) => Object.keys(localStorage).filter((x) => x.startsWith(k + '.set-aside.')).sort(), key);

// Where the banner, the canvas and the app's panels are (CSS pixels of the frame).
async function geometry(frame) {
  return frame.evaluate(() => {
    const rect = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    const banner = document.querySelector('#notices .notice');
    return { banner: banner && rect(banner), canvas: rect(document.getElementById('canvas')), layout: window.trapeze.layout() };
  });
}

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 600, height: 620 } });
  const { page, logs } = await newPage(context);
  await page.goto(course.url + 'lecture.html');
  let frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
  await waitStarted(frame, logs, { minFrames: 5 });
  const original = await frame.evaluate(() => window.trapeze.scenario());
  const key = await frame.evaluate(() => window.trapeze.embedSave.key);
  const firstStrategy = await strategyOf(frame);
  const edited = firstStrategy === 'trap' ? 'pv' : 'trap';

  // 1. No edits yet: nothing to reset. An edit brings the toolbar's reset.
  assert.equal(await resetButton(frame).isVisible(), false, 'no reset before an edit');
  assert.ok((await frame.evaluate((s) => window.trapeze.setStrategy(0, s), edited)).ok);
  await resetButton(frame).waitFor({ state: 'visible', timeout: 10000 });
  await frame.waitForFunction((k) => localStorage.getItem(k) !== null, key, { timeout: 15000 });

  // 2. Reload: the banner sits above the app; nothing of the app is under it.
  await page.reload();
  frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
  const started = await waitStarted(frame, logs, { minFrames: 5 });
  assert.equal(started.source, 'autosave', JSON.stringify(started));
  assert.equal(await strategyOf(frame), edited, 'the edit is back');
  assert.deepEqual(await notices(frame, 'info'), ['Restored your edits from your last visit (kept in this browser).']);
  await frame.waitForFunction(() => {
    const c = document.getElementById('canvas').getBoundingClientRect();
    return Math.abs(window.trapeze.layout().height - c.height) < 1 && c.top > 0;
  }, null, { timeout: 10000 });
  let g = await geometry(frame);
  assert.ok(g.banner.y >= 0 && g.banner.y + g.banner.h <= g.canvas.y + 0.5,
            'the banner ends above the canvas: ' + JSON.stringify(g));
  assert.equal(g.canvas.y + g.canvas.h, 520, 'the canvas fills the rest of the frame: ' + JSON.stringify(g.canvas));
  assert.ok(Math.abs(g.layout.height - g.canvas.h) < 1, 'the app lays out in the canvas\'s height: ' + JSON.stringify(g));
  const guests = g.layout.panels.find((p) => p.name === 'guests');
  assert.ok(guests && guests.y === 0 && guests.h > 0, 'the guests panel starts at the canvas\'s top: ' + JSON.stringify(g.layout));
  assert.equal(g.layout.guestRowsVisible, 3, 'every guest row is visible: ' + JSON.stringify(g.layout));
  console.log('web-embed-reset: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-reset-banner.png'));

  // 3. The student closes the banner: the app has the whole frame again, and the
  // reset is still in the toolbar.
  await frame.locator('#notices .notice.info .notice-close').click();
  await frame.waitForFunction(() => window.trapeze.layout().height === 520, null, { timeout: 10000 });
  g = await geometry(frame);
  assert.deepEqual([g.banner, g.canvas.y, g.canvas.h], [null, 0, 520], JSON.stringify(g));
  assert.equal(await resetButton(frame).isVisible(), true, 'the toolbar offers the reset');
  const button = await resetButton(frame).boundingBox();
  const frameBox = await page.locator('iframe#embed').boundingBox();
  assert.ok(button.x >= frameBox.x && button.x + button.width <= frameBox.x + frameBox.width &&
            button.y + button.height <= frameBox.y + frameBox.height, 'the button is inside the frame: ' + JSON.stringify(button));
  console.log('web-embed-reset: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-reset-toolbar.png'));

  // At 320 px the toolbar takes two lines inside the frame, and the panels end above it.
  await page.evaluate(() => { document.getElementById('embed').width = '320'; });
  await frame.waitForFunction(() => window.trapeze.layout().width === 320, null, { timeout: 10000 });
  const f0 = await frame.evaluate(() => window.trapeze.frames());
  await frame.waitForFunction((n) => window.trapeze.frames() > n + 3, f0);
  const narrow = await frame.evaluate(() => ({
    bar: [...document.querySelectorAll('#toolbar > *')].map((e) => e.getBoundingClientRect().toJSON()),
    panels: window.trapeze.layout().panels,
  }));
  const barTop = Math.min(...narrow.bar.map((r) => r.top));
  for (const r of narrow.bar) assert.ok(r.left >= 0 && r.right <= 320, 'the toolbar is inside a 320-px frame: ' + JSON.stringify(narrow.bar));
  for (const p of narrow.panels) assert.ok(p.y + p.h <= barTop, `${p.name} ends above the toolbar: ` + JSON.stringify(narrow));
  console.log('web-embed-reset: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-reset-320.png'));
  await page.evaluate(() => { document.getElementById('embed').width = '520'; });
  await frame.waitForFunction(() => window.trapeze.layout().width === 520, null, { timeout: 10000 });

  // 4. Older copies from earlier resets are in storage; the reset keeps the newest few.
  await frame.evaluate((k) => {
    for (let i = 0; i < 10; i++) localStorage.setItem(`${k}.set-aside.2020-01-0${i % 9 + 1}T00:00:0${i}.000Z`, `old ${i}`);
    for (let y = 2094; y <= 2099; y++) localStorage.setItem(`${k}.set-aside.${y}-01-01T00:00:00.000Z`, `future ${y}`);
  }, key);
  assert.equal((await asideKeys(frame, key)).length, 16);
  // (waiting for the reload from before the click: the click can return after it)
  const reloaded = page.waitForEvent('framenavigated');
  await resetButton(frame).click();
  await reloaded;
  frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
  await waitStarted(frame, logs, { minFrames: 5 });
  assert.equal(await frame.evaluate(() => window.trapeze.scenario()), original, 'the original is back');
  assert.equal(await resetButton(frame).isVisible(), false, 'the original has nothing to reset');
  const kept = await asideKeys(frame, key);
  assert.equal(kept.length, KEEP, 'the set-aside copies are capped: ' + JSON.stringify(kept));
  const values = await frame.evaluate((ks) => ks.map((k) => localStorage.getItem(k)), kept);
  const mine = values.filter((v) => v.includes(`"strategy":"${edited}"`) || v.includes(`"strategy": "${edited}"`));
  assert.equal(mine.length, 1, 'the copy just set aside is kept: ' + JSON.stringify(kept));
  assert.deepEqual(values.filter((v) => v.startsWith('future')).sort(), ['future 2096', 'future 2097', 'future 2098', 'future 2099'],
                   'the newest others by time are kept');

  // 5. "Go back to my edits" returns them.
  assert.deepEqual(await notices(frame, 'info'), ['This is the original again. Your edits were set aside in this browser.']);
  await frame.locator('#notices .notice.info button', { hasText: 'Go back to my edits' }).click();
  assert.equal(await strategyOf(frame), edited, 'the edits are back');
  assert.deepEqual(await notices(frame), [], 'no error banner');
  await assertAppWorks(frame, 'after the reset and back');
  await assertNoViolations(frame, 'the embed');
  console.log('web-embed-reset: ok');
} finally {
  await browser.close();
  site.server.close();
  course.server.close();
}
