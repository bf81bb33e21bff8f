// Browser test of the system clipboard in the code editor (web/trapeze-clipboard.js,
// wasm/clipboard.cpp): Ctrl+A, Ctrl+C copies the guest's source out to the system
// clipboard (also when the browser sends no copy event); text put on the system
// clipboard from outside the app (as a student copies from an assignment) is what
// Ctrl+V pastes, not the app's own last copy; Ctrl+X cuts to the system clipboard;
// text pasted is only text (a script tag stays in the source, nothing runs); and
// an ImGui text field pastes and copies too. The clipboard is read with
// navigator.clipboard (permissions granted to the page), the source through
// window.trapeze.scenario(). Screenshots of each step are kept.
//
//   node clipboard.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openApp } from './lib/browser.mjs';
import { diffCount, locateEditor, longestRun } from './lib/editor-view.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: clipboard.mjs --site DIR --artifacts DIR');
fs.mkdirSync(opts.artifacts, { recursive: true });

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const { page, logs } = await openApp(browser, url + 'index.html', { minFrames: 10 });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });

  const source = ['; clipboard test', '_start:', '    li r1, 1', '    halt', ''].join('\n');
  const loaded = await page.evaluate((src) => window.trapeze.loadScenario(JSON.stringify(
      { version: 1, name: 'clipboard test', guests: [{ name: 'g', source: src, memory: '16K' }] })), source);
  assert.ok(loaded.ok, `loadScenario: ${loaded.error}`);
  // The default layout without the welcome panel a first visit opens over it.
  await page.evaluate(() => window.trapeze.setUi({ compact: false, readOnly: false,
    panels: ['guests', 'editor', 'registers', 'events', 'counters', 'console'] }));

  const guestSource = async () => JSON.parse(await page.evaluate(() => window.trapeze.scenario())).guests[0].source;
  const systemClipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const setSystemClipboard = (text) => page.evaluate((t) => navigator.clipboard.writeText(t), text);
  // ImGui reads input once per frame: wait for frames to pass, not for time.
  const frames = (n) => page.evaluate((k) => new Promise((resolve) => {
    const until = window.trapeze.frames() + k;
    const check = () => (window.trapeze.frames() >= until ? resolve() : requestAnimationFrame(check));
    check();
  }), n);
  const press = async (key) => {
    const parts = key.split('+');
    for (const k of parts) { await page.keyboard.down(k); await frames(2); }
    for (const k of parts.reverse()) { await page.keyboard.up(k); await frames(2); }
    await frames(3);  // the app acts on a clipboard event one frame later
  };
  const canvas = page.locator('canvas#canvas');
  const origin = await canvas.boundingBox();
  const shot = async (name) => {
    await frames(3);
    const buf = await canvas.screenshot();
    fs.writeFileSync(path.join(opts.artifacts, `clipboard-${name}.png`), buf);
    return PNG.sync.read(buf);
  };

  // Focus the editor: a click below its last line puts the cursor at the end.
  const { text } = locateEditor(await shot('0-before'));
  await page.mouse.move(origin.x + text.x0 + 200, origin.y + text.y1 - 20);
  await frames(2);
  await page.mouse.down();
  await frames(2);
  await page.mouse.up();
  await frames(2);

  // Copy out: select all, Ctrl+C.
  await setSystemClipboard('something else');
  await press('Control+a');
  await press('Control+c');
  const copied = await systemClipboard();
  assert.equal(copied, source, 'Ctrl+C did not put the editor\'s text on the system clipboard');
  await shot('1-copied');

  // A shortcut the browser answers with no clipboard event (a synthetic key here,
  // which has no default action) still reaches the app: its own copy goes out
  // through navigator.clipboard.writeText.
  await setSystemClipboard('something else');
  await page.evaluate(() => window.dispatchEvent(
    new KeyboardEvent('keydown', { key: 'c', code: 'KeyC', ctrlKey: true, bubbles: true })));
  await frames(5);
  assert.equal(await systemClipboard(), source, 'a copy without a clipboard event did not reach the system clipboard');

  // Paste in: the system clipboard now holds text from elsewhere; Ctrl+V replaces
  // the selection (all of the source) with it, not with the app's last copy.
  const assignment = '; from the assignment\n_start:\n    li r2, 42\n    halt\n';
  await setSystemClipboard(assignment);
  await press('Control+v');
  assert.equal(await guestSource(), assignment, 'Ctrl+V did not paste the system clipboard\'s text');
  await shot('2-pasted');

  // Paste again at the end: the text goes in as typed; the system clipboard is untouched.
  await press('Control+v');
  assert.equal(await guestSource(), assignment + assignment, 'a second Ctrl+V did not paste at the cursor');
  assert.equal(await systemClipboard(), assignment, 'pasting changed the system clipboard');

  // Cut: select all, Ctrl+X empties the editor and puts its text on the clipboard.
  await press('Control+a');
  await press('Control+x');
  assert.equal(await systemClipboard(), assignment + assignment, 'Ctrl+X did not copy to the system clipboard');
  assert.equal(await guestSource(), '', 'Ctrl+X did not remove the selection');

  // Pasted text is data: markup and script stay characters in the source.
  const hostile = '; <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\n';
  await setSystemClipboard(hostile);
  await press('Control+v');
  assert.equal(await guestSource(), hostile, 'the pasted text changed on its way into the editor');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'pasted text ran as code');
  await shot('3-hostile-pasted');

  // Any ImGui text field too: the event log's filter, alone on the page (embed
  // layout). The field is the longest run of one colour in the panel's first row.
  await page.evaluate(() => window.trapeze.setUi({ compact: true, panels: ['events'] }));
  const fieldShot = await shot('4-field-before');
  const field = longestRun(fieldShot, 25, 70);
  assert.ok(field.x1 - field.x0 > 300, `no text field found: ${JSON.stringify(field)}`);
  await page.mouse.move(origin.x + (field.x0 + field.x1) / 2, origin.y + field.y);
  await frames(2);
  await page.mouse.down();
  await frames(2);
  await page.mouse.up();
  await frames(2);
  const filter = 'pasted into a field';
  await setSystemClipboard(filter);
  await press('Control+v');
  const fieldPasted = await shot('5-field-pasted');
  const fieldBox = { x0: field.x0, y0: field.y - 6, x1: field.x1, y1: field.y + 6 };
  assert.ok(diffCount(fieldShot, fieldPasted, fieldBox) > 100, 'nothing was pasted into the text field');
  // ... and copied out of it (the app's own copy, written with navigator.clipboard).
  await setSystemClipboard('something else');
  await press('Control+a');
  await press('Control+c');
  assert.equal(await systemClipboard(), filter, 'Ctrl+C in a text field did not reach the system clipboard');

  const errors = logs.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'));
  assert.deepEqual(errors, [], 'the page logged errors');
  console.log(`clipboard: ok — copied ${copied.length} chars out, pasted ${assignment.length} chars in (twice), ` +
              `cut ${2 * assignment.length}, pasted markup kept as text, a text field pasted and copied; screenshots in ${opts.artifacts}`);
} finally {
  await browser.close();
  server.close();
}
