// docs.html with a hostile or broken address: a malformed %-escape in the
// anchor still renders the page without a script error and a good anchor still
// scrolls to its heading; a page name with HTML in it or the name of an
// Object property is "no such document", shown as text.
//
//   node web-docs-anchor.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, assertNoViolations } from './lib/web.mjs';

const opts = siteArgs('web-docs-anchor.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, logs } = await newPage(context);
  const heading = () => page.locator('#docs-content h1').first().textContent();
  const pageErrors = () => logs.filter((l) => l.startsWith('[pageerror]'));

  await page.goto(url + 'docs.html?page=web#%E0%A4%A');
  await page.waitForSelector('#docs-content h1');
  assert.match(await heading(), /The web pages/);
  await page.waitForTimeout(300);  // the anchor is looked up right after rendering
  assert.deepEqual(pageErrors(), [], 'a malformed anchor: no script error');

  await page.goto(url + 'docs.html?page=web#autosave');
  await page.waitForSelector('#docs-content h1');
  await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 10000 });
  console.log('web-docs-anchor: #autosave scrolled to ' + await page.evaluate(() => window.scrollY));

  for (const name of ['<img src=x onerror=window.pwned=1>', '__proto__', 'constructor']) {
    await page.goto(url + 'docs.html?page=' + encodeURIComponent(name));
    await page.waitForSelector('#docs-content .docs-error');
    assert.equal(await page.locator('#docs-content .docs-error').textContent(),
                 `There is no document called "${name}".`);
    assert.equal(await page.locator('#docs-content img').count(), 0);
  }
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(pageErrors(), [], 'no script errors');
  await assertNoViolations(page, 'docs');
  console.log('web-docs-anchor: ok');
} finally {
  await browser.close();
  server.close();
}
