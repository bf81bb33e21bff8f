// The Lab panel in headless Chromium, as a student meets it: a link opens lab 2
// (the U/K-bit problem) at its task step; the prediction is picked on the
// screen, Check is clicked and the task's check fails on the starter; the
// reference solution goes in through setSource, Check is clicked again and every
// check passes, with the same results as `trapeze check --json` on that
// solution; a reload finds the progress and the typed source; Previous/Next keep
// what was typed; a share link carries step, answers and code to a fresh
// browser; a bad lab name gives a banner and the app keeps running. Screenshots
// of the step before and after, at 1366x768 and 1920x1080, and in a 520-px embed.
//
//   node lab.mjs --site build/wasm/site --artifacts build/release/browser-artifacts [--cli build/release/cli/trapeze]
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { REPO, openStarted, waitStarted, notices, assertAppWorks, assertNoViolations, screenshot, twoGuestScenario } from './lib/web.mjs';
import { framesLater, uiPanels, assertTiled } from './lib/layout-checks.mjs';

const { values: opts } = parseArgs({
  options: { site: { type: 'string' }, artifacts: { type: 'string' }, cli: { type: 'string' } },
});
assert.ok(opts.site && opts.artifacts, 'usage: lab.mjs --site DIR --artifacts DIR [--cli TRAPEZE]');
fs.mkdirSync(opts.artifacts, { recursive: true });

// Lab 2 and its task step; the reference solution is kept out of the site.
const LAB = 'lab2-uk-bit';
const STEP = 2;
const GUEST = 'kernel';
const PREDICTION = 'uk-cheaper';
const SOLUTION_FILE = path.join(REPO, 'tests/labs', LAB, 'kernel.s');
const solution = fs.readFileSync(SOLUTION_FILE, 'utf8');

const lab = (page) => page.evaluate(() => window.trapeze.lab());
const log = (text) => console.log('lab: ' + text);

async function click(page, controls, name) {
  const c = controls[name];
  assert.ok(c, `no control ${name} on the screen: ${JSON.stringify(controls)}`);
  await page.mouse.click(c.x, c.y, { delay: 60 });
  // The app reads the mouse's position once a frame: it must see the click where
  // it was before the mouse moves off (so no tooltip covers what a screenshot shows).
  await framesLater(page, 3);
  await page.mouse.move(2, 2);
  await framesLater(page, 3);
}

// Clicks Check and waits until the panel shows new results.
async function pressCheck(page) {
  const before = JSON.stringify((await lab(page)).results);
  const l = await lab(page);
  await click(page, l.controls, 'check');
  await page.waitForFunction((b) => JSON.stringify(window.trapeze.lab().results) !== b, before, { timeout: 120000 });
  await framesLater(page, 3);
  return (await lab(page)).results;
}

const guestIndex = (page, name) => page.evaluate((n) => window.trapeze.state().guests.findIndex((g) => g.name === n), name);
const sourceOf = (page, name) => page.evaluate((n) => JSON.parse(window.trapeze.scenario()).guests.find((g) => g.name === n).source, name);

const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  // 1. A link opens lab 2 at its task step, in a browser with no earlier work.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const s = await openStarted(context, `${url}index.html#lab=${LAB}&step=${STEP}`);
  assert.equal(s.started.lab, LAB, 'the page opened the lab: ' + JSON.stringify(s.started));
  assert.deepEqual(await notices(s.page), [], 'no error banner');
  let l = await lab(s.page);
  assert.equal(l.open, LAB);
  assert.equal(l.step, STEP);
  assert.ok(l.steps >= STEP);
  assert.equal(l.checked, false);
  assert.ok((await uiPanels(s.page)).includes('lab'), 'the Lab panel is open');
  const layout = await s.page.evaluate(() => window.trapeze.layout());
  assertTiled(layout, await uiPanels(s.page), '1280x800');
  const panel = layout.panels.find((p) => p.name === 'lab');
  assert.ok(panel && panel.w >= 380 && panel.h >= 400, 'the Lab panel has room (40 columns of text) at 1280x800: ' + JSON.stringify(panel));
  // The starter is the lab's file: the document names it (no inline source) or holds its text.
  const starter = await sourceOf(s.page, GUEST);
  const starterFile = fs.readFileSync(path.join(REPO, 'labs', LAB, 'kernel.s'), 'utf8');
  assert.ok(starter === undefined || starter === starterFile, 'the editor holds the starter');
  assert.notEqual(starterFile, solution);
  log('screenshot ' + await screenshot(s.page, opts.artifacts, 'lab-step-before.png'));

  // 2. The prediction comes first (Check waits for it): pick an option on the screen.
  await click(s.page, l.controls, `answer:${PREDICTION}=${GUEST}`);
  l = await lab(s.page);
  assert.equal(l.answers[PREDICTION], GUEST, 'the clicked option is the answer: ' + JSON.stringify(l.answers));

  // 3. Check on the starter: the task fails, the rest passes.
  let results = await pressCheck(s.page);
  const failing = results.steps[0].checks.filter((c) => !c.passed);
  assert.ok(failing.length > 0, 'the starter fails a check');
  assert.ok(failing.every((c) => c.task), 'only task checks fail on the starter: ' + JSON.stringify(failing));
  log(`starter: ${results.score}/${results.max_score}; failing: ${failing.map((c) => `"${c.name}" (measured ${c.measured}, expected ${c.expected})`).join('; ')}`);
  assert.equal(results.passed, false);
  l = await lab(s.page);
  assert.equal(l.checked, true, 'the step is checked: the predictions lock');
  const locked = await s.page.evaluate((id) => window.trapeze.setLabAnswer(id, 'bare metal'), PREDICTION);
  assert.equal(locked.ok, false, 'a locked prediction cannot change');
  assert.match(locked.error, /locked/);
  log('screenshot ' + await screenshot(s.page, opts.artifacts, 'lab-step-failing.png'));

  // 4. The solution through setSource; Check passes everything.
  const g = await guestIndex(s.page, GUEST);
  const set = await s.page.evaluate(([i, text]) => window.trapeze.setSource(i, text), [g, solution]);
  assert.ok(set.ok, 'the solution assembles: ' + JSON.stringify(set.errors));
  results = await pressCheck(s.page);
  for (const c of results.steps[0].checks) assert.ok(c.passed, `check "${c.name}" passes: measured ${c.measured}, expected ${c.expected}`);
  assert.equal(results.passed, true);
  assert.equal(results.score, results.max_score);
  log(`solution: ${results.score}/${results.max_score}, every check passes`);
  log('screenshot ' + await screenshot(s.page, opts.artifacts, 'lab-step-after.png'));

  // 5. checkLab() gives the same results; and the CLI's --json on the same solution.
  const again = await s.page.evaluate(() => window.trapeze.checkLab());
  assert.deepEqual(again.steps[0].checks, results.steps[0].checks, 'checkLab() agrees with the panel');
  if (opts.cli) {
    let out;
    try {
      out = execFileSync(opts.cli, ['check', path.join(REPO, 'labs', LAB + '.md'), '--submission', `${GUEST}=${SOLUTION_FILE}`, '--json'],
                         { encoding: 'utf8', maxBuffer: 1 << 26 });
    } catch (e) {
      out = e.stdout;  // exit 3 when some other step fails; the JSON is printed all the same
    }
    const cli = JSON.parse(out);
    const cliStep = cli.steps.find((x) => x.step === STEP);
    assert.deepEqual(again.steps[0].checks, cliStep.checks, 'the browser and `trapeze check --json` agree on every check');
    assert.equal(again.lab, cli.lab);
    log('checkLab() matches `trapeze check --json` for step ' + STEP);
  }

  // 6. Previous and Next keep what was typed.
  l = await lab(s.page);
  await click(s.page, l.controls, 'previous');
  assert.equal((await lab(s.page)).step, STEP - 1);
  l = await lab(s.page);
  await click(s.page, l.controls, 'next');
  assert.equal((await lab(s.page)).step, STEP);
  assert.equal(await sourceOf(s.page, GUEST), solution, 'back at the step, the typed source is there');

  // 7. A reload finds the progress (autosave): step, answer, results and source.
  await s.page.waitForFunction((name) => (localStorage.getItem('trapeze.autosave') || '').includes(name), LAB, { timeout: 15000 });
  await s.page.evaluate(() => window.trapeze.autosave.flush());
  await s.page.reload();
  const restarted = await waitStarted(s.page, s.logs);
  assert.equal(restarted.source, 'autosave');
  l = await lab(s.page);
  assert.equal(l.open, LAB);
  assert.equal(l.step, STEP);
  assert.equal(l.checked, true);
  assert.equal(l.answers[PREDICTION], GUEST);
  assert.equal(l.results.passed, true, 'the results are kept');
  assert.equal(await sourceOf(s.page, GUEST), solution, 'the typed source is kept');
  log('reload: progress and source restored');
  log('screenshot ' + await screenshot(s.page, opts.artifacts, 'lab-after-reload.png'));
  await assertNoViolations(s.page, 'lab page');

  // 8. A share link carries it to someone else (a TA): lab, step, answers and code.
  const link = await s.page.evaluate(() => window.trapeze.shareLink());
  assert.ok(link.ok, link.error);
  assert.match(link.fragment, new RegExp(`^lab=${LAB}&step=${STEP}&s=1\\.`), 'link names the lab and step: ' + link.fragment.slice(0, 60));
  const ta = await openStarted(await browser.newContext({ viewport: { width: 1280, height: 800 } }), link.url);
  assert.equal(ta.started.source, 'link');
  l = await lab(ta.page);
  assert.equal(l.open, LAB);
  assert.equal(l.step, STEP);
  assert.equal(l.answers[PREDICTION], GUEST);
  assert.equal(l.results.passed, true);
  assert.equal(await sourceOf(ta.page, GUEST), solution, 'the student\'s code comes along');
  log(`share link (${link.url.length} characters) opens step ${STEP} with the student's code and results`);
  // Each page closes when its checks are done: an open page keeps drawing frames
  // (and running its guests) at a core's cost while the later checks run.
  await context.close();
  await ta.page.context().close();

  // 9. Bad lab names: a banner, and the app keeps running.
  for (const bad of ['no-such-lab', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', `${LAB}&step=99`]) {
    const b = await openStarted(await browser.newContext(), `${url}index.html#lab=${bad}`);
    const errors = await notices(b.page);
    assert.equal(errors.length, 1, `one error banner for lab=${bad}: ${JSON.stringify(errors)}`);
    assert.match(errors[0], /lab/);
    assert.equal((await lab(b.page)).open, null, 'no lab is open');
    await assertAppWorks(b.page, `lab=${bad}`);
    log(`lab=${bad}: "${errors[0]}"`);
    await b.page.context().close();
  }

  // 10. The panel fits other windows, and a 520-px embed (tabs).
  for (const [w, h] of [[1366, 768], [1920, 1080]]) {
    const v = await openStarted(await browser.newContext({ viewport: { width: w, height: h } }),
                                `${url}index.html#lab=${LAB}&step=${STEP}`);
    await framesLater(v.page, 5);
    const lay = await v.page.evaluate(() => window.trapeze.layout());
    assertTiled(lay, await uiPanels(v.page), `${w}x${h}`);
    const p = lay.panels.find((x) => x.name === 'lab');
    assert.ok(p && p.w >= 380 && p.h >= 400, `the Lab panel has room (40 columns of text) at ${w}x${h}: ${JSON.stringify(p)}`);
    log(`${w}x${h}: ${lay.mode}, lab panel ${p.w}x${p.h}; screenshot ` +
        await screenshot(v.page, opts.artifacts, `lab-${w}x${h}.png`));
    await v.page.context().close();
  }
  const e = await openStarted(await browser.newContext({ viewport: { width: 520, height: 640 } }),
                              `${url}embed.html#lab=${LAB}&step=${STEP}`);
  await framesLater(e.page, 5);
  const lay = await e.page.evaluate(() => window.trapeze.layout());
  assert.deepEqual((await uiPanels(e.page)).sort(), ['console', 'editor', 'lab'], 'an embedded lab shows its text, the editor and the console');
  assertTiled(lay, await uiPanels(e.page), 'embed 520');
  // Three panels at their minimum sizes do not fit 640 px: one at a time under tabs, the lab first.
  assert.equal(lay.mode, 'tabs', 'an embedded lab too small for its panels shows them under tabs');
  assert.ok(lay.panels.some((p) => p.name === 'lab' && p.w >= 480 && p.h >= 450), 'the Lab panel fills the embed: ' + JSON.stringify(lay));
  assert.equal((await lab(e.page)).step, STEP);
  log(`embed 520x640: ${lay.mode}; screenshot ` + await screenshot(e.page, opts.artifacts, 'lab-embed-520.png'));
  await e.page.context().close();

  // 11. Nothing the student had is lost to a lab: a lab link opened over their own
  // scenario keeps that autosave aside (with a way back), and a reload while a
  // lab is open but another scenario is on the screen keeps that scenario.
  const own = await openStarted(await browser.newContext({ viewport: { width: 1280, height: 800 } }), `${url}index.html`);
  const mine = twoGuestScenario();
  assert.ok((await own.page.evaluate((t) => window.trapeze.loadScenario(t), mine)).ok);
  await own.page.evaluate(() => window.trapeze.autosave.flush());
  await own.page.goto(`${url}index.html?again=1#lab=${LAB}&step=${STEP}`);
  const over = await waitStarted(own.page, own.logs);
  assert.equal(over.lab, LAB);
  assert.equal(over.keptEarlierWork, true, 'the lab link set the earlier work aside: ' + JSON.stringify(over));
  const aside = await own.page.evaluate(() => localStorage.getItem(window.trapeze.autosave.BEFORE_LINK_KEY));
  assert.ok(aside && aside.includes('Share-link test: two guests'), 'the earlier scenario is kept aside');
  assert.ok((await notices(own.page, 'info')).some((t) => /Opened the lab\. Your own autosaved work was kept/.test(t)),
            'a banner offers the earlier work back');
  // Another scenario over the open lab, then a reload: that scenario stays.
  assert.ok((await own.page.evaluate((t) => window.trapeze.loadScenario(t), mine)).ok);
  await own.page.evaluate(() => window.trapeze.autosave.flush());
  await own.page.goto(`${url}index.html?again=2`);
  const back = await waitStarted(own.page, own.logs);
  assert.equal(back.source, 'autosave');
  assert.equal(JSON.parse(await own.page.evaluate(() => window.trapeze.scenario())).name, 'Share-link test: two guests',
               'the reload kept the scenario on the screen, not the lab step');
  assert.equal((await lab(own.page)).open, LAB, 'the lab stays open beside it');
  log('a lab link keeps the earlier work aside; a reload keeps another scenario opened over a lab');
  log('ok');
} finally {
  await browser.close();
  server.close();
}
