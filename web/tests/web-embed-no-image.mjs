// A shared scenario with a guest whose source does not assemble, embedded
// without the Guests panel: the run bar at the bottom says "no image" for that
// guest in the error colour, as the Guests panel does, not "ready" (it cannot
// run). The pixels of the error colour in the bar: none for a scenario whose
// guests all assemble, the words' worth for the broken one.
// Screenshots: web-embed-no-image.png, web-embed-all-images.png.
//
//   node web-embed-no-image.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, screenshot, twoGuestScenario } from './lib/web.mjs';

const opts = siteArgs('web-embed-no-image.mjs');
const BAD = [255, 128, 102];  // palette().bad of the dark theme, wasm/appearance.cpp

const link = (scenario) => '#s=1.' +
  zlib.deflateRawSync(Buffer.from(JSON.stringify({ trapeze: 1, scenario: JSON.parse(scenario) }))).toString('base64url') +
  '&panels=editor,counters';

// Pixels of the bar near `rgb` (the orange of guest 2's dot, 255,160,70, is further).
function count(png, box, rgb, tol = 24) {
  let n = 0;
  for (let y = box.y; y < box.y + box.h; y++)
    for (let x = box.x; x < box.x + box.w; x++) {
      const o = (y * png.width + x) * 4;
      if (Math.abs(png.data[o] - rgb[0]) <= tol && Math.abs(png.data[o + 1] - rgb[1]) <= tol &&
          Math.abs(png.data[o + 2] - rgb[2]) <= tol) n++;
    }
  return n;
}

const site = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const good = twoGuestScenario();
  const broken = (() => {
    const s = JSON.parse(good);
    s.guests[1].source = '_start:\n        bogus r1\n';
    return JSON.stringify(s);
  })();
  const results = {};
  for (const [what, scenario, file] of [['all assemble', good, 'web-embed-all-images.png'],
                                        ['one does not', broken, 'web-embed-no-image.png']]) {
    const context = await browser.newContext({ viewport: { width: 520, height: 520 } });
    const { page } = await openStarted(context, site.url + 'embed.html' + link(scenario));
    const state = await page.evaluate(() => window.trapeze.state());
    const frames = await page.evaluate(() => window.trapeze.frames());
    await page.waitForFunction((n) => window.trapeze.frames() > n + 5, frames);
    // Where the bar is on the page: an embed's banner sits above the canvas.
    const { panels, top } = await page.evaluate(() => ({ panels: window.trapeze.layout().panels,
                                                         top: document.getElementById('canvas').getBoundingClientRect().top }));
    const bar = panels.find((p) => p.name === 'run_bar');
    assert.ok(bar, `${what}: the run bar is drawn`);
    bar.y += Math.round(top);
    await page.evaluate(() => { document.getElementById('notices').style.visibility = 'hidden'; });
    const png = PNG.sync.read(await page.screenshot());
    await screenshot(page, opts.artifacts, file);
    results[what] = count(png, bar, BAD);
    console.log(`web-embed-no-image: ${what}: states ${state.guests.map((g) => g.state).join(', ')}; ` +
                `${results[what]} pixels of the error colour in the run bar (${file})`);
    await context.close();
  }
  assert.equal(results['all assemble'], 0, 'no error colour in the bar when every guest assembles');
  assert.ok(results['one does not'] >= 20, 'the bar shows the guest without an image in the error colour');
} finally {
  await browser.close();
  site.server.close();
}
