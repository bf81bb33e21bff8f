// Keyboard only, in headless Chromium: the page's own controls work from the
// keyboard, and the app hands the keyboard back (no keyboard trap).
//   1. The full app: Escape then Tab leaves the app for the toolbar; Tab moves
//      along its buttons; a key pressed there is the page's (F10 does not step
//      the guests; Enter presses "Copy link", which shows the link or says it
//      copied it); Shift+Tab comes back to the app, whose keys work again (F10
//      steps).
//   2. An embed on a course page, reached with Tab: Escape then Tab goes on to
//      the embed's own link, and Tab again out of the embed to the course page's
//      next link.
//
//   node web-keyboard-only.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, openStarted, waitStarted, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-keyboard-only.mjs');
const site = await startServer(opts.site);
const courseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trapeze-course-keys-'));
fs.writeFileSync(path.join(courseDir, 'course.html'), `<!doctype html><meta charset="utf-8"><title>Lecture</title>
<body><a id="before" href="#a">Before</a>
<iframe id="embed" src="${site.url}embed.html#lab=lab2-uk-bit&amp;step=1" width="520" height="520"></iframe>
<a id="after" href="#b">After</a></body>`);
const course = await startServer(courseDir);

const pcs = async (frame) => JSON.stringify((await frame.evaluate(() => window.trapeze.state())).guests.map((g) => g.pc));
const focused = (frame) => frame.evaluate(() => {
  const a = document.activeElement;
  return a ? (a.id || a.tagName) : null;
});
// Holds F10 for a few of the app's frames (it reads keys once a frame).
async function holdF10(page, frame) {
  const n = await frame.evaluate(() => window.trapeze.frames());
  await page.keyboard.down('F10');
  await frame.waitForFunction((k) => window.trapeze.frames() > k + 3, n);
  await page.keyboard.up('F10');
  await frame.waitForFunction((k) => window.trapeze.frames() > k + 3, n + 3);
}

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });

  // 1. The full app.
  {
    const { page } = await openStarted(context, site.url + 'index.html', { minFrames: 5 });
    assert.equal(await focused(page), 'canvas', 'the app has the keyboard on load');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const first = await focused(page);
    assert.notEqual(first, 'canvas', 'Escape then Tab left the app');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#toolbar, #notices')), true,
                 `the focus went to the page's controls (${first})`);
    const seen = [first];
    for (let i = 0; i < 8 && (await focused(page)) !== 'copy-link'; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    assert.equal(await focused(page), 'copy-link', `Tab moved along the toolbar: ${seen.join(' -> ')}`);

    const before = await pcs(page);
    await holdF10(page, page);
    assert.equal(await pcs(page), before, 'F10 on a toolbar button is not the app\'s: the guests did not step');

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('copy-link').textContent === 'Link copied' ||
                                     !!document.querySelector('#notices input.notice-link'));
    console.log('web-keyboard-only: screenshot ' + await screenshot(page, opts.artifacts, 'web-keyboard-only-toolbar.png'));

    // Back to the app: Shift+Tab from the toolbar's first control reaches the canvas.
    await page.focus('#copy-link');
    for (let i = 0; i < 8 && (await focused(page)) !== 'canvas'; i++) await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'canvas', 'Shift+Tab came back to the app');
    await holdF10(page, page);
    assert.notEqual(await pcs(page), before, 'the app\'s keys work again: F10 stepped the guests');
    await page.close();
  }

  // 2. An embed: in with Tab, out with Escape then Tab, Tab.
  {
    const { page, logs } = await newPage(context);
    await page.goto(course.url + 'course.html');
    const frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
    await waitStarted(frame, logs, { minFrames: 5 });
    await page.focus('#before');
    await page.keyboard.press('Tab');
    await frame.waitForFunction(() => document.activeElement === document.getElementById('canvas') && document.hasFocus());
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.equal(await focused(frame), 'open-full', 'Escape then Tab went on to the embed\'s own link');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'after', 'Tab left the embed for the course page');
    console.log('web-keyboard-only: screenshot ' + await screenshot(page, opts.artifacts, 'web-keyboard-only-embed.png'));
    await page.close();
  }
  console.log('web-keyboard-only: ok');
} finally {
  await browser.close();
  site.server.close();
  course.server.close();
}
