// Embeds at course-page sizes, in headless Chromium, through trapeze.layout():
// one embed.html page (the example course page's first link), resized to 360,
// 520 and 720 px high and 600 to 1200 px wide, with 1, 3 and 4 guests and the
// panel lists of web/embed-example.html (and none: the default panels). At each,
// every panel inside the frame, none overlapping, and every guest's row with its
// Run control fully visible (in the Guests panel, or in the run bar when the
// list has no Guests panel, as in `editor,counters`). Then a link with an
// unknown panel name: a banner names the valid ones and the valid ones are shown.
// Screenshots: layout-embed-<panels>-<W>x<H>-<N>guests.png.
//
//   node layout-embed.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { REPO, siteArgs, openStarted, notices, screenshot } from './lib/web.mjs';
import { framesLater, assertTiled, uiPanels } from './lib/layout-checks.mjs';

const opts = siteArgs('layout-embed.mjs');
const example = fs.readFileSync(path.join(REPO, 'web', 'embed-example.html'), 'utf8');
const links = [...example.matchAll(/src="embed\.html(#[^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
assert.equal(links.length, 2, 'the example page has two embeds');
const panelLists = links.map((l) => new URLSearchParams(l.slice(1)).get('panels').split(','));
panelLists.push(null);  // no &panels=: the default panels

const preset = (name) => fs.readFileSync(path.join(REPO, 'scenarios', name), 'utf8');
const three = preset('uk-bit-problem.json');
const four = preset('one-guest-four-strategies.json');
const one = (() => {  // the U/K-bit problem's first guest alone
  const s = JSON.parse(three);
  s.guests = s.guests.slice(0, 1);
  s.name += ' (one guest)';
  return JSON.stringify(s);
})();
const scenarios = [[1, one], [3, three], [4, four]];
const SIZES = [[600, 360], [1200, 360], [600, 520], [900, 520], [1200, 520], [600, 720], [1200, 720]];

const site = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 520 } });
  const { page, started } = await openStarted(context, site.url + 'embed.html' + links[0]);
  assert.equal(started.source, 'link');
  let checked = 0;
  for (const list of panelLists) {
    const label = list ? list.join(',') : 'default';
    const set = await page.evaluate((p) => window.trapeze.setUi(p ? { compact: true, panels: p } : { compact: true }),
                                    list);
    assert.deepEqual(set, { ok: true, error: null });
    if (!list) {  // the default panels: the app's own list, as the full app starts with
      await page.evaluate(() => window.trapeze.setUi({ compact: true, panels: ['guests', 'editor', 'registers',
        'disassembly', 'counters', 'plots', 'events'] }));
    }
    for (const [guests, text] of scenarios) {
      assert.ok((await page.evaluate((t) => window.trapeze.loadScenario(t), text)).ok);
      for (const [w, h] of SIZES) {
        await page.setViewportSize({ width: w, height: h });
        await framesLater(page, 5);
        const layout = await page.evaluate(() => window.trapeze.layout());
        const where = `${label} at ${w}x${h} with ${guests} guests`;
        // The example's lists tile; all seven default panels go under tabs when they cannot.
        if (list) assert.equal(layout.mode, 'compact', where);
        else assert.ok(['compact', 'tabs'].includes(layout.mode), where);
        assertTiled(layout, await uiPanels(page), where);
        assert.equal(layout.guestRowsVisible, guests, `${where}: guest rows visible\n${JSON.stringify(layout)}`);
        if (list && !list.includes('guests')) {
          assert.ok(layout.panels.some((p) => p.name === 'run_bar'), `${where}: a run bar`);
        }
        if (guests !== 3 && (h !== 520 || w === 900)) {
          await screenshot(page, opts.artifacts, `layout-embed-${label.replace(/,/g, '+')}-${w}x${h}-${guests}guests.png`);
        }
        ++checked;
      }
    }
    console.log(`layout-embed: ${label}: ${SIZES.length * scenarios.length} sizes and guest counts ok`);
  }
  assert.equal(checked, panelLists.length * scenarios.length * SIZES.length);

  // setUi with an unknown name: {ok: false} naming it and the valid ones; the valid ones shown.
  const bad = await page.evaluate(() => window.trapeze.setUi({ compact: true, panels: ['guests', 'bogus'] }));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /"bogus"/);
  assert.match(bad.error, /guests, editor, registers/);
  assert.deepEqual(await uiPanels(page), ['guests']);
  await context.close();

  // The same in a link: a banner, and the valid panels.
  const typo = await browser.newContext({ viewport: { width: 900, height: 520 } });
  const link = links[0].replace(/panels=[^&]*/, 'panels=guests,bogus');
  const { page: p2 } = await openStarted(typo, site.url + 'embed.html' + link);
  const banners = await notices(p2);
  assert.equal(banners.length, 1, `one banner: ${banners}`);
  assert.match(banners[0], /unknown panel "bogus"/);
  assert.match(banners[0], /guests, editor, registers, disassembly/);
  assert.deepEqual(await uiPanels(p2), ['guests']);
  await framesLater(p2, 4);
  await screenshot(p2, opts.artifacts, 'layout-embed-unknown-panel.png');
  console.log('layout-embed: an unknown panel name: banner "' + banners[0] + '"');
  console.log('layout-embed: ok');
} finally {
  await browser.close();
  site.server.close();
}
