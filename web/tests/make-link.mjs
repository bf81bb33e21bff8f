// Makes a share link (or an embed link) for a scenario file from the command
// line, the same as the page's "Copy link": the document {"trapeze": 1,
// "scenario": ...} compressed with raw deflate and base64url-encoded. Course staff
// use it to put scenarios into their pages without opening a browser.
//
//   node web/tests/make-link.mjs scenarios/uk-bit-problem.json
//       -> index.html#s=1.DATA
//   node web/tests/make-link.mjs scenarios/uk-bit-problem.json --embed --panels guests,counters --read-only
//       -> embed.html#s=1.DATA&panels=guests,counters&ro=1
// Prefix the result with where the site is hosted. The scenario is checked by the
// page when the link is opened; guests given as "file" must be ones the site
// bundles (the repository's guests/).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { embed: { type: 'boolean' }, panels: { type: 'string' }, 'read-only': { type: 'boolean' } },
});
if (positionals.length !== 1) {
  console.error('usage: make-link.mjs SCENARIO.json [--embed] [--panels a,b] [--read-only]');
  process.exit(2);
}
let scenario;
try {
  scenario = JSON.parse(fs.readFileSync(positionals[0], 'utf8'));
} catch (e) {
  console.error(`make-link.mjs: ${positionals[0]}: ${e.message}`);
  process.exit(1);
}
const document = JSON.stringify({ trapeze: 1, scenario });
let fragment = 's=1.' + zlib.deflateRawSync(Buffer.from(document), { level: 9 }).toString('base64url');
if (values.panels) fragment += '&panels=' + values.panels;
if (values['read-only']) fragment += '&ro=1';
console.log((values.embed ? 'embed.html#' : 'index.html#') + fragment);
