// A scenario file with a JSON mistake says where it is, in headless Chromium: a
// TA's lab file with a trailing comma (line 5), and one cut short, are refused
// through Import with the file's name, the line and the column, and what was
// expected; the scenario on screen stays as it was. A saved document with the
// same mistake (autosave) is reported with its line and column too.
//
//   node web-import-where.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, notices, assertAppWorks, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-import-where.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html');
  const before = await page.evaluate(() => window.trapeze.scenario());

  const files = [
    { name: 'lab-comma.json', text: '{\n  "version": 1,\n  "name": "lab",\n  "guests": [\n    {"name": "a", "source": "_start:\\n halt\\n",}\n  ]\n}\n',
      where: /^Could not import lab-comma\.json: not valid JSON: parse error at line 5, column 48: syntax error while parsing object key - unexpected '\}'; .+ Trapeze kept the scenario it had\.$/ },
    { name: 'lab-cut.json', text: '{\n  "version": 1,\n  "guests": [\n    {"name": "a"',
      where: /^Could not import lab-cut\.json: not valid JSON: parse error at line 4, column 17: .+ Trapeze kept the scenario it had\.$/ },
  ];
  for (const f of files) {
    for (const close of await page.locator('#notices .notice-close').all()) await close.click();
    await page.setInputFiles('#import-file', { name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text) });
    await page.waitForSelector('#notices .notice.error');
    const errors = await notices(page);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], f.where);
    assert.equal(await page.evaluate(() => window.trapeze.scenario()), before, `${f.name}: the scenario is unchanged`);
    console.log(`web-import-where: "${errors[0]}"`);
  }
  console.log('web-import-where: screenshot ' + await screenshot(page, opts.artifacts, 'web-import-where.png'));

  // The same mistake in a saved document (what autosave and links hold).
  const doc = await page.evaluate(() => window.trapeze.currentDocument());
  const broken = doc.replace(/\}\s*$/, ',}');
  const r = await page.evaluate((t) => window.trapeze.loadDocument(t, false), broken);
  assert.equal(r.ok, false);
  assert.match(r.error, /^not valid JSON: parse error at line \d+, column \d+: /, r.error);
  await assertAppWorks(page, 'after the refused files');
  await assertNoViolations(page, 'import where');
  console.log('web-import-where: ok');
} finally {
  await browser.close();
  server.close();
}
