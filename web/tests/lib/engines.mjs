// One small interface over three browser engines, so one test script runs on all:
//   chromium  Debian's Chromium, headless, through playwright-core (lib/browser.mjs)
//   firefox   Debian's Firefox ESR through puppeteer-core over WebDriver BiDi
//   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver and selenium-webdriver
// Firefox and WebKit have no WebGL headless here: run them under Xvfb
// (xvfb-run -a -s "-screen 0 1280x800x24" node ...).
//
//   const e = await launchEngine('firefox', { width: 1280, height: 800 });
//   await e.open(url);
//   await e.evaluate((x) => x + 1, 41);           // 42; a promise is awaited
//   await e.waitFor(() => window.ready === true);
//   await e.type('nop'); await e.press('Enter'); await e.press('Control+Enter');
//   await e.press('Alt', { hold });   // keys stay down until `hold()` resolves (default 80 ms):
//                                      // an app that polls keys once a frame must see them down
//   await e.click(100, 50);                        // viewport CSS pixels
//   await e.screenshot('shot.png');                 // the viewport, PNG
//   await e.close();
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { launchBrowser } from './browser.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const FIREFOX = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
const MINIBROWSER = [process.env.MINIBROWSER_PATH,
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser'];
const WEBDRIVER = [process.env.WEBKIT_WEBDRIVER_PATH, '/usr/bin/WebKitWebDriver'];

function findExecutable(candidates, what) {
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) throw new Error(`${what} not found: run ci/setup`);
  return found;
}

function requireDisplay(engine) {
  if (!process.env.DISPLAY) {
    throw new Error(`${engine} needs an X display for WebGL: run under xvfb-run -a -s "-screen 0 1280x800x24"`);
  }
}

// A function and its one argument as a script body: the same text on every engine.
function scriptOf(fn, arg) {
  return `return (${fn.toString()})(${JSON.stringify(arg === undefined ? null : arg)});`;
}

// Polls `fn(arg)` in the page until it is truthy; the engines' own waits differ.
async function pollUntil(engine, fn, arg, { timeout = 60000, interval = 100, what } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await engine.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > end) {
      throw new Error(`${engine.name}: timed out after ${timeout} ms waiting for ${what || fn.toString()} ` +
                      `(last: ${JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Presses 'Control+Enter'-style chords on any engine with down(key) and up(key).
async function pressChord(engine, keys, { hold } = {}) {
  const parts = keys.split('+');
  for (const k of parts) { await engine.down(k); await sleep(20); }
  await (hold ? hold() : sleep(80));
  for (const k of parts.reverse()) { await engine.up(k); await sleep(20); }
}

// ---- Chromium: playwright-core ------------------------------------------------------
class ChromiumEngine {
  constructor(browser, page) { this.name = 'chromium'; this.browser = browser; this.page = page; }
  static async launch({ width, height }) {
    const browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width, height } });
    return new ChromiumEngine(browser, page);
  }
  async open(url) { await this.page.goto(url); }
  async evaluate(fn, arg) { return this.page.evaluate(new Function(scriptOf(fn, arg))); }
  waitFor(fn, arg, options) { return pollUntil(this, fn, arg, options); }
  async type(text) { await this.page.keyboard.type(text, { delay: 20 }); }
  async down(key) { await this.page.keyboard.down(key); }
  async up(key) { await this.page.keyboard.up(key); }
  press(keys, options) { return pressChord(this, keys, options); }
  async click(x, y) { await this.page.mouse.click(x, y, { delay: 60 }); }
  async screenshot(file) { fs.writeFileSync(file, await this.page.screenshot()); }
  async setSize(width, height) { await this.page.setViewportSize({ width, height }); }
  async close() { await this.browser.close(); }
}

// ---- Firefox ESR: puppeteer-core over WebDriver BiDi ---------------------------------
class FirefoxEngine {
  constructor(browser, page) { this.name = 'firefox'; this.browser = browser; this.page = page; }
  static async launch({ width, height }) {
    requireDisplay('firefox');
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({
      browser: 'firefox', executablePath: findExecutable(FIREFOX, 'Firefox ESR (Debian package firefox-esr)'),
      headless: false, protocol: 'webDriverBiDi',
      extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'datareporting.policy.dataSubmissionEnabled': false,
                         'ui.key.menuAccessKeyFocuses': false },  // Alt belongs to the app's menu bar
    });
    const pages = await browser.pages();
    const page = pages[0] || await browser.newPage();
    await page.setViewport({ width, height });
    return new FirefoxEngine(browser, page);
  }
  async open(url) { await this.page.goto(url); }
  async evaluate(fn, arg) { return this.page.evaluate(new Function(scriptOf(fn, arg))); }
  waitFor(fn, arg, options) { return pollUntil(this, fn, arg, options); }
  async type(text) { await this.page.keyboard.type(text, { delay: 20 }); }
  async down(key) { await this.page.keyboard.down(key); }
  async up(key) { await this.page.keyboard.up(key); }
  press(keys, options) { return pressChord(this, keys, options); }
  async click(x, y) { await this.page.mouse.click(x, y, { delay: 60 }); }
  async screenshot(file) { fs.writeFileSync(file, await this.page.screenshot()); }
  async setSize(width, height) { await this.page.setViewport({ width, height }); }
  async close() { await this.browser.close(); }
}

// ---- WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver --------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

// Starts WebKitWebDriver on a free local port; resolves once it answers /status.
async function startWebKitWebDriver() {
  const port = await freePort();
  const child = spawn(findExecutable(WEBDRIVER, 'WebKitWebDriver (Debian package webkit2gtk-driver)'),
                      [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with status ${child.exitCode}`);
    try {
      if ((await fetch(url + '/status')).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > end) { child.kill(); throw new Error('WebKitWebDriver did not start within 30 s'); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, kill: () => child.kill() };
}

class WebKitEngine {
  constructor(driver, service, sw) { this.name = 'webkit'; this.driver = driver; this.service = service; this.sw = sw; }
  static async launch({ width, height }) {
    requireDisplay('webkit');
    const sw = await import('selenium-webdriver');
    const service = await startWebKitWebDriver();
    const caps = new sw.Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: findExecutable(MINIBROWSER, 'MiniBrowser (webkit2gtk)'), args: ['--automation'] },
    });
    let driver;
    try {
      driver = await new sw.Builder().usingServer(service.url).withCapabilities(caps).build();
    } catch (e) {
      service.kill();
      throw e;
    }
    const engine = new WebKitEngine(driver, service, sw);
    engine.wanted = { width, height };
    return engine;
  }

  // The window's outer size includes the browser's frame: grow it until the page
  // (window.innerWidth/innerHeight) has the size asked for.
  async fitViewport() {
    const { width, height } = this.wanted;
    for (let i = 0; i < 3; i++) {
      const inner = await this.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
      if (inner.w === width && inner.h === height) return;
      const rect = await this.driver.manage().window().getRect();
      await this.driver.manage().window().setRect({ width: rect.width + width - inner.w,
                                                    height: rect.height + height - inner.h });
    }
  }
  async open(url) {
    await this.driver.get(url);
    await this.fitViewport();
  }
  async evaluate(fn, arg) { return this.driver.executeScript(scriptOf(fn, arg)); }
  waitFor(fn, arg, options) { return pollUntil(this, fn, arg, options); }
  async type(text) {
    // One key at a time: the app reads keys frame by frame.
    for (const ch of text) {
      await this.driver.actions().keyDown(ch).keyUp(ch).perform();
      await sleep(20);
    }
  }
  keyOf(name) {
    const { Key } = this.sw;
    const names = { Enter: Key.ENTER, Control: Key.CONTROL, Shift: Key.SHIFT, Alt: Key.ALT, Escape: Key.ESCAPE,
                    Tab: Key.TAB, Backspace: Key.BACK_SPACE, ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN,
                    ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT, Space: Key.SPACE, F5: Key.F5, F10: Key.F10,
                    End: Key.END, Home: Key.HOME };
    return names[name] || name;
  }
  // WebDriver keeps a key down across actions until released.
  async down(key) { await this.driver.actions().keyDown(this.keyOf(key)).perform(); }
  async up(key) { await this.driver.actions().keyUp(this.keyOf(key)).perform(); }
  press(keys, options) { return pressChord(this, keys, options); }
  async click(x, y) {
    await this.driver.actions().move({ x: Math.round(x), y: Math.round(y), origin: this.sw.Origin.VIEWPORT })
      .press().pause(60).release().perform();
  }
  async screenshot(file) { fs.writeFileSync(file, Buffer.from(await this.driver.takeScreenshot(), 'base64')); }
  async setSize(width, height) { this.wanted = { width, height }; await this.fitViewport(); }
  async close() {
    try { await this.driver.quit(); } finally { this.service.kill(); }
  }
}

const CLASSES = { chromium: ChromiumEngine, firefox: FirefoxEngine, webkit: WebKitEngine };

export async function launchEngine(name, { width = 1280, height = 800 } = {}) {
  const cls = CLASSES[name];
  if (!cls) throw new Error(`unknown engine ${JSON.stringify(name)} (expected ${ENGINES.join(', ')})`);
  return cls.launch({ width, height });
}
