// Serves the built site on 127.0.0.1 and prints its URL (used by ci/play).
//   node serve.mjs --site build/wasm/site [--port 8080]
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.mjs';

const { values } = parseArgs({ options: { site: { type: 'string' }, port: { type: 'string', default: '8080' } } });
if (!values.site) {
  console.error('usage: serve.mjs --site DIR [--port N]');
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve.mjs: bad port '${values.port}'`);
  process.exit(2);
}
try {
  const { url } = await startServer(values.site, { port });
  console.log(`Trapeze is served at ${url}  (Ctrl+C to stop)`);
} catch (e) {
  console.error(`serve.mjs: cannot listen on 127.0.0.1:${port}: ${e.code || e.message}`);
  process.exit(1);
}
