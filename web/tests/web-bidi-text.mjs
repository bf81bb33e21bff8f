// Direction overrides in what a banner quotes cannot turn the message around, in
// headless Chromium: a link whose lab name holds U+202E (RIGHT-TO-LEFT OVERRIDE)
// and an imported file whose name holds U+202E and U+2066 are refused with
// messages that show those characters as <U+202E> and <U+2066>, so the rest of
// the sentence reads left to right as written; no banner holds a direction
// control character.
//
//   node web-bidi-text.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, notices, assertAppWorks, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-bidi-text.mjs');
const { server, url } = await startServer(opts.site);
const CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, started } = await openStarted(context, url + 'index.html#lab=%E2%80%AEevil&step=1');
  assert.equal(started.source, 'default', JSON.stringify(started));
  let errors = await notices(page);
  assert.deepEqual(errors, ['This link could not be opened: lab: "<U+202E>evil" is not a lab name (letters, digits, _ ' +
                            'or -, at most 64 characters). Trapeze opened the default scenario instead.']);
  console.log('web-bidi-text: screenshot ' + await screenshot(page, opts.artifacts, 'web-bidi-text-link.png'));

  for (const close of await page.locator('#notices .notice-close').all()) await close.click();
  const name = 'lab\u202Enosj.\u2066x.json';
  await page.setInputFiles('#import-file', { name, mimeType: 'application/json', buffer: Buffer.from('{"version": 1,') });
  await page.waitForSelector('#notices .notice.error');
  errors = await notices(page);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.ok(errors[0].startsWith('Could not import lab<U+202E>nosj.<U+2066>x.json: '), errors[0]);
  for (const text of [...errors, ...await notices(page, 'info')]) assert.doesNotMatch(text, CONTROLS);
  await assertAppWorks(page, 'after the hostile names');
  await assertNoViolations(page, 'bidi text');
  console.log('web-bidi-text: ok');
} finally {
  await browser.close();
  server.close();
}
