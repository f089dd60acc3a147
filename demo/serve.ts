// `npm run demo [-- --port N]`: builds the demo page (demo/) with Vite and serves it on
// 127.0.0.1 with the cross-origin isolation headers; prints the URL. Ctrl-C stops it.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const USAGE = 'usage: npm run demo -- [--port N] (default 5173; 0 picks a free port)';
const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

function port(): number | undefined {
  try {
    const { values } = parseArgs({ options: { port: { type: 'string', default: '5173' }, help: { type: 'boolean', default: false } } });
    if (values.help) return undefined;
    const p = Number(values.port);
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`Expected \`--port\` to be an integer from 0 to 65535, got \`${values.port}\``);
    return p;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const p = port();
if (p === undefined) {
  console.log(USAGE);
} else {
  await build({ configFile, logLevel: 'warn' });
  const server = await preview({ configFile, preview: { port: p, strictPort: true } });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${p}/`;
  console.log(`weft demo: ${url}`);
}
