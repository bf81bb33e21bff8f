// Work that comes back with a lab this build does not have (saved by a newer
// Trapeze, or edited by hand) loads, with one banner naming the lab, on every
// path that brings saved work back, in headless Chromium (Import's is in
// web-import-where.mjs): the full app's "Go back to my work" after a link set the
// autosave aside, an embed's edits restored on a reload, and the embed's "Go back
// to my edits" after "Reset to the original".
//
//   node web-lab-error-restore.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, openStarted, waitStarted, notices, assertAppWorks, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-lab-error-restore.mjs');
const { server, url } = await startServer(opts.site);
const LAB_ERROR = /^The lab could not be opened: there is no lab "lab9-future" \(the labs are lab1-/;
const PLANTED = 'Planted work from a newer Trapeze';

// One banner, naming the lab; the planted scenario is what is loaded.
async function assertOneLabBanner(page, what) {
  await page.waitForSelector('#notices .notice.error', { timeout: 5000 })
    .catch(() => assert.fail(`${what}: the lab that did not open is not mentioned`));
  const errors = await notices(page);
  assert.equal(errors.length, 1, `${what}: ${JSON.stringify(errors)}`);
  assert.match(errors[0], LAB_ERROR, what);
  assert.equal(JSON.parse(await page.evaluate(() => window.trapeze.scenario())).name, PLANTED,
               `${what}: the scenario itself is loaded`);
  console.log(`web-lab-error-restore: ${what}: "${errors[0]}"`);
}

async function clickNotice(page, label) {
  await page.locator('#notices .notice button', { hasText: label }).click({ timeout: 5000 });
}

const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // A share link of the default scenario, and the saved work to plant: that
  // scenario renamed, with a lab this build does not have open.
  const first = await openStarted(context, url + 'index.html');
  const link = await first.page.evaluate(() => window.trapeze.shareLink());
  assert.ok(link.ok, JSON.stringify(link));
  const planted = JSON.parse(await first.page.evaluate(() => window.trapeze.currentDocument()));
  planted.scenario.name = PLANTED;
  planted.lab = { open: 'lab9-future', labs: { 'lab9-future': { step: 1, steps: [] } } };
  const plantedText = JSON.stringify(planted);
  await first.page.evaluate((t) => localStorage.setItem('trapeze.autosave', t), plantedText);
  await first.page.close();

  // The full app: the link sets the autosave aside; "Go back to my work" brings it back.
  {
    const { page, logs, started } = await openStarted(context, link.url);
    assert.equal(started.source, 'link', JSON.stringify(started));
    assert.deepEqual(await notices(page), [], 'no error before the work comes back');
    await clickNotice(page, 'Go back to my work');
    await assertOneLabBanner(page, 'full app, Go back to my work');
    await assertAppWorks(page, 'full app');
    console.log('web-lab-error-restore: screenshot ' + await screenshot(page, opts.artifacts, 'web-lab-error-restore-app.png'));
    await page.close();
  }

  // An embed of the same link: its kept edits come back on a reload...
  {
    const embedUrl = url + 'embed.html#' + link.fragment.replace(/^#/, '');
    const { page, logs } = await newPage(context);
    await page.goto(embedUrl);
    await waitStarted(page, logs);
    const key = await page.evaluate(() => window.trapeze.embedSave.key);
    assert.ok(key, 'the embed keeps edits');
    await page.evaluate(([k, t]) => localStorage.setItem(k, t), [key, plantedText]);
    await page.reload();
    assert.equal((await waitStarted(page, logs)).source, 'autosave');
    await assertOneLabBanner(page, 'embed, edits restored');
    console.log('web-lab-error-restore: screenshot ' + await screenshot(page, opts.artifacts, 'web-lab-error-restore-embed.png'));

    // ...and after "Reset to the original" (its keys planted: the reset sets aside
    // what is on screen), "Go back to my edits" brings them back.
    await page.evaluate(([k, t]) => {
      localStorage.removeItem(k);
      localStorage.setItem(k + '.set-aside.2026-01-01T00:00:00.000Z', t);
      localStorage.setItem(k + '.reset', k + '.set-aside.2026-01-01T00:00:00.000Z');
    }, [key, plantedText]);
    await page.reload();
    assert.equal((await waitStarted(page, logs)).source, 'link');
    assert.deepEqual(await notices(page), [], 'the original has no lab error');
    await clickNotice(page, 'Go back to my edits');
    await assertOneLabBanner(page, 'embed, Go back to my edits');
    await assertAppWorks(page, 'embed');
  }
  console.log('web-lab-error-restore: ok');
} finally {
  await browser.close();
  server.close();
}
