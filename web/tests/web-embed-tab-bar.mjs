// A small embed (the example course page on a 520-px-wide screen gives its
// frames 472 px) shows its panels under tabs, with a bar of tabs, Run/Step/
// Restart, the note that editing is read-only on small screens, and each
// guest's Run button. Nothing in the bar is cut off at its right edge: the
// bar's right padding has the same pixels as its left padding, row by row
// (the note once ran past the edge: "...small scree").
// Screenshots: web-embed-tab-bar-<W>.png.
//
//   node web-embed-tab-bar.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { REPO, siteArgs, openStarted, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed-tab-bar.mjs');
const example = fs.readFileSync(path.join(REPO, 'web', 'embed-example.html'), 'utf8');
const link = example.match(/src="embed\.html(#[^"]+)"/)[1].replaceAll('&amp;', '&');

const site = await startServer(opts.site);
const browser = await launchBrowser();
try {
  for (const width of [472, 400, 360]) {
    const context = await browser.newContext({ viewport: { width, height: 520 } });
    const { page } = await openStarted(context, site.url + 'embed.html' + link);
    const frames = await page.evaluate(() => window.trapeze.frames());
    await page.waitForFunction((n) => window.trapeze.frames() > n + 5, frames);
    const layout = await page.evaluate(() => window.trapeze.layout());
    assert.equal(layout.mode, 'tabs', `${width}: a small embed shows tabs`);
    const bar = layout.panels.find((p) => p.name === 'tab_bar');
    const name = `web-embed-tab-bar-${width}.png`;
    await screenshot(page, opts.artifacts, name);
    const png = PNG.sync.read(await page.screenshot());
    const px = (x, y) => png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3);
    const same = (a, b) => Math.abs(a[0] - b[0]) <= 8 && Math.abs(a[1] - b[1]) <= 8 && Math.abs(a[2] - b[2]) <= 8;
    let cut = 0;
    for (let y = bar.y + 2; y < bar.y + bar.h - 2; y++) {
      const left = px(bar.x + 5, y);
      for (let x = bar.x + bar.w - 7; x <= bar.x + bar.w - 5; x++) if (!same(px(x, y), left)) cut++;
    }
    console.log(`web-embed-tab-bar: ${width} px: bar ${bar.w}x${bar.h}, ${layout.guestRowsVisible} guest rows, ` +
                `${cut} pixels drawn in its right padding (${name})`);
    assert.equal(cut, 0, `${width} px: something in the bar runs past its right edge (see ${name})`);
    assert.equal(layout.guestRowsVisible, 3, `${width} px: every guest's Run button is in the bar`);
    await context.close();
  }
} finally {
  await browser.close();
  site.server.close();
}
