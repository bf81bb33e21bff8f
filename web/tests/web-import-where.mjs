// A scenario file with a JSON mistake says where it is, in headless Chromium: a
// TA's lab file with a trailing comma (line 5), and one cut short, are refused
// through Import with the file's name, the line and the column, and what was
// expected; the scenario on screen stays as it was. A saved document with the
// same mistake (autosave) is reported with its line and column too. A saved
// document whose lab this build does not have loads, with a banner naming the lab.
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

  // A saved document whose lab this build does not have (from a newer Trapeze, or
  // edited by hand): the scenario loads, and a banner names the lab and the labs there are.
  for (const close of await page.locator('#notices .notice-close').all()) await close.click();
  const withLab = JSON.parse(doc);
  withLab.lab = { open: 'lab9-future', labs: { 'lab9-future': { step: 1, steps: [] } } };
  await page.setInputFiles('#import-file', { name: 'lab9.json', mimeType: 'application/json',
                                             buffer: Buffer.from(JSON.stringify(withLab)) });
  await page.waitForSelector('#notices .notice.error', { timeout: 5000 })
    .catch(() => assert.fail('importing a document with an unknown lab says nothing'));
  const labErrors = await notices(page);
  assert.equal(labErrors.length, 1, JSON.stringify(labErrors));
  assert.match(labErrors[0], /^The lab could not be opened: there is no lab "lab9-future" \(the labs are lab1-/);
  console.log(`web-import-where: "${labErrors[0]}"`);
  await assertAppWorks(page, 'after the refused files');
  await assertNoViolations(page, 'import where');
  console.log('web-import-where: ok');
} finally {
  await browser.close();
  server.close();
}
