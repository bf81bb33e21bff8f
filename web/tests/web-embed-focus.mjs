// An embed takes the keyboard only when the student clicks into it, in headless
// Chromium: a course page with an embed far below the fold, served from another
// origin and from the site's own (a course hosting its copy beside its pages).
// Once the embed has started (out of view), the course page has not scrolled to
// it, the page still has the keyboard (its own key listener hears the keys) and
// the embed does not. Scrolling down and clicking the embed gives it the
// keyboard; so does Tab from the link before it (keyboard only), and its keys
// then work (F10 steps). The full app (index.html) still takes the keyboard on load.
//
//   node web-embed-focus.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, openStarted, waitStarted, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed-focus.mjs');
const site = await startServer(opts.site);

// The course's folder holds the site's files too (links), for the same-origin page.
const courseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trapeze-course-focus-'));
for (const f of fs.readdirSync(opts.site)) fs.symlinkSync(path.resolve(opts.site, f), path.join(courseDir, f));
const coursePage = (embedUrl) => `<!doctype html><meta charset="utf-8"><title>Lecture</title>
<body style="margin: 8px; background: #fbfaf7">
<h1 style="font: 20px serif">Lecture</h1>
<a id="before" href="#notes">Notes</a>
<div style="height: 2400px">Reading before the exercise.</div>
<iframe id="embed" src="${embedUrl}#lab=lab2-uk-bit&amp;step=1" width="520" height="520"></iframe>
<script src="keys.js"></script>
</body>`;
fs.writeFileSync(path.join(courseDir, 'keys.js'),
                 'window.keys = []; document.addEventListener("keydown", (e) => window.keys.push(e.key));');
fs.writeFileSync(path.join(courseDir, 'other-origin.html'), coursePage(site.url + 'embed.html'));
fs.writeFileSync(path.join(courseDir, 'same-origin.html'), coursePage('embed.html'));
const course = await startServer(courseDir);

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  for (const which of ['other-origin', 'same-origin']) {
    const { page, logs } = await newPage(context);
    await page.goto(course.url + which + '.html');
    const frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
    // Chromium draws no frames in a frame out of view: started is enough.
    await waitStarted(frame, logs, { minFrames: 0 });

    // 1. Started below the fold: the page stayed where the student was reading,
    // and kept the keyboard.
    const where = await page.evaluate(() => ({ scrollY: window.scrollY, active: document.activeElement.tagName }));
    assert.deepEqual(where, { scrollY: 0, active: 'BODY' }, `${which}: the embed took neither the scroll position nor the keyboard`);
    assert.equal(await frame.evaluate(() => document.hasFocus()), false, `${which}: the embed does not have the keyboard`);
    await page.keyboard.press('x');
    assert.deepEqual(await page.evaluate(() => window.keys), ['x'], `${which}: the course page heard the key`);
    console.log('web-embed-focus: screenshot ' + await screenshot(page, opts.artifacts, `web-embed-focus-${which}.png`));

    // 2. The student scrolls down and clicks into the embed: now it has the keyboard.
    await page.locator('iframe#embed').scrollIntoViewIfNeeded();
    await frame.locator('canvas').click({ position: { x: 260, y: 300 } });
    await frame.waitForFunction(() => document.activeElement === document.getElementById('canvas') && document.hasFocus());
    await page.keyboard.press('y');
    assert.deepEqual(await page.evaluate(() => window.keys), ['x'], `${which}: keys go to the embed once clicked`);
    await assertNoViolations(frame, which);
    await page.close();
  }

  // 3. Keyboard only: from a link before the embed, Tab reaches the app in the
  // embed (outlined), and its keys work there: F10 steps the guests.
  {
    const { page, logs } = await newPage(context);
    await page.goto(course.url + 'other-origin.html');
    const frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
    await waitStarted(frame, logs, { minFrames: 0 });
    await page.focus('#before');
    await page.keyboard.press('Tab');
    await frame.waitForFunction(() => document.activeElement === document.getElementById('canvas') && document.hasFocus());
    await frame.waitForFunction(() => window.trapeze.frames() > 5);  // in view now
    const outline = await frame.evaluate(() => getComputedStyle(document.getElementById('canvas')).outlineStyle);
    assert.equal(outline, 'solid', 'the embed shows it has the keyboard');
    const pc = async () => (await frame.evaluate(() => window.trapeze.state())).guests.map((g) => g.pc);
    const before = await pc();
    await page.keyboard.down('F10');
    await frame.waitForFunction((n) => window.trapeze.frames() > n + 2, await frame.evaluate(() => window.trapeze.frames()));
    await page.keyboard.up('F10');
    await frame.waitForFunction((b) => JSON.stringify(window.trapeze.state().guests.map((g) => g.pc)) !== JSON.stringify(b), before,
                                { timeout: 10000 });
    console.log('web-embed-focus: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-focus-tab.png'));
    await page.close();
  }

  // 4. The full app is the whole page: it takes the keyboard as it opens.
  const app = await openStarted(context, site.url + 'index.html', { minFrames: 5 });
  assert.equal(await app.page.evaluate(() => document.activeElement && document.activeElement.id), 'canvas',
               'the full app has the keyboard on load');
  console.log('web-embed-focus: ok');
} finally {
  await browser.close();
  site.server.close();
  course.server.close();
}
