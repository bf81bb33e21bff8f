// Browser smoke test: serve the built site, load it in headless Chromium, wait
// for the app to report ready through window.trapeze, check that the canvas
// shows something other than the clear colour, and keep a screenshot.
//
//   node smoke.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';
import { fractionDifferentFrom } from './lib/pixels.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: smoke.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });

const CLEAR_RGB = [28, 31, 36];  // the dark theme's clear colour (dark_palette() in wasm/appearance.cpp)

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const { page } = await openApp(browser, url + 'index.html', { minFrames: 10 });
  const frames = await page.evaluate(() => window.trapeze.frames());
  assert.ok(frames >= 10, `expected at least 10 frames, got ${frames}`);

  const shot = await page.locator('canvas#canvas').screenshot();
  const file = path.join(opts.artifacts, 'smoke.png');
  fs.writeFileSync(file, shot);
  const { fraction, width, height } = fractionDifferentFrom(shot, CLEAR_RGB);
  assert.ok(width >= 640 && height >= 400, `canvas too small: ${width}x${height}`);
  // The ImGui window covers a good part of the canvas: far more than 2%.
  assert.ok(fraction > 0.02, `canvas looks blank: only ${(fraction * 100).toFixed(2)}% of pixels drawn`);
  console.log(`smoke: ok — ${frames} frames, ${(fraction * 100).toFixed(1)}% of ${width}x${height} pixels drawn, screenshot ${file}`);
} finally {
  await browser.close();
  server.close();
}
