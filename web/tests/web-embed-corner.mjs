// The embed's "Open in full Trapeze" link floats over the bottom-right corner of
// the app. Nothing the app draws may be hidden under it: with the link made
// invisible, the pixels where it sits are a plain background. Where the panel
// list has no Guests panel, the app's run bar is down there, with every guest's
// Run button: the bar gives the link a line of its own (at 520 and 900 px wide
// the link once covered the last guest's name and Run button). Otherwise the
// panels end above the link, in the tabs of a small embed too (it once covered
// the Guests panel's last line, and would cover a lab's Check line).
// Screenshots: web-embed-corner-<panels>-<W>x<H>-<N>guests.png.
//
//   node web-embed-corner.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { REPO, siteArgs, openStarted, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-embed-corner.mjs');
const example = fs.readFileSync(path.join(REPO, 'web', 'embed-example.html'), 'utf8');
// The example page's first link, with the panel lists its two embeds use and none.
const link = [...example.matchAll(/src="embed\.html#(s=1\.[^&"]+)/g)].map((m) => '#' + m[1])[0];
assert.ok(link, 'the example page embeds a scenario');
const PANELS = ['editor,counters', 'guests,counters,events', null];
const preset = (name) => fs.readFileSync(path.join(REPO, 'scenarios', name), 'utf8');
const SCENARIOS = [[3, preset('uk-bit-problem.json')], [4, preset('one-guest-four-strategies.json')]];
const SIZES = [[520, 520], [600, 360], [900, 520]];

// Pixels in `box` that differ from its top-left pixel by more than `tol`.
function unlike(png, box, tol = 8) {
  const at = (x, y) => png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3);
  const ref = at(box.x0, box.y0);
  let n = 0;
  for (let y = box.y0; y <= box.y1; y++)
    for (let x = box.x0; x <= box.x1; x++) {
      const p = at(x, y);
      if (Math.abs(p[0] - ref[0]) > tol || Math.abs(p[1] - ref[1]) > tol || Math.abs(p[2] - ref[2]) > tol) n++;
    }
  return n;
}

const site = await startServer(opts.site);
const browser = await launchBrowser();
try {
  for (const panels of PANELS) for (const [width, height] of SIZES) {
    const context = await browser.newContext({ viewport: { width, height } });
    const { page } = await openStarted(context, site.url + 'embed.html' + link + (panels ? '&panels=' + panels : ''));
    for (const [guests, scenario] of SCENARIOS) {
      const what = `${panels || 'default panels'}, ${width}x${height}, ${guests} guests`;
      assert.ok((await page.evaluate((j) => window.trapeze.loadScenario(j), scenario)).ok);
      const frames = await page.evaluate(() => window.trapeze.frames());
      await page.waitForFunction((n) => window.trapeze.frames() > n + 5, frames);
      const layout = await page.evaluate(() => window.trapeze.layout());
      const corner = await page.evaluate(() => {
        const r = document.getElementById('open-full').getBoundingClientRect();
        return { x0: Math.floor(r.left), y0: Math.floor(r.top), x1: Math.ceil(r.right), y1: Math.ceil(r.bottom) };
      });
      const bar = layout.panels.find((p) => p.name === 'run_bar');
      if (!bar) {
        for (const p of layout.panels)
          assert.ok(p.y + p.h <= corner.y0 || p.x + p.w <= corner.x0,
                    `${what}: ${p.name} (${p.x},${p.y} ${p.w}x${p.h}) reaches under the link (${JSON.stringify(corner)})`);
      }
      const name = `web-embed-corner-${(panels || 'default').replaceAll(',', '-')}-${width}x${height}-${guests}guests.png`;
      await screenshot(page, opts.artifacts, name);
      // The app's pixels under the link: the link hidden for one screenshot.
      await page.evaluate(() => { document.getElementById('toolbar').style.visibility = 'hidden'; });
      const png = PNG.sync.read(await page.screenshot());
      await page.evaluate(() => { document.getElementById('toolbar').style.visibility = ''; });
      const box = { x0: Math.max(corner.x0 - 2, 1), y0: Math.max(corner.y0 - 2, 1),
                    x1: Math.min(corner.x1 + 1, width - 2), y1: Math.min(corner.y1 + 1, height - 2) };
      const drawn = unlike(png, box);
      console.log(`web-embed-corner: ${what}: ${layout.mode}${bar ? `, run bar ${bar.y}+${bar.h}` : ''}, ` +
                  `link ${corner.x0},${corner.y0}-${corner.x1},${corner.y1}: ${drawn} app pixels under it (${name})`);
      assert.equal(drawn, 0, `${what}: the app draws under the link (see ${name})`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  site.server.close();
}
