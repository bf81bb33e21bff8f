// An encoded & or = (%26, %3D) in a link's value stays in that value: the page
// splits a fragment into its KEY=VALUE parts before it decodes each key and value
// (web/trapeze-share.js), so a lab name or a panel list holding %26ro%3D1 is
// refused under its own name, as typed, and does not become a second part (here
// it made the lab open read-only, with no word said). Other escapes in a value
// are still decoded (%2C is a comma, %6C a letter).
//
//   node web-link-escapes.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, notices, assertAppWorks, assertNoViolations } from './lib/web.mjs';

const opts = siteArgs('web-link-escapes.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  // 1. At start-up: a banner names the lab part as typed; no lab opens, nothing is read-only.
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const { page } = await openStarted(context, url + 'embed.html#lab=lab2-uk-bit%26ro%3D1');
  assert.deepEqual(await notices(page), ['This link could not be opened: lab: "lab2-uk-bit%26ro%3D1" is not a lab ' +
    'name (letters, digits, _ or -, at most 64 characters). Trapeze opened the default scenario instead.']);
  const ui = await page.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])));
  assert.equal(ui.readOnly, false, `the %26ro%3D1 in the lab name made nothing read-only: ${JSON.stringify(ui)}`);
  await assertAppWorks(page, 'a lab name with %26');

  // 2. The same parser through the page's API (web/trapeze-share.js openLink).
  const open = (fragment) => page.evaluate((f) => window.trapeze.openLink(f), fragment);
  assert.deepEqual(await open('#panels=guests%26theme%3Dlight'),
                   { ok: false, error: 'panels: "guests%26theme%3Dlight" is not a panel name (a-z, 0-9, _ or -, at most 32 characters)' });
  assert.deepEqual(await open('#panels=editor&lab=lab2%3Duk%26bit'),
                   { ok: false, error: 'lab: "lab2%3Duk%26bit" is not a lab name (letters, digits, _ or -, at most 64 characters)' });
  assert.deepEqual(await open('#the%3Dme=light'),
                   { ok: false, error: '"the%3Dme": unknown part of the link (expected s, panels, ro, theme, lab or step)' });
  // Other escapes are decoded, each in its own value; a malformed one is refused as it came.
  const good = await open('#panels=guests%2Cconsole&theme=%6Cight&ro=%31');
  assert.deepEqual([good.ok, good.panels, good.theme, good.readOnly], [true, ['guests', 'console'], 'light', true],
                   JSON.stringify(good));
  assert.deepEqual(await open('#theme=light&panels=guests%2'),
                   { ok: false, error: 'panels: "guests%2" is not a panel name (a-z, 0-9, _ or -, at most 32 characters)' });
  await assertNoViolations(page, 'web-link-escapes');
  console.log('web-link-escapes: ok');
} finally {
  await browser.close();
  server.close();
}
