// A mouse click on the toolbar leaves the keyboard with the app, in headless
// Chromium: a student types into the editor, clicks Copy link, Export or Import
// (choosing a file), or a banner's button, and types on. Each time, what they type
// next is in the editor's source, F10 steps the selected guest, and the focus is
// still the app's canvas. (A button that took the focus on a click made the next
// keys the page's: the text was lost while the editor still showed its cursor,
// F10 did nothing and F5 was left to the browser: a reload.)
//
//   node web-toolbar-focus.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertNoViolations, screenshot } from './lib/web.mjs';
import { framesLater } from './lib/layout-checks.mjs';

const opts = siteArgs('web-toolbar-focus.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page } = await openStarted(context, url + 'index.html');
  const editor = (await page.evaluate(() => window.trapeze.layout())).panels.find((p) => p.name === 'editor');
  assert.ok(editor, 'the editor panel is open');
  await page.mouse.click(editor.x + editor.w / 2, editor.y + editor.h / 2);
  await page.keyboard.press('Control+Home');
  await page.keyboard.type(';0\n');
  await framesLater(page, 3);

  const clicks = {
    'Copy link': () => page.click('#copy-link'),
    Export: () => Promise.all([page.waitForEvent('download'), page.click('#export')]),
    Import: async () => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#import')]);
      const scenario = await page.evaluate(() => window.trapeze.scenario());
      await chooser.setFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(scenario) });
    },
    'a banner\'s button': async () => {
      await page.evaluate(() => window.trapezeNotices.show('info', 'A note with a button that keeps it.',
                                                           [{ label: 'Keep', run: () => false }]));
      await page.click('#notices .notice button:not(.notice-close)');
    },
  };
  let n = 0;
  for (const [what, click] of Object.entries(clicks)) {
    await click();
    await framesLater(page, 3);
    const mark = `;${++n}#`;  // short: typing is slow on a busy machine
    await page.keyboard.type(mark + '\n');
    await framesLater(page, 3);
    assert.ok((await page.evaluate(() => window.trapeze.scenario())).includes(mark),
              `what the student typed after a click on ${what} is in the editor`);
    const where = await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName));
    assert.equal(where, 'canvas', `after a click on ${what}, the app keeps the keyboard`);
    const pc = await page.evaluate(() => window.trapeze.state().guests[0].pc);
    await page.keyboard.press('F10');
    await page.waitForFunction((before) => window.trapeze.state().guests[0].pc !== before, pc, { timeout: 5000 })
      .catch(() => assert.fail(`after a click on ${what}, F10 steps the guest (pc stayed ${pc})`));
    console.log(`web-toolbar-focus: ${what}: typing and F10 still reach the app`);
  }
  console.log('web-toolbar-focus: screenshot ' + await screenshot(page, opts.artifacts, 'web-toolbar-focus.png'));
  await assertNoViolations(page, 'toolbar focus');
  console.log('web-toolbar-focus: ok');
} finally {
  await browser.close();
  server.close();
}
