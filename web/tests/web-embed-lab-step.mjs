// A lab in a small embed keeps its step's text readable, in headless Chromium: at
// 360x360, and at 520x400 with two banners above the app, the Lab panel's step text
// (between the separators under the step row and above the foot with the
// predictions and Check) is at least four lines high, and the panel scrolls as a
// whole when the text and the foot do not both fit (the text was once squeezed to
// a sliver of one line). The separators are found in the screenshot: rows of one
// colour, not the background's, across the panel.
// Screenshots: web-embed-lab-step-<W>x<H>.png.
//
//   node web-embed-lab-step.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed-lab-step.mjs');
const MIN_TEXT = 4 * 17;  // four lines of the 13-px font with its spacing, in CSS pixels at 100 %

// The rows below `top` in `panel` that are a separator: one colour across the
// panel (its scrollbar left out), other than the background beside the panel's edge.
function separators(png, panel, top) {
  const px = (x, y) => png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3);
  const same = (a, b) => Math.abs(a[0] - b[0]) <= 6 && Math.abs(a[1] - b[1]) <= 6 && Math.abs(a[2] - b[2]) <= 6;
  const rows = [];
  for (let y = top; y < panel.y + panel.h - 1; y++) {
    const first = px(panel.x + 10, y);
    if (same(first, px(panel.x + 2, y))) continue;  // the background
    let x = panel.x + 10;
    while (x < panel.x + panel.w - 24 && same(px(x, y), first)) x++;
    if (x >= panel.x + panel.w - 24) rows.push(y);
  }
  return rows;
}

const site = await startServer(opts.site);
const browser = await launchBrowser();
try {
  for (const { width, height, banner } of [{ width: 360, height: 360 }, { width: 520, height: 400, banner: true }]) {
    const context = await browser.newContext({ viewport: { width, height } });
    const { page } = await openStarted(context, site.url + 'embed.html#lab=lab1-trap-and-emulate&step=1');
    if (banner) {
      await page.evaluate(() => {
        const N = window.trapezeNotices;
        N.show('info', 'Restored your edits: guest mini-os does not assemble yet. The source is kept as typed, ' +
               'with its errors marked in the editor; it runs once it assembles (Ctrl+Enter).');
        N.show('info', 'Restored your edits from your last visit (kept in this browser).',
               [{ label: 'Reset to the original', run: () => {} }]);
      });
    }
    const frames = await page.evaluate(() => window.trapeze.frames());
    await page.waitForFunction((n) => window.trapeze.frames() > n + 5, frames);
    const lab = await page.evaluate(() => window.trapeze.lab());
    const layout = await page.evaluate(() => window.trapeze.layout());
    const panel = layout.panels.find((p) => p.name === 'lab');
    assert.ok(panel, `${width}x${height}: the Lab panel is shown: ${JSON.stringify(layout)}`);
    const c = lab.controls;
    assert.ok(c.next, `${width}x${height}: the step row is drawn: ${JSON.stringify(c)}`);
    const name = `web-embed-lab-step-${width}x${height}.png`;
    await screenshot(page, opts.artifacts, name);
    // Screenshot pixels are CSS pixels here (device scale 1); layout() is in the
    // canvas's, which starts below the banners.
    const canvasTop = await page.evaluate(() => document.querySelector('canvas').getBoundingClientRect().top);
    const onPage = { ...panel, y: panel.y + Math.round(canvasTop) };
    const rows = separators(PNG.sync.read(await page.screenshot()), onPage, c.next.y + Math.round(canvasTop) + 8);
    assert.ok(rows.length >= 1, `${width}x${height}: no separator under the step row (see ${name})`);
    // Where the text ends: the next separator (the foot's), or the panel's bottom (it scrolls).
    const below = rows.find((y) => y > rows[0] + 1);
    const text = (below === undefined ? onPage.y + onPage.h : below) - rows[0];
    console.log(`web-embed-lab-step: ${width}x${height}${banner ? ' with banners' : ''}: canvas ${layout.width}x${layout.height}, ` +
                `lab panel ${panel.w}x${panel.h} at y ${onPage.y}, separators at ${rows.join(', ')}: ` +
                `${text} px for the step's text (${name})`);
    assert.ok(text >= MIN_TEXT,
              `${width}x${height}: the step's text is squeezed to ${text} px (at least ${MIN_TEXT}; see ${name})`);
    await context.close();
  }
} finally {
  await browser.close();
  site.server.close();
}
