// Autosave, export and import in headless Chromium: edits (a strategy switch and
// text typed into the code editor) are saved to local storage and a reload brings
// them back; "Export" downloads the scenario and "Import" reads it back, or says
// why it cannot.
//
//   node web-autosave.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  siteArgs, openStarted, waitStarted, notices, assertAppWorks, assertNoViolations, screenshot,
  twoGuestScenario,
} from './lib/web.mjs';

const opts = siteArgs('web-autosave.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
const MARK = '; typed by web-autosave';
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const { page, logs, started } = await openStarted(context, url + 'index.html');
  assert.equal(started.source, 'default', 'a fresh profile starts with the default preset');
  const preset = await page.evaluate(() => window.trapeze.scenario());
  assert.ok(JSON.parse(preset).guests.length > 0, 'the default preset has guests');

  // Edits: a scenario, a strategy switch, then typing at the top of the editor.
  const loaded = await page.evaluate((json) => window.trapeze.loadScenario(json), twoGuestScenario());
  assert.ok(loaded.ok, loaded.error);
  assert.ok((await page.evaluate(() => window.trapeze.setStrategy(0, 'trap'))).ok);
  await page.evaluate(() => window.trapeze.setUi({ compact: false, panels: ['editor'], readOnly: false }));
  await page.waitForFunction((n) => window.trapeze.frames() > n + 5, await page.evaluate(() => window.trapeze.frames()));
  const changesBefore = await page.evaluate(() => window.trapeze.changeCount());
  await page.mouse.click(640, 200);
  await page.keyboard.press('Control+Home');
  await page.keyboard.type(MARK + '\n');
  await page.waitForFunction((n) => window.trapeze.changeCount() > n, changesBefore, { timeout: 10000 });
  const edited = await page.evaluate(() => window.trapeze.scenario());
  assert.ok(edited.includes(MARK), 'the typed text is in the document');
  assert.equal(JSON.parse(edited).guests[0].strategy, 'trap');

  // The autosave catches up within a couple of seconds of the last change.
  await page.waitForFunction((doc) => {
    const saved = localStorage.getItem('trapeze.autosave');
    return saved && JSON.parse(saved).scenario && JSON.stringify(JSON.parse(saved).scenario) === JSON.stringify(JSON.parse(doc));
  }, edited, { timeout: 10000 });
  console.log('web-autosave: screenshot ' + await screenshot(page, opts.artifacts, 'web-autosave-edited.png'));

  await page.reload();
  const after = await waitStarted(page, logs);
  assert.equal(after.source, 'autosave', JSON.stringify(after));
  assert.equal(await page.evaluate(() => window.trapeze.scenario()), edited, 'the reload restores the edits exactly');
  const ui = await page.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])));
  assert.deepEqual(ui.panels, ['editor'], 'and the layout');
  assert.deepEqual(await notices(page), []);
  console.log('web-autosave: screenshot ' + await screenshot(page, opts.artifacts, 'web-autosave-restored.png'));

  // Export downloads the plain scenario...
  await page.evaluate(() => window.trapeze.setUi({ compact: false, panels: ['guests', 'editor'], readOnly: false }));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const exported = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(exported, edited, 'the exported file is the scenario');
  assert.match(download.suggestedFilename(), /^share-link-test-two-guests\.json$/);

  // ...which Import reads back after something else was loaded.
  assert.ok((await page.evaluate((p) => window.trapeze.loadScenario(p), preset)).ok);
  await page.setInputFiles('#import-file', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await page.waitForFunction((doc) => window.trapeze.scenario() === doc, edited, { timeout: 10000 });

  // A broken file is refused with a message naming the problem; nothing changes.
  const broken = exported.replace('"strategy": "trap"', '"strategy": "warp"');
  await page.setInputFiles('#import-file', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
  await page.waitForSelector('#notices .notice.error');
  const errors = await notices(page);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^Could not import broken\.json: guests\[0\]\.strategy: unknown strategy "warp"/);
  assert.equal(await page.evaluate(() => window.trapeze.scenario()), edited, 'the scenario is unchanged');
  // A file over the limit every input file has (text/input_file.h) is refused before
  // it is read, naming the file and the limit.
  for (const close of await page.locator('#notices .notice-close').all()) await close.click();
  await page.setInputFiles('#import-file', { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc((1 << 20) + 1, 32) });
  await page.waitForSelector('#notices .notice.error');
  assert.deepEqual(await notices(page), [
    'Could not import huge.json: it has 1048577 bytes (input files must have at most 1048576 bytes).',
  ]);
  assert.equal(await page.evaluate(() => window.trapeze.scenario()), edited, 'the scenario is unchanged');
  await assertAppWorks(page, 'after a bad import');
  await assertNoViolations(page, 'autosave page');
  console.log('web-autosave: screenshot ' + await screenshot(page, opts.artifacts, 'web-autosave-bad-import.png'));
  await context.close();  // an open page keeps drawing frames at a core's cost

  // Where the browser refuses local storage, the page says so and still works.
  const denied = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await denied.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const d = await openStarted(denied, url + 'index.html');
  assert.equal(d.started.source, 'default');
  const info = await notices(d.page, 'info');
  assert.equal(info.length, 1);
  assert.match(info[0], /does not let Trapeze keep your work between visits/);
  assert.deepEqual(await notices(d.page), [], 'no error');
  await assertAppWorks(d.page, 'without local storage');
  console.log('web-autosave: ok');
} finally {
  await browser.close();
  server.close();
}
