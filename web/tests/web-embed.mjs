// Embedding, in headless Chromium: web/embed-example.html served from one origin
// with its two iframes loading embed.html from a SECOND origin (another port).
// Both render (canvas pixels), each shows its link's scenario in compact mode
// with the chosen panels (the second read-only), "Open in full Trapeze" opens the
// same scenario in the full app's default layout, and the course page is left untouched.
//
//   node web-embed.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { fractionDifferentFrom } from './lib/pixels.mjs';
import { siteArgs, newPage, waitStarted, openStarted, notices, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed.mjs');
const CLEAR_RGB = [28, 31, 36];

// The course page, as course staff would host it: the example with its iframes
// pointing at the Trapeze site's full address.
const site = await startServer(opts.site);
const courseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trapeze-course-'));
const example = fs.readFileSync(path.join(opts.site, 'embed-example.html'), 'utf8');
const hosted = example.replaceAll('src="embed.html#', `src="${site.url}embed.html#`);
assert.equal((hosted.match(new RegExp(`src="${site.url}embed\\.html#`, 'g')) || []).length, 2,
             'the example has two iframes on embed.html');
fs.writeFileSync(path.join(courseDir, 'lecture.html'), hosted);
const course = await startServer(courseDir);
assert.notEqual(new URL(site.url).origin, new URL(course.url).origin);

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1900 } });
  const { page, logs } = await newPage(context);
  await page.goto(course.url + 'lecture.html');
  const courseHtml = await page.content();

  const expected = [
    { id: 'demo-uk', name: 'The U/K-bit problem', panels: ['guests', 'counters', 'events'], readOnly: false },
    { id: 'demo-io', name: 'Emulated vs para-virtual I/O', panels: ['editor', 'counters'], readOnly: true },
  ];
  for (const want of expected) {
    const handle = await page.waitForSelector(`iframe#${want.id}`);
    const frame = await handle.contentFrame();
    assert.equal(new URL(frame.url()).origin, new URL(site.url).origin, 'the iframe is on the other origin');
    const started = await waitStarted(frame, logs, { minFrames: 20 });
    assert.equal(started.source, 'link', `${want.id}: ${JSON.stringify(started)}`);
    assert.deepEqual(await notices(frame), [], `${want.id}: no error banner`);
    const scenario = JSON.parse(await frame.evaluate(() => window.trapeze.scenario()));
    assert.equal(scenario.name, want.name);
    const ui = await frame.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])));
    assert.deepEqual(ui, { compact: true, readOnly: want.readOnly, panels: want.panels }, `${want.id}: compact layout`);

    const shot = await handle.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `web-embed-${want.id}.png`), shot);
    const { fraction, width, height } = fractionDifferentFrom(shot, CLEAR_RGB);
    assert.ok(width >= 600 && height >= 400, `${want.id}: iframe too small: ${width}x${height}`);
    assert.ok(fraction > 0.05, `${want.id}: looks blank: ${(fraction * 100).toFixed(1)}% drawn`);
    console.log(`web-embed: ${want.id} ok — ${(fraction * 100).toFixed(1)}% of ${width}x${height} drawn`);
    await assertNoViolations(frame, want.id);

    // Embedded apps store nothing until the student edits (web-embed-keep.mjs).
    assert.deepEqual(await frame.evaluate(() => Object.keys(localStorage)), [], `${want.id}: storage untouched`);
  }
  console.log('web-embed: screenshot ' + await screenshot(page, opts.artifacts, 'web-embed-course-page.png'));

  // "Open in full Trapeze": the same fragment on index.html, in a new tab, with
  // the panels a first visit opens (asked of a fresh full app, in a context of its own).
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page: freshPage } = await openStarted(fresh, site.url + 'index.html');
  const defaultPanels = await freshPage.evaluate(
    () => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])).panels);
  await fresh.close();
  assert.ok(defaultPanels.includes('guests') && defaultPanels.length >= 4, `default panels: ${defaultPanels}`);
  for (const want of expected) {
    const frame = await (await page.$(`iframe#${want.id}`)).contentFrame();
    const open = frame.locator('#open-full');
    // The same scenario, without the embed's panel list and read-only flag.
    const hash = new URL(frame.url()).hash;
    const href = await open.getAttribute('href');
    assert.equal(href, 'index.html' + hash.replace(/&(panels|ro)=[^&]*/g, ''));
    assert.doesNotMatch(href, /panels=|ro=/);
    const [full] = await Promise.all([context.waitForEvent('page'), open.click()]);
    const fullStarted = await waitStarted(full, logs);
    assert.equal(fullStarted.source, 'link');
    assert.equal(JSON.parse(await full.evaluate(() => window.trapeze.scenario())).name, want.name);
    const fullUi = await full.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])));
    assert.equal(fullUi.compact, false, 'the full app is not compact');
    assert.equal(fullUi.readOnly, false, 'the full app can edit');
    assert.deepEqual(fullUi.panels, defaultPanels, 'the full app opens its default panels');
    await full.close();
  }

  // Every panel name the example page lists is one the app knows.
  const listed = hosted.match(/Panels: ([a-z_, \n]+)\./)[1].split(',').map((s) => s.trim());
  assert.ok(listed.length >= 10, 'the example lists the panels');
  const frame = await (await page.$('iframe#demo-uk')).contentFrame();
  for (const name of listed) {
    const error = await frame.evaluate((n) => {
      window.trapeze.setUi({ compact: true, panels: [n], readOnly: false });
      return window.Module.ccall('trapeze_last_error', 'string', [], []);
    }, name);
    assert.equal(error, '', `panel "${name}" listed in embed-example.html`);
  }

  assert.equal(await page.content(), courseHtml, 'the course page is unchanged');
  console.log('web-embed: ok');
} finally {
  await browser.close();
  site.server.close();
  course.server.close();
  fs.rmSync(courseDir, { recursive: true, force: true });
}
