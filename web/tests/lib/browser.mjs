// Launches Debian's Chromium headless through playwright-core, with the flags
// that give WebGL2 on SwiftShader and keep it off the (closed) network.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium'];

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export async function launchBrowser(extraArgs = []) {
  const executablePath = CANDIDATES.find((p) => p && fs.existsSync(p));
  if (!executablePath) throw new Error('Chromium not found: run ci/setup (Debian package chromium)');
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

// Opens the app page and waits until it reports ready and has drawn `minFrames`.
export async function openApp(browser, url, { minFrames = 10, viewport = { width: 1280, height: 800 } } = {}) {
  const page = await browser.newPage({ viewport });
  const logs = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.trapeze && (window.trapeze.isReady() || window.trapeze.error),
                               null, { timeout: 60000 });
    const error = await page.evaluate(() => window.trapeze.error);
    if (error) throw new Error(`the page reported: ${error}`);
    await page.waitForFunction((n) => window.trapeze.frames() >= n, minFrames, { timeout: 60000 });
  } catch (e) {
    e.message += '\npage console:\n' + logs.join('\n');
    throw e;
  }
  return { page, logs };
}
