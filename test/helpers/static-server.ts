// A minimal static file server on 127.0.0.1 for browser tests: pages must be served over http
// (not file://) for ES modules and fetch() of the .wasm to behave as they do for users.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves files below `root`; resolves with the server and its base URL. */
export async function serveStatic(root: URL): Promise<{ server: Server; base: string }> {
  const rootPath = fileURLToPath(root);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = rootPath + path;
    if (!file.startsWith(rootPath.endsWith(sep) ? rootPath : rootPath + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { server, base: `http://127.0.0.1:${address.port}` };
}
