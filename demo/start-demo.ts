// Builds the demo with Vite and serves the build with Vite's preview server on 127.0.0.1 (with
// the cross-origin isolation headers of vite.config.ts): what `npm run demo` does, and what the
// end-to-end tests (test/demo/) and the browser benchmark (bench/browser.bench.ts) start.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url));

/** Options of {@link startDemo}. */
export interface StartDemoOptions {
  /** The port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Where the build goes. @default demo/.build */
  readonly outDir?: string;
  /** Minify the bundle (off saves the tests a few seconds). @default true */
  readonly minify?: boolean;
}

/** A served demo: its URL, and how to stop the server. */
export interface StartedDemo {
  readonly url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Builds the demo and serves it; resolves once the server listens. */
export async function startDemo(options: StartDemoOptions = {}): Promise<StartedDemo> {
  const outDir = options.outDir === undefined ? {} : { outDir: options.outDir };
  // 'error': the Node-only chunks weft imports lazily (SQLite, worker threads) make Vite warn about node: modules.
  await build({ configFile, logLevel: 'error', build: { ...outDir, minify: options.minify ?? true } });
  const port = options.port || (await freePort());
  const server = await preview({ configFile, logLevel: 'warn', build: outDir, preview: { port, strictPort: true } });
  return { url: server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`, close: () => server.close() };
}
