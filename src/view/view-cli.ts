// `weft view DB`: serves the viewer until interrupted, printing its URL.

import { parseArgs } from 'node:util';
import { isWeftError } from '../errors.js';
import { serveViewer } from './serve-viewer.js';
import { DEFAULT_VIEWER_OPTIONS } from './viewer-options.js';

/** Where the command writes. */
export interface ViewIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The usage text of `weft view`. */
export const VIEW_USAGE = `Usage: weft view <db> [--port N] [--host H]

Serves a local page that lists the runs of a run store (a file written by openStore({ path }))
and shows one: a Gantt chart of its attempts, its task graph, the tasks with status, attempts,
errors and outputs, and the event log, updated live while another process writes the run. The
file is opened read-only. Prints the page's URL, then serves until interrupted (Ctrl-C).

Options:
  -p, --port N   the TCP port, 0 for a free one             [default: ${DEFAULT_VIEWER_OPTIONS.port}]
      --host H   the address to bind (any other than a loopback address lets others on the
                 network read the store's runs, outputs and errors)   [default: ${DEFAULT_VIEWER_OPTIONS.host}]

Exit codes: 0 stopped, 2 bad usage, a missing or unreadable store, or a port that cannot be bound.`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n > 65535) throw new RangeError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * Runs `weft view ...` with `args` (after the command name) until `signal` aborts (by default:
 * until SIGINT or SIGTERM). Returns the exit code.
 */
export async function viewCommand(args: readonly string[], io: ViewIo, signal?: AbortSignal): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (signal === undefined) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      io.stdout.write(`${VIEW_USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new RangeError(`expected one database file: weft view <db>${positionals.length > 1 ? `, got ${positionals.length}` : ''}`);
    const [path] = positionals;
    const viewer = await serveViewer({ path, port: parsePort(values.port), host: values.host, signal: controller.signal });
    io.stdout.write(`weft view: ${path} at ${viewer.url} (read-only; Ctrl-C to stop)\n`);
    if (values.host !== undefined && !LOOPBACK.has(values.host)) {
      io.stderr.write(`weft view: bound to ${values.host}, not a loopback address: whoever can reach it can read this store's runs, outputs and errors\n`);
    }
    await new Promise((resolve) => (controller.signal.aborted ? resolve(undefined) : controller.signal.addEventListener('abort', resolve, { once: true })));
    await viewer.close();
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // Bad flags (parseArgs' errors are TypeErrors with a code), bad files, busy ports: said in one line.
    if (error instanceof TypeError || error instanceof RangeError || isWeftError(error) || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) {
      const hint = error instanceof TypeError || error instanceof RangeError ? '\nRun `weft --help` for usage.' : '';
      io.stderr.write(`weft view: ${(error as Error).message}${hint}\n`);
      return 2;
    }
    if (controller.signal.aborted) return 0;
    throw error;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    signal?.removeEventListener('abort', stop);
  }
}
