// `npm run demo [-- --port N]`: builds the demo page (demo/) with Vite and serves it on
// 127.0.0.1 with the cross-origin isolation headers; prints the URL. Ctrl-C stops it.
import { parseArgs } from 'node:util';
import { startDemo } from './start-demo.js';

const USAGE = 'usage: npm run demo -- [--port N] (default 5173; 0 picks a free port)';

function parse(): number | undefined {
  try {
    const { values } = parseArgs({ options: { port: { type: 'string', default: '5173' }, help: { type: 'boolean', default: false } } });
    if (values.help) return undefined;
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Expected \`--port\` to be an integer from 0 to 65535, got \`${values.port}\``);
    return port;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const port = parse();
if (port === undefined) {
  console.log(USAGE);
} else {
  const demo = await startDemo({ port });
  console.log(`weft demo: ${demo.url}`);
}
