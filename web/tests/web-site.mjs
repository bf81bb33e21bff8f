// The static site, in headless Chromium: served from a sub-path it loads (relative
// URLs only) and shows download progress first; its docs page renders the ISA
// reference; without WebGL2 or without WebAssembly the page says so in words
// instead of staying blank; served without the wasm MIME type it still starts.
//
//   node web-site.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, newPage, waitStarted, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-site.mjs');
const BASE = '/courses/os-101/trapeze/';
const { server, url } = await startServer(opts.site, { base: BASE });
assert.ok(url.endsWith(BASE));
const browser = await launchBrowser();

// Records every text the loading box shows, from before the first script runs.
function recordStatus() {
  window.__statusTexts = [];
  new MutationObserver(() => {
    const t = document.getElementById('status-text');
    if (t && window.__statusTexts.at(-1) !== t.textContent) window.__statusTexts.push(t.textContent);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

// The page's failure message once it shows one.
async function failureMessage(page) {
  await page.waitForSelector('#status.error', { timeout: 20000 });
  assert.ok(await page.locator('#status').isVisible(), 'the message is visible');
  return page.locator('#status-text').textContent();
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });

  // ---- 1. From a sub-path, with progress while trapeze.wasm downloads.
  const requests = [];
  context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const { page, logs } = await newPage(context);
  await page.addInitScript(recordStatus);
  await page.goto(url + 'index.html');
  const started = await waitStarted(page, logs, { minFrames: 10 });
  assert.equal(started.source, 'default');
  const outside = requests.filter((p) => !p.startsWith(BASE));
  assert.deepEqual(outside, [], 'every request stays under the sub-path');
  assert.equal(requests.filter((p) => p.endsWith('/trapeze-files.txt')).length, 1,
               'trapeze-files.txt is downloaded once (its preload is the fetch the page uses)');
  const texts = await page.evaluate(() => window.__statusTexts);
  const wasmBytes = fs.statSync(path.join(opts.site, 'trapeze.wasm')).size;
  const mb = (wasmBytes / 1048576).toFixed(1);
  assert.ok(texts.some((t) => new RegExp(`^Loading \\d+\\.\\d of ${mb.replace('.', '\\.')} MB$`).test(t)),
            'progress was shown: ' + JSON.stringify(texts));
  assert.ok(await page.locator('#status').isHidden(), 'the loading box is gone once the app runs');
  await assertNoViolations(page, 'index.html');
  console.log(`web-site: sub-path ok; loading texts ${JSON.stringify(texts)}`);

  // ---- 2. The docs page: the ISA reference, from the same folder.
  await page.goto(url + 'docs.html?page=isa');
  await page.waitForSelector('#docs-content h1');
  assert.equal(await page.locator('#docs-content h1').first().textContent(), 'The Trapeze instruction set');
  assert.ok(await page.locator('#docs-content table').count() >= 3, 'the reference tables are rendered');
  assert.ok(await page.locator('#docs-content pre code').count() >= 1, 'code blocks are rendered');
  for (const name of ['machine', 'vmm', 'guests', 'js-api', 'web']) {
    await page.goto(url + `docs.html?page=${name}`);
    await page.waitForSelector('#docs-content h1');
  }
  await page.goto(url + 'docs.html?page=nothing');
  assert.match(await page.locator('.docs-error').textContent(), /There is no document called "nothing"/);
  await page.goto(url + 'docs.html?page=isa#the-machine');
  await page.waitForSelector('#the-machine');
  await assertNoViolations(page, 'docs.html');
  console.log('web-site: screenshot ' + await screenshot(page, opts.artifacts, 'web-site-docs.png'));

  // ---- 3. No WebGL2 (the context cannot be created): a message, not a blank page.
  const noGl = await newPage(context);
  await noGl.page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : original.call(this, type, ...rest);
    };
  });
  await noGl.page.goto(url + 'index.html');
  assert.match(await failureMessage(noGl.page), /^Trapeze needs WebGL 2, which this browser or graphics driver does not offer/);
  assert.match(await noGl.page.evaluate(() => window.trapeze.error), /WebGL 2/);
  console.log('web-site: screenshot ' + await screenshot(noGl.page, opts.artifacts, 'web-site-no-webgl2.png'));

  // ---- 4. Chromium with WebGL2 switched off by flag.
  const flagged = await launchBrowser(['--disable-webgl2']);
  try {
    const p = await flagged.newPage();
    await p.goto(url + 'index.html');
    assert.match(await failureMessage(p), /^Trapeze needs WebGL 2/);
  } finally {
    await flagged.close();
  }

  // ---- 5. No WebAssembly.
  const noWasm = await newPage(context);
  await noWasm.page.addInitScript(() => { delete window.WebAssembly; });
  await noWasm.page.goto(url + 'index.html');
  assert.match(await failureMessage(noWasm.page), /^Trapeze needs WebAssembly, which this browser does not offer/);
  console.log('web-site: screenshot ' + await screenshot(noWasm.page, opts.artifacts, 'web-site-no-wasm.png'));

  // ---- 6. A missing trapeze.wasm (an incomplete upload): the download error.
  const broken = await newPage(context);
  await broken.page.route('**/trapeze.wasm', (r) => r.fulfill({ status: 404, body: 'not found' }));
  await broken.page.goto(url + 'index.html');
  assert.match(await failureMessage(broken.page), /^Could not download Trapeze \(trapeze\.wasm: HTTP 404\)/);
  // The same for the bundled guests, presets and labs beside it (core/bundle/file_blob.h).
  const noFiles = await newPage(context);
  await noFiles.page.route('**/trapeze-files.txt', (r) => r.fulfill({ status: 404, body: 'not found' }));
  await noFiles.page.goto(url + 'index.html');
  assert.match(await failureMessage(noFiles.page), /^Could not download Trapeze \(trapeze-files\.txt: HTTP 404\)/);

  // ---- 7. A server that sends trapeze.wasm as application/octet-stream (no streaming
  // compilation possible): the page compiles the downloaded bytes instead, and starts.
  const plain = await newPage(context);
  let wasmFetches = 0;
  await plain.page.route('**/trapeze.wasm', async (r) => {
    wasmFetches += 1;
    const response = await r.fetch();
    await r.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await plain.page.goto(url + 'index.html');
  assert.equal((await waitStarted(plain.page, plain.logs, { minFrames: 5 })).source, 'default');
  assert.equal(wasmFetches, 1, 'trapeze.wasm is downloaded once (the preload is the fetch the page uses)');
  assert.ok(plain.logs.some((l) => l.includes('Streaming compilation failed')), 'the fallback was taken');
  console.log('web-site: ok');
} finally {
  await browser.close();
  server.close();
}
