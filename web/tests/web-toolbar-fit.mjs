// Every toolbar button stays in reach, in headless Chromium. The toolbar (Copy
// link, Export, Import, Docs) sits in the app's menu bar after its menus; in a
// window too narrow for it there (480 px, a phone's 390 px) or at a large UI scale
// (800x600 at 200 %), its last buttons were cut off at the window's edge. There it
// takes a row of its own above the app: each button is wholly in the window and is
// what a click at its centre hits, the canvas starts below the row and the app lays
// out in the rest. Back in a wide window it is in the menu bar again.
//
//   node web-toolbar-fit.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertNoViolations, screenshot } from './lib/web.mjs';
import { framesLater } from './lib/layout-checks.mjs';

const opts = siteArgs('web-toolbar-fit.mjs');

function geometry(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('canvas').getBoundingClientRect();
    const buttons = [...document.querySelectorAll('#toolbar > :not([hidden])')].map((e) => {
      const r = e.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return { id: e.id || e.textContent, x: r.x, y: r.y, right: r.right, bottom: r.bottom, onTop: hit === e };
    });
    return { w: window.innerWidth, canvasY: canvas.y, canvasH: canvas.height, layoutH: window.trapeze.layout().height,
             menuEnd: window.trapeze.layout().menuEnd, buttons };
  });
}

const laidOut = (page) => page.waitForFunction(() => {
  const c = document.getElementById('canvas').getBoundingClientRect();
  return Math.abs(window.trapeze.layout().height - c.height) < 1 && Math.abs(window.trapeze.layout().width - c.width) < 1;
}, null, { timeout: 15000 }).then(() => framesLater(page, 3));

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html');
  const cases = [[1280, 800, 100, 'menu bar'], [480, 800, 100, 'row'], [390, 844, 100, 'row'],
    [800, 600, 200, 'row'], [1280, 800, 100, 'menu bar']];
  for (const [w, h, scale, where] of cases) {
    await page.setViewportSize({ width: w, height: h });
    await page.evaluate((s) => window.trapeze.setAppearance({ scale: s }), scale);
    await laidOut(page);
    const g = await geometry(page);
    const dump = `${w}x${h} at ${scale} %: ${JSON.stringify(g)}`;
    assert.equal(g.buttons.length, 4, dump);
    for (const b of g.buttons) {
      assert.ok(b.x >= 0 && b.right <= g.w + 0.5 && b.y >= 0, `${b.id} is wholly in the window: ${dump}`);
      assert.ok(b.onTop, `a click at the centre of ${b.id} hits it: ${dump}`);
    }
    assert.ok(Math.abs(g.layoutH - g.canvasH) < 1, `the app lays out in the canvas: ${dump}`);
    if (where === 'menu bar') {
      assert.equal(g.canvasY, 0, `the toolbar takes no room of its own: ${dump}`);
      assert.ok(g.buttons.every((b) => b.x >= g.menuEnd - 0.5 && b.bottom <= 24 * scale / 100),
                `the toolbar is in the menu bar, after the menus: ${dump}`);
    } else {
      const bottom = Math.max(...g.buttons.map((b) => b.bottom));
      assert.ok(g.canvasY >= bottom - 0.5 && g.canvasY <= bottom + 8, `the app starts below the toolbar's row: ${dump}`);
    }
    console.log(`web-toolbar-fit: ${w}x${h} at ${scale} %: in the ${where}, canvas from y=${g.canvasY.toFixed(0)}; ` +
                'screenshot ' + await screenshot(page, opts.artifacts, `web-toolbar-fit-${w}x${h}-${scale}.png`));
  }
  await assertNoViolations(page, 'toolbar fit');
  console.log('web-toolbar-fit: ok');
} finally {
  await browser.close();
  server.close();
}
