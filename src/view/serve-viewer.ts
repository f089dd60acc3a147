// `weft view`'s server: node:http on 127.0.0.1 (unless told otherwise), serving the static page,
// two JSON endpoints and the live event stream, over a run store opened read-only. It answers
// GET and HEAD only, sends a strict Content-Security-Policy (scripts and styles from itself only,
// no inline code), and refuses requests whose Host is not its own, so a web page in the same
// browser cannot read the store through DNS rebinding.

import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { isWeftError, StoreMissingError } from '../errors.js';
import { openStore } from '../store/open-store.js';
import { LiveFeed } from './live-feed.js';
import { loadAssets } from './page-assets.js';
import { ViewReader } from './read-view.js';
import { resolveViewerOptions, type ViewerOptions } from './viewer-options.js';

/** A running viewer ({@link serveViewer}). */
export interface Viewer {
  /** Where the page is, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** Ends the live streams, stops the server and closes the store (idempotent). */
  close(): Promise<void>;
}

/** Sent with every response: the page's own script and styles only, nothing inline, no framing. */
export const VIEWER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
});

const WILDCARDS: Readonly<Record<string, string>> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

function checkFile(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new StoreMissingError(path);
  }
  if (!isFile) throw new StoreMissingError(path, 'not a file');
}

const hostPart = (host: string) => (isIP(host) === 6 ? `[${host}]` : host);

/**
 * Serves a page that lists the runs of the store at `options.path` and shows one: a Gantt chart
 * of its attempts, its task graph, the tasks with status, attempts, errors and outputs, and the
 * event log, updated live while another process writes the run. The store is opened read-only;
 * every value from it reaches the page as text.
 *
 * @example
 * ```ts
 * const viewer = await serveViewer({ path: 'runs.db' });
 * console.log(`open ${viewer.url}`);
 * // ...
 * await viewer.close();
 * ```
 * @throws StoreMissingError (`STORE_MISSING`) when there is no file at `path`; the store's errors
 *   (`STORE_FOREIGN`, `STORE_CORRUPT`, `STORE_VERSION`) naming the file; `VIEWER_NOT_BUILT` when
 *   the page was not built; the system's error when the port cannot be bound; TypeError/RangeError
 *   for a bad option; the signal's reason when it is already aborted.
 */
export async function serveViewer(options: ViewerOptions): Promise<Viewer> {
  const o = resolveViewerOptions(options);
  o.signal?.throwIfAborted();
  checkFile(o.path);
  const assets = loadAssets();
  const store = openStore({ path: o.path, readonly: true });
  const reader = new ViewReader(store, o);
  const feed = new LiveFeed(reader, o.path, o.pollMs);
  let allowedHosts: ReadonlySet<string> | undefined;

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(VIEWER_HEADERS)) res.setHeader(k, v);
    try {
      respond(req, res);
    } catch (error) {
      fail(res, error);
    }
  });

  function respond(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'weft view is read-only: GET and HEAD only\n');
    }
    if (allowedHosts !== undefined && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return send(res, 403, 'text/plain; charset=utf-8', 'unexpected Host header\n');
    }
    const url = new URL(req.url ?? '/', 'http://viewer.invalid');
    const asset = assets.get(url.pathname);
    if (asset !== undefined) return send(res, 200, asset.type, asset.body);
    if (url.pathname === '/api/runs') return json(res, 200, reader.runs());
    if (url.pathname.startsWith('/api/runs/')) return json(res, 200, reader.run(decodeURIComponent(url.pathname.slice('/api/runs/'.length))));
    if (url.pathname === '/api/events') {
      if (req.method === 'HEAD') return send(res, 200, 'text/event-stream; charset=utf-8', '');
      return feed.subscribe(res, url.searchParams.get('run') ?? undefined);
    }
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    store.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const shown = WILDCARDS[o.host] ?? o.host;
  const url = `http://${hostPart(shown)}:${port}/`;
  if (WILDCARDS[o.host] === undefined) {
    allowedHosts = new Set([o.host, 'localhost', '127.0.0.1', '::1'].map((h) => `${hostPart(h)}:${port}`.toLowerCase()));
  }

  let closing: Promise<void> | undefined;
  const onAbort = () => void close();
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      o.signal?.removeEventListener('abort', onAbort);
      feed.close();
      server.close(() => {
        store.close();
        resolve();
      });
      server.closeAllConnections();
    });
    return closing;
  }
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) {
    await close();
    throw o.signal.reason;
  }
  return { url, close };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** A failed read as JSON: an unknown run is 404, a bad run id 400, the store's other errors 503. */
function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.end();
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof URIError || error instanceof TypeError) return json(res, 400, { error: message });
  if (isWeftError(error)) return json(res, error.code === 'RUN_NOT_FOUND' ? 404 : 503, { error: message, code: error.code });
  json(res, 500, { error: message });
}
