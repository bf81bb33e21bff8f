// A link's bad part is named as it was typed: the browser %-encodes <, >,
// spaces and other characters of a fragment, and the banner quotes the text
// the person wrote ("<b>x</b>", not "%3Cb%3Ex%3C/b%3E"), as text (no element
// is made from it). A %00 or a malformed escape is refused as it came. At
// start-up the banner says what opened instead: the default scenario, or the
// reader's autosaved work.
//
//   node web-link-typed.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import {
  siteArgs, openStarted, notices, assertAppWorks, assertNoViolations, screenshot, twoGuestScenario,
} from './lib/web.mjs';

const opts = siteArgs('web-link-typed.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();

const cases = [
  ['embed.html#panels=guests,<b>x</b>',
   /^This link could not be opened: panels: "<b>x<\/b>" is not a panel name .*Trapeze opened the default scenario instead\.$/],
  ['embed.html#theme=dark mode', /theme: expected dark or light, got "dark mode"/],
  ['index.html#lab=<img src=x onerror=window.pwned=1>', /lab: "<img src=x onerror=window\.pwned=1>" is not a lab name/],
  ['index.html#s=1.AAAA%00&panels=guests', /s: character 5 of the data, "%", is not base64url/],
  ['index.html#panels=%E0%A4%A', /panels: "%E0%A4%A" is not a panel name/],
  ['index.html#theme=caf\u00e9 \u2713', /theme: expected dark or light, got "caf\u00e9 \u2713"/],  // UTF-8 quoted as typed
];

try {
  for (const [address, expected] of cases) {
    const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
    const { page } = await openStarted(context, url + address);
    const banners = await notices(page);
    assert.equal(banners.length, 1, `${address}: one banner: ${JSON.stringify(banners)}`);
    assert.match(banners[0], expected, address);
    assert.equal(await page.locator('#notices b, #notices img').count(), 0, `${address}: the banner is text`);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await assertAppWorks(page, address);
    await assertNoViolations(page, address);
    console.log(`web-link-typed: ${address} -> "${banners[0].slice(0, 100)}..."`);
    if (address.startsWith('embed.html#panels')) await screenshot(page, opts.artifacts, 'web-link-typed.png');
    await context.close();
  }

  // With autosaved work, a bad link at start-up opens that work, and says so.
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const { page } = await openStarted(context, url + 'index.html');
  assert.ok((await page.evaluate((j) => window.trapeze.loadScenario(j), twoGuestScenario())).ok);
  await page.evaluate(() => window.trapeze.autosave.flush());
  await page.close();
  const again = await openStarted(context, url + 'index.html#theme=<i>dim</i>');  // a new visit, same storage
  assert.equal(again.started.source, 'autosave');
  assert.equal(JSON.parse(await again.page.evaluate(() => window.trapeze.scenario())).name,
               JSON.parse(twoGuestScenario()).name);
  assert.deepEqual(await notices(again.page), ['This link could not be opened: theme: expected dark or light, got ' +
                                         '"<i>dim</i>". Trapeze opened your autosaved work instead.']);
  console.log('web-link-typed: a bad link over autosaved work opens that work, and says so');
  await context.close();
} finally {
  await browser.close();
  server.close();
}
