// A scenario's per-guest machine fields reach the VMM on the page's path
// (trapeze.loadScenario -> the Session -> the one guest builder): "tc_capacity"
// (a small translation cache evicts, the default one does not) and "block" (a
// queue of 2 takes a second command, the default depth of 1 rejects it), read
// back through trapeze.state(); the exported document keeps both fields.
//
//   node web-guest-fields.mjs --site build/wasm/site --artifacts build/release/browser-artifacts
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { siteArgs, openStarted, assertNoViolations, screenshot } from './lib/web.mjs';

const opts = siteArgs('web-guest-fields.mjs');
const { server, url } = await startServer(opts.site);
const browser = await launchBrowser();

const blockSource = 'li r1, 1\nout PORT_BLK_COUNT, r1\nout PORT_BLK_CMD, r1\nout PORT_BLK_CMD, r1\nhalt\n';
const scenario = {
  version: 1,
  name: 'Guest fields reach the VMM',
  guests: [
    { name: 'tc 32', file: '../guests/mini-os/mini-os.s', memory: '1M', strategy: 'bt', tc_capacity: 32 },
    { name: 'tc default', file: '../guests/mini-os/mini-os.s', memory: '1M', strategy: 'bt' },
    { name: 'queue 2', source: blockSource, strategy: 'native', block: { queue_depth: 2 } },
    { name: 'queue 1', source: blockSource, strategy: 'native' },
  ],
};

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openStarted(context, url + 'index.html');
  const loaded = await page.evaluate((s) => window.trapeze.loadScenario(s), scenario);
  assert.deepEqual(loaded, { ok: true, error: null });
  // The state's one counters shape: {machine, vmm} (docs/js-api.md); flattened here.
  const counters = async () => (await page.evaluate(() => window.trapeze.state())).guests
    .map((g) => ({ ...g.counters.machine, ...g.counters.vmm }));
  // Run until both bt guests have translated more code than 32 instructions hold.
  for (let k = 0; k < 50; ++k) {
    const c = await counters();
    if (c[0].bt_instructions_translated > 200 && c[1].bt_instructions_translated > 200) break;
    await page.evaluate(() => window.trapeze.run(200000));
  }
  const c = await counters();
  assert.ok(c[0].bt_instructions_translated > 200 && c[1].bt_instructions_translated > 200,
            `enough kernel code translated: ${c[0].bt_instructions_translated}, ${c[1].bt_instructions_translated}`);
  assert.ok(c[0].bt_evictions > 0, `tc_capacity 32 evicts (bt_evictions ${c[0].bt_evictions})`);
  assert.equal(c[1].bt_evictions, 0, 'the default cache holds mini-os');
  assert.equal(c[2].blk_rejected, 0, 'a queue of 2 takes the second command');
  assert.equal(c[2].blk_requests, 2);
  assert.equal(c[3].blk_rejected, 1, 'the default depth of 1 rejects it');
  assert.equal(c[3].blk_requests, 1);

  const exported = JSON.parse(await page.evaluate(() => window.trapeze.scenario()));
  assert.equal(exported.guests[0].tc_capacity, 32);
  assert.equal(exported.guests[1].tc_capacity, undefined);
  assert.equal(exported.guests[2].block.queue_depth, 2);
  assert.equal(exported.guests[3].block, undefined);
  await assertNoViolations(page, 'guest fields');
  console.log('web-guest-fields: screenshot ' + await screenshot(page, opts.artifacts, 'web-guest-fields.png'));
  console.log('web-guest-fields: ok');
} finally {
  await browser.close();
  server.close();
}
