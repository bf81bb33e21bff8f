// Long text into the app does not break it: a paste of a few MB through Ctrl+V
// (more than a source may hold: undone, with a message in the editor; a small
// paste after it goes in) and scenario JSON, a strategy name and embed settings
// of a few MB through the API (refused with a message), and the app keeps
// drawing and running afterwards. (Strings once went to the app on the
// 5 MB C stack, where a 3.4 MB paste overwrote its memory: "memory access out
// of bounds" and a dead page.)
//
//   node web-long-text.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertAppWorks, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-long-text.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();

const LINE = '        addi r1, r1, 1 ; pasted ' + 'z'.repeat(50) + '\n';
const PASTE = LINE.repeat(40000);  // 3.4 MB

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { page, logs } = await openStarted(context, url + 'index.html');
  const errors = () => logs.filter((l) => l.startsWith('[pageerror]'));

  // ---- A 3.4 MB paste into the editor with Ctrl+V, as a student would.
  const editor = (await page.evaluate(() => window.trapeze.layout())).panels.find((p) => p.name === 'editor');
  assert.ok(editor, 'the default layout has the editor');
  assert.ok((await page.evaluate(() => window.trapeze.setSource(0, '_start:\n        halt\n'))).ok);
  const before = await page.evaluate(() => JSON.parse(window.trapeze.scenario()).guests[0].source);
  await page.evaluate((t) => navigator.clipboard.writeText(t), PASTE);
  await page.mouse.click(editor.x + editor.w / 2, editor.y + editor.h / 2);
  await page.keyboard.press('Control+v');
  // More than a guest's source may hold (256 KB): the edit is undone, and the
  // editor says so; the source stays as it was and can still be saved.
  const settle = await page.evaluate(() => window.trapeze.frames());
  await page.waitForFunction((n) => window.trapeze.frames() > n + 10, settle, { timeout: 30000 });
  assert.deepEqual(errors(), [], 'no page error after the paste');
  assert.equal(await page.evaluate(() => JSON.parse(window.trapeze.scenario()).guests[0].source), before,
               'the source is as it was');
  await assertAppWorks(page, 'after a 3.4 MB paste');
  console.log('web-long-text: screenshot ' + await screenshot(page, opts.artifacts, 'web-long-paste.png'));
  // A paste that fits still goes in.
  const SMALL = LINE.repeat(100);
  await page.evaluate((t) => navigator.clipboard.writeText(t), SMALL);
  await page.keyboard.press('Control+v');
  await page.waitForFunction((n) => JSON.parse(window.trapeze.scenario()).guests[0].source.length === n,
                             before.length + SMALL.length, { timeout: 30000 });
  console.log(`web-long-text: a ${PASTE.length}-byte paste left the source at ${before.length} bytes; ` +
              `a ${SMALL.length}-byte one went in`);

  // ---- Long strings through the API: refused with a message, nothing broken.
  const big = 'x'.repeat(3 << 20);
  const load = await page.evaluate((t) => window.trapeze.loadScenario(t), `{"version": 1, "name": "${big}"}`);
  assert.equal(load.ok, false);
  assert.match(load.error, /^the scenario is \d+ bytes, more than the 1048576 bytes \(1 MiB\) a scenario may hold/, load.error);
  const strategy = await page.evaluate((t) => window.trapeze.setStrategy(0, t), big);
  assert.equal(strategy.ok, false);
  assert.match(strategy.error, /strategy/, strategy.error.slice(0, 200));
  const ui = await page.evaluate((t) => window.trapeze.setUi({ compact: false, panels: [t], readOnly: false }), big);
  assert.equal(ui.ok, false);
  assert.deepEqual(errors(), [], 'no page error after the long API strings');
  await assertAppWorks(page, 'after the long API strings');
  console.log(`web-long-text: loadScenario: "${load.error.slice(0, 80)}"; setStrategy: "${strategy.error.slice(0, 60)}..."`);
} finally {
  await browser.close();
  server.close();
}
