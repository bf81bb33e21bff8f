// The layout at every window size, in headless Chromium, through trapeze.layout()
// (the panels' windows as drawn and the guest rows fully visible):
//  1. one page with the four-guest preset, resized from one size to the next
//     without Reset (800x600 ... 2560x1440 and back to 1280x800): every open
//     panel inside the window, no two overlapping, all four guest rows visible;
//  2. a phone (390x844, touch): one panel at a time under a tab bar, the four
//     guests' rows visible, a tap on another tab shows that panel;
//  3. View > each closed panel, one by one, by clicking the menu: the panel opens
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
    const file = await screenshot(page, opts.artifacts, `layout-${w}x${h}.png`);
    console.log(`layout: ${w}x${h} ok: ${layout.panels.length} panels, 4 guest rows (${file})`);
  }

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
  const bar = layout.panels.find((x) => x.name === 'tab_bar');
  assert.ok(bar, 'a tab bar');
  let switched = false;
  for (let x = bar.x + 20; x < bar.x + bar.w && !switched; x += 30) {
    for (let y = bar.y + 12; y < bar.y + bar.h / 2 && !switched; y += 24) {
      await p.touchscreen.tap(x, y);
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
