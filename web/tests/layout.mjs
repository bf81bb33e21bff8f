// The layout at every window size, in headless Chromium, through trapeze.layout()
// (the panels' windows as drawn and the guest rows fully visible):
//  1. one page with the four-guest preset, resized from one size to the next
//     without Reset (800x600 ... 2560x1440 and back to 1280x800): every open
//     panel inside the window, no two overlapping, all four guest rows visible,
//     the page's toolbar after the menus;
//  2. a phone (390x844, touch): one panel at a time under a tab bar, the four
//     guests' rows visible, a tap on another tab shows that panel;
//  3. the student widens a panel and drops one on another: the width is kept
//     as a proportion through a window resize, the two panels swap;
//  4. View > each closed panel, one by one, by clicking the menu: the panel opens
//     and never overlaps an open one; View > Reset layout tiles them all again.
// A screenshot of each size goes to --artifacts (layout-WxH.png).
//
//   node layout.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { REPO, siteArgs, openStarted, screenshot } from './lib/web.mjs';
import { framesLater, assertTiled, uiPanels } from './lib/layout-checks.mjs';

const opts = siteArgs('layout.mjs');
const fourGuests = fs.readFileSync(path.join(REPO, 'scenarios', 'one-guest-four-strategies.json'), 'utf8');
const SIZES = [[800, 600], [1024, 640], [1280, 800], [1366, 768], [1920, 1080], [2560, 1440], [1280, 800]];

const site = await startServer(opts.site);
const browser = await launchBrowser();
try {
  // ---- 1. desktop sizes, one page resized ---------------------------------------------
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, site.url + 'index.html');
  const loaded = await page.evaluate((text) => window.trapeze.loadScenario(text), fourGuests);
  assert.ok(loaded.ok, loaded.error);
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await framesLater(page, 6);
    const layout = await page.evaluate(() => window.trapeze.layout());
    assert.equal(layout.width, w);
    assert.equal(layout.height, h);
    assert.equal(layout.mode, 'tiled');
    assertTiled(layout, await uiPanels(page), `${w}x${h}`);
    assert.equal(layout.guestRowsVisible, 4, `${w}x${h}: guest rows visible\n${JSON.stringify(layout)}`);
    // The page's toolbar (Copy link ...) starts after the last menu (Help), never over it.
    const bar = await page.evaluate(() => document.getElementById('toolbar').getBoundingClientRect().left);
    assert.ok(layout.menuEnd > 200 && bar >= layout.menuEnd, `${w}x${h}: toolbar at ${bar}, menus end at ${layout.menuEnd}`);
    const file = await screenshot(page, opts.artifacts, `layout-${w}x${h}.png`);
    console.log(`layout: ${w}x${h} ok: ${layout.panels.length} panels, 4 guest rows (${file})`);
  }

  // ---- the student's resize and move, kept through a window resize ---------------------
  const rect = (layout, name) => layout.panels.find((x) => x.name === name);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await framesLater(page, 6);
  let before = await page.evaluate(() => window.trapeze.layout());
  const g = rect(before, 'guests');
  await drag(page, g.x + g.w - 6, g.y + g.h - 6, 80, 0);  // the resize grip
  let after = await page.evaluate(() => window.trapeze.layout());
  assertTiled(after, await uiPanels(page), 'after the student widened Guests');
  assert.ok(Math.abs(rect(after, 'guests').w - (g.w + 80)) <= 3, `Guests widened by 80: ${JSON.stringify(after.panels)}`);
  const share = rect(after, 'guests').w / after.width;
  await page.setViewportSize({ width: 2560, height: 1440 });
  await framesLater(page, 6);
  after = await page.evaluate(() => window.trapeze.layout());
  assertTiled(after, await uiPanels(page), '2560x1440 after the student\'s resize');
  assert.ok(Math.abs(rect(after, 'guests').w / after.width - share) < 0.01,
            `the student's width kept as a proportion: ${share} -> ${rect(after, 'guests').w / after.width}`);
  assert.equal(after.guestRowsVisible, 4);
  // Dropping Event log's title bar on the Editor swaps the two.
  before = after;
  const ev = rect(before, 'events'), ed = rect(before, 'editor');
  await drag(page, ev.x + 60, ev.y + 8, ed.x + ed.w / 2 - (ev.x + 60), ed.y + ed.h / 2 - (ev.y + 8));
  after = await page.evaluate(() => window.trapeze.layout());
  assertTiled(after, await uiPanels(page), 'after dropping Event log on the Editor');
  const moved = rect(after, 'events');
  assert.ok(moved.x <= ed.x + ed.w / 2 && ed.x + ed.w / 2 < moved.x + moved.w && moved.y <= ed.y + ed.h / 2 &&
            ed.y + ed.h / 2 < moved.y + moved.h, `Event log took the Editor's place: ${JSON.stringify(after.panels)}`);
  await screenshot(page, opts.artifacts, 'layout-student-resized-and-swapped.png');
  console.log('layout: the student\'s resize kept through a window resize; a dropped panel swaps places');
  await clickViewItem(page, 'Reset layout');

  // ---- 3. View > each panel, by the menu (at 1366x768) ----------------------------------
  await page.setViewportSize({ width: 1366, height: 768 });
  await framesLater(page, 6);
  await openViewMenu(page);
  const closed = (await page.evaluate(() => window.trapeze.layout())).viewMenu
    .filter((item) => item.title !== 'View' && item.title !== 'Reset layout' && !item.open).map((item) => item.title);
  await closeMenu(page);
  assert.ok(closed.length >= 5, `several panels start closed: ${closed}`);
  for (const title of closed) {
    const before = await uiPanels(page);
    await clickViewItem(page, title);
    const open = await uiPanels(page);
    assert.equal(open.length, before.length + 1, `View > ${title} opened one panel (open: ${open})`);
    const layout = await page.evaluate(() => window.trapeze.layout());
    assertTiled(layout, open, `after View > ${title}`);
    console.log(`layout: View > ${title}: ${open.length} panels, none overlapping`);
  }
  await screenshot(page, opts.artifacts, 'layout-every-panel-opened.png');
  await clickViewItem(page, 'Reset layout');
  assertTiled(await page.evaluate(() => window.trapeze.layout()), await uiPanels(page), 'after Reset layout');
  await screenshot(page, opts.artifacts, 'layout-every-panel-reset.png');
  await context.close();

  // ---- 2. a phone ----------------------------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const { page: p } = await openStarted(phone, site.url + 'index.html');
  assert.ok((await p.evaluate((text) => window.trapeze.loadScenario(text), fourGuests)).ok);
  await framesLater(p, 6);
  let layout = await p.evaluate(() => window.trapeze.layout());
  assert.equal(layout.mode, 'tabs');
  assertTiled(layout, await uiPanels(p), '390x844');
  const shown = layout.panels.filter((x) => x.name !== 'tab_bar');
  assert.equal(shown.length, 1, 'one panel at a time');
  assert.equal(shown[0].name, 'guests');
  assert.equal(layout.guestRowsVisible, 4, JSON.stringify(layout));
  await screenshot(p, opts.artifacts, 'layout-390x844.png');
  // Tap the "Counters" tab: found by trying the tab bar's buttons left to right.
  // (layout() is in the canvas's coordinates; on a phone the page's toolbar has a
  // row of its own above the canvas.)
  const bar = layout.panels.find((x) => x.name === 'tab_bar');
  assert.ok(bar, 'a tab bar');
  const canvasAt = await p.evaluate(() => document.getElementById('canvas').getBoundingClientRect().y);
  let switched = false;
  for (let x = bar.x + 20; x < bar.x + bar.w && !switched; x += 30) {
    for (let y = bar.y + 12; y < bar.y + bar.h / 2 && !switched; y += 24) {
      await p.touchscreen.tap(x, canvasAt + y);
      await framesLater(p, 4);
      layout = await p.evaluate(() => window.trapeze.layout());
      switched = layout.panels.some((q) => q.name === 'counters');
    }
  }
  assert.ok(switched, 'a tap on a tab shows another panel');
  assertTiled(layout, await uiPanels(p), '390x844 after a tap');
  // The run bar's guests stand in for the guests panel's rows.
  assert.equal(layout.guestRowsVisible, 4, 'the tab bar shows every guest: ' + JSON.stringify(layout));
  await screenshot(p, opts.artifacts, 'layout-390x844-counters.png');
  console.log('layout: 390x844 (touch) ok: one panel at a time, tabs switch by tap');
  await phone.close();
  console.log('layout: ok');
} finally {
  await browser.close();
  site.server.close();
}

// A slow mouse drag from (x, y) by (dx, dy), as a person does it.
async function drag(page, x, y, dx, dy) {
  await page.mouse.move(x - 20, y - 20);  // ImGui hovers first, then takes the press
  await framesLater(page, 2);
  await page.mouse.move(x, y);
  await framesLater(page, 2);
  await page.mouse.down();
  await framesLater(page, 2);
  for (let k = 1; k <= 4; ++k) {
    await page.mouse.move(x + (dx * k) / 4, y + (dy * k) / 4);
    await framesLater(page, 2);
  }
  await page.mouse.up();
  await framesLater(page, 6);
}

// ImGui draws no DOM: the app reports where its View menu items were drawn
// (trapeze.layout().viewMenu); the clicks are real mouse clicks.
async function openViewMenu(page) {
  const header = (await page.evaluate(() => window.trapeze.layout())).viewMenu.find((m) => m.title === 'View');
  assert.ok(header, 'the View menu is drawn');
  await page.mouse.click(header.x, header.y);
  await framesLater(page, 4);
}

async function closeMenu(page) {
  await page.keyboard.press('Escape');
  await framesLater(page, 4);
}

async function clickViewItem(page, title) {
  await openViewMenu(page);
  const item = (await page.evaluate(() => window.trapeze.layout())).viewMenu.find((m) => m.title === title);
  assert.ok(item, `View > ${title} is shown`);
  await page.mouse.click(item.x, item.y);
  await framesLater(page, 6);
}
