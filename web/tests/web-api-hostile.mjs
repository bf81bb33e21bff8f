// window.trapeze with wrong arguments, in headless Chromium: every public function
// taking arguments is called with each hostile value (wrong types, null, NaN and
// Infinity, a huge array, a Symbol, a BigInt, a function, an object that cannot be
// written as JSON or throws when converted) in every argument. None throws (or
// rejects); those returning {ok, error} return ok: false with an error naming the
// function and what it expected; the others return false, 0 or null; nothing runs
// and the document does not change.
//
//   node web-api-hostile.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertAppWorks } from './lib/web.mjs';

const opts = siteArgs('web-api-hostile.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html');
  const problems = await page.evaluate(async () => {
    const T = window.trapeze;
    T.setRunning(false);
    const circular = {};
    circular.self = circular;
    const throwing = { toJSON() { throw new Error('toJSON'); }, valueOf() { throw new Error('valueOf'); },
                       toString() { throw new Error('toString'); } };
    // [name, value]
    const hostile = [
      ['undefined', undefined], ['null', null], ['true', true], ['NaN', NaN], ['Infinity', Infinity], ['-1', -1],
      ['2**32', 2 ** 32], ['1e300', 1e300], ['0.5', 0.5], ['"0"', '0'], ['"text"', 'text'], ['""', ''],
      ['{}', {}], ['[]', []], ['huge array', new Array(1e6).fill(7)], ['Symbol', Symbol('x')],
      ['BigInt', 10n], ['function', () => 1], ['circular', circular], ['throwing', throwing],
      ['Int16Array', new Int16Array(4)],
    ];
    const LAB = T.lab().labs[0].name;
    // shape: 'ok' ({ok, error}), 'false', 'zero', 'null', 'any'; the values of the right
    // type (then the app may refuse the content, in its own words): text (JSON text or
    // an object JSON can write), strings, numbers, valid (by name). skip: values that
    // are right and would change something.
    const calls = [
      { f: 'loadScenario', args: (v) => [v], shape: 'ok', text: true },
      { f: 'setUi', args: (v) => [v], shape: 'ok', text: true },
      { f: 'setAppearance', args: (v) => [v], shape: 'ok', text: true },
      { f: 'restore', args: (v) => [v], shape: 'ok' },
      { f: 'loadDocument', args: (v) => [v, false], shape: 'ok', strings: true },
      { f: 'importScenario', args: (v) => [v], shape: 'ok', strings: true },
      { f: 'openLink', args: (v) => [v], shape: 'ok', strings: true, valid: ['undefined', 'null', '""'] },
      { f: 'openLink', args: (v) => ['#panels=editor', v], shape: 'ok', valid: hostile.map((h) => h[0]) },
      { f: 'restoreLab', args: (v) => [v], shape: 'ok', strings: true },
      { f: 'setStrategy', args: (v) => [v, 'trap'], shape: 'ok' },
      { f: 'setStrategy', args: (v) => [0, v], shape: 'ok', strings: true },
      { f: 'setSource', args: (v) => [v, '_start: halt\n'], shape: 'ok' },
      { f: 'setSource', args: (v) => [0, v], shape: 'ok', skip: ['"0"', '"text"', '""'] },
      { f: 'restart', args: (v) => [v], shape: 'ok', skip: ['undefined'] },
      { f: 'openLab', args: (v) => [v, 1], shape: 'ok', strings: true },
      { f: 'openLab', args: (v) => [LAB, v], shape: 'ok', skip: ['undefined'] },
      { f: 'setLabAnswer', args: (v) => [v, '1'], shape: 'ok', strings: true },
      { f: 'setLabAnswer', args: (v) => ['no-such-id', v], shape: 'ok', strings: true, numbers: true },
      { f: 'runExperiment', args: (v) => [v], shape: 'ok', strings: true },
      { f: 'run', args: (v) => [v], shape: 'zero', skip: ['2**32', '1e300'] },  // right type: they would run
      { f: 'step', args: (v) => [v], shape: 'false' },
      { f: 'stepBack', args: (v) => [v], shape: 'false' },
      { f: 'runBack', args: (v) => [v], shape: 'false' },
      { f: 'goTo', args: (v) => [v, 0], shape: 'false' },
      { f: 'goTo', args: (v) => [0, v], shape: 'false' },
      { f: 'rewind', args: (v) => [v], shape: 'null' },
      { f: 'console', args: (v) => [v], shape: 'null' },
      { f: 'consoleDiff', args: (v) => [v], shape: 'null' },
      { f: 'onReady', args: (v) => [v], shape: 'any' },
      { f: 'setRunning', args: (v) => [v], shape: 'any' },
    ];
    const before = { doc: T.scenario(), changes: T.changeCount(), cycles: T.state().hostCycles };
    const out = [];
    const writable = (name, v) => typeof v === 'string' ||
      (v !== null && typeof v === 'object' && !['circular', 'throwing'].includes(name));
    for (const c of calls) {
      for (const [name, v] of hostile) {
        if ((c.skip || []).includes(name)) continue;
        const where = `${c.f}(${c.args(name).map(String).join(', ')})`;
        let r;
        try {
          r = await T[c.f](...c.args(v));
        } catch (e) {
          out.push(`${where} threw ${e && e.name}: ${e && e.message}`);
          continue;
        }
        if (c.f === 'setRunning') T.setRunning(false);
        const rightType = (c.valid || []).includes(name) || (c.text && writable(name, v)) ||
          (c.strings && typeof v === 'string') || (c.numbers && Number.isFinite(v));
        if (c.shape === 'ok') {
          if (!r || typeof r.ok !== 'boolean') out.push(`${where} returned ${JSON.stringify(r)}`);
          else if (!r.ok && !(typeof r.error === 'string' && r.error)) out.push(`${where}: ok false without an error`);
          else if (!rightType && r.ok) out.push(`${where} accepted it`);
          else if (!rightType && !r.error.startsWith(c.f + ': expected ')) out.push(`${where}: unclear error "${r.error}"`);
        } else if (c.shape === 'false' && r !== false) out.push(`${where} returned ${r}`);
        else if (c.shape === 'zero' && r !== 0) out.push(`${where} returned ${r}`);
        else if (c.shape === 'null' && r !== null) out.push(`${where} returned ${JSON.stringify(r)}`);
      }
    }
    const after = { doc: T.scenario(), changes: T.changeCount(), cycles: T.state().hostCycles };
    if (after.doc !== before.doc) out.push('the document changed');
    if (after.changes !== before.changes) out.push(`the change count went ${before.changes} -> ${after.changes}`);
    if (after.cycles !== before.cycles) out.push(`guests ran: ${before.cycles} -> ${after.cycles} host cycles`);
    return out;
  });
  assert.deepEqual(problems, [], 'wrong arguments:\n' + problems.join('\n'));
  // The refusals read well: one example of each kind.
  const examples = await page.evaluate(() => [window.trapeze.restore('text').error,
                                              window.trapeze.setStrategy(null, 'trap').error,
                                              window.trapeze.loadScenario(42).error]);
  assert.deepEqual(examples, ['restore: expected a Uint8Array or an ArrayBuffer, got a string',
                              'setStrategy: expected a guest index, got null',
                              'loadScenario: expected a JSON string or an object, got a number']);
  console.log('web-api-hostile: ' + examples.map((e) => `"${e}"`).join(', '));
  await assertAppWorks(page, 'after the hostile calls');
  console.log('web-api-hostile: ok');
} finally {
  await browser.close();
  server.close();
}
