// Banners take their room above the app, in the full app as in an embed, in
// headless Chromium (web/trapeze.css):
//  - the full app at 1280x800 and 1366x768 with a bad link's banner: the banner
//    ends above the canvas, the canvas fills the rest, the app lays its panels out
//    in the canvas's height, and what is on top at the menu bar, the Guests panel's
//    title and its "Run all" row is the canvas (a hit test: nothing covers them);
//    the toolbar stays in the menu bar; every guest row is visible;
//  - several banners (or long ones) take at most 30 % of the height (in a 520-px
//    embed they scroll there), each still a readable size;
//  - once they are dismissed, the app has the whole window again.
//
//   node web-banners.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, notices, assertNoViolations, screenshot } from './lib/web.mjs';
import { framesLater } from './lib/layout-checks.mjs';

const opts = siteArgs('web-banners.mjs');
const CAP = 0.3;
const LONG = 'Restored your edits from your last visit (kept in this browser). ' +
  'This banner is long on purpose, as a message that quotes a link or a file name can be. '.repeat(3);

// Where the banners, the canvas, the toolbar and the app's panels are (CSS pixels),
// and which element is on top at the given points of the app (canvas coordinates).
function geometry(page, points = []) {
  return page.evaluate((pts) => {
    const rect = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    const canvas = document.getElementById('canvas');
    const c = rect(canvas);
    const box = document.getElementById('notices');
    const bar = document.getElementById('toolbar');
    return {
      viewport: { w: window.innerWidth, h: window.innerHeight },
      canvas: c,
      notices: rect(box),
      scrolls: box.scrollHeight > box.clientHeight + 1,
      banners: [...box.querySelectorAll('.notice')].map((n) => ({
        ...rect(n), font: parseFloat(getComputedStyle(n).fontSize), textH: n.querySelector('.notice-text').scrollHeight,
      })),
      toolbar: bar && [...bar.children].filter((e) => !e.hidden).map(rect),
      layout: window.trapeze.layout(),
      guests: window.trapeze.state().guests.length,
      onTop: pts.map(([x, y]) => {
        const e = document.elementFromPoint(c.x + x, c.y + y);
        return e === canvas ? 'canvas' : (e ? (e.closest('#toolbar') ? 'toolbar' : e.className || e.tagName) : null);
      }),
    };
  }, points);
}

// The app has laid itself out in the canvas as it is now.
const laidOut = (page) => page.waitForFunction(() => {
  const c = document.getElementById('canvas').getBoundingClientRect();
  const l = window.trapeze.layout();
  return Math.abs(l.height - c.height) < 1 && Math.abs(l.width - c.width) < 1;
}, null, { timeout: 15000 }).then(() => framesLater(page, 3));

// The points of the app a banner covered: the menu bar's first menu, the Guests
// panel's title bar and its first row of buttons ("Run all"), left to right.
function appTopPoints(layout) {
  const g = layout.panels.find((p) => p.name === 'guests');
  assert.ok(g, 'the Guests panel is open: ' + JSON.stringify(layout));
  const pts = [[20, 8]];
  for (const f of [0.05, 0.3, 0.6, 0.9]) pts.push([g.x + g.w * f, g.y + 8], [g.x + g.w * f, g.y + 48]);
  return pts;
}

// Banners above the canvas, which fills the rest; nothing of the app's top under them.
function assertAbove(g, where, cap = CAP) {
  const dump = `${where}: ${JSON.stringify({ ...g, layout: undefined })}`;
  assert.ok(g.banners.length > 0, `${where}: banners shown`);
  // (Banners scrolled out of the area are clipped by it: the area is what shows.)
  assert.ok(g.notices.y >= 0 && g.notices.y + g.notices.h <= g.canvas.y + 0.5, `the banners end above the canvas: ${dump}`);
  assert.ok(g.banners.every((b) => b.y >= g.notices.y), `the banners are in their area: ${dump}`);
  assert.ok(Math.abs(g.canvas.y + g.canvas.h - g.viewport.h) < 1, `the canvas fills the rest: ${dump}`);
  assert.ok(g.notices.h <= g.viewport.h * cap + 1, `the banners take at most ${cap * 100} % of the height: ${dump}`);
  assert.ok(Math.abs(g.layout.height - g.canvas.h) < 1, `the app lays out in the canvas's height: ${dump}`);
  assert.ok(g.onTop.every((t) => t === 'canvas' || t === 'toolbar'), `nothing covers the app's top: ${dump}`);
  for (const b of g.banners) {
    assert.ok(b.font >= 13 && b.h >= b.textH, `a banner's text is a readable size, not squeezed: ${dump}`);
  }
}

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  // 1. The full app opened by a bad link: one banner, at 1280x800 then 1366x768.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html#theme=dim', { minFrames: 5 });
  assert.equal((await notices(page)).length, 1, 'the bad link\'s banner');
  for (const [w, h] of [[1280, 800], [1366, 768]]) {
    await page.setViewportSize({ width: w, height: h });
    await laidOut(page);
    const g = await geometry(page, appTopPoints(await page.evaluate(() => window.trapeze.layout())));
    assertAbove(g, `${w}x${h}`);
    assert.ok(g.canvas.y > 0, `${w}x${h}: the canvas starts below the banner`);
    assert.equal(g.layout.guestRowsVisible, g.guests, `${w}x${h}: every guest row is visible`);
    for (const b of g.toolbar) {
      assert.ok(b.y >= g.canvas.y && b.y + b.h <= g.canvas.y + 24, `${w}x${h}: the toolbar is in the app's menu bar: ` +
                JSON.stringify({ toolbar: g.toolbar, canvas: g.canvas }));
    }
    console.log(`web-banners: ${w}x${h}: banner ${g.notices.h.toFixed(0)} px, canvas from y=${g.canvas.y.toFixed(0)}; ` +
                'screenshot ' + await screenshot(page, opts.artifacts, `web-banners-${w}x${h}.png`));
  }

  // 2. Four banners, one of them long: at most 30 % of 768 px, scrolling.
  await page.evaluate((long) => {
    for (const t of ['Opened a shared scenario.', long, 'This browser does not let Trapeze keep your work.']) {
      window.trapezeNotices.show('info', t);
    }
  }, LONG);
  await laidOut(page);
  let g = await geometry(page, appTopPoints(await page.evaluate(() => window.trapeze.layout())));
  assert.equal(g.banners.length, 4);
  assertAbove(g, 'four banners at 1366x768');
  console.log(`web-banners: four banners take ${g.notices.h.toFixed(0)} of 768 px; screenshot ` +
              await screenshot(page, opts.artifacts, 'web-banners-four.png'));

  // 3. Dismissed, one by one: the app has the whole window again.
  while (await page.locator('#notices .notice-close').count()) await page.locator('#notices .notice-close').first().click();
  await laidOut(page);
  g = await geometry(page);
  assert.deepEqual([g.canvas.y, g.canvas.h, g.layout.height, g.notices.h], [0, 768, 768, 0], JSON.stringify(g));
  await assertNoViolations(page, 'full app');
  console.log('web-banners: dismissed: screenshot ' + await screenshot(page, opts.artifacts, 'web-banners-dismissed.png'));
  await context.close();

  // 4. A 520-px embed with four banners: at most 30 % of it, the guests' controls clear.
  const embed = await browser.newContext({ viewport: { width: 520, height: 520 } });
  const e = (await openStarted(embed, url + 'embed.html#theme=dim&panels=guests,console', { minFrames: 5 })).page;
  await e.evaluate((long) => {
    for (const t of [long, 'Opened a shared scenario.', long]) window.trapezeNotices.show('info', t);
  }, LONG);
  await laidOut(e);
  g = await geometry(e, appTopPoints(await e.evaluate(() => window.trapeze.layout())).slice(1));
  assert.equal(g.banners.length, 4);
  assertAbove(g, 'four banners in a 520-px embed');
  assert.ok(g.scrolls, 'the banners scroll in their area: ' + JSON.stringify(g.notices));
  assert.equal(g.layout.guestRowsVisible, g.guests, 'embed: every guest row is visible');
  await assertNoViolations(e, 'embed');
  console.log(`web-banners: 520-px embed: four banners take ${g.notices.h.toFixed(0)} px; screenshot ` +
              await screenshot(e, opts.artifacts, 'web-banners-embed.png'));
  console.log('web-banners: ok');
} finally {
  await browser.close();
  server.close();
}
