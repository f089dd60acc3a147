// The page's live updates: server-sent events. While a page is connected the server looks at the
// store's file and its WAL every `pollMs` (two stat calls); when either changed (another process
// committed) it reads the runs list and each watched run again through the read-only store, and
// sends what differs from what it last sent. SQLite's WAL lets this reader see the writer's
// commits as they land, without a lock on the writer. A read is also forced every 2 s, so a
// commit that left both files' size and time unchanged (clock granularity) is not missed for long.

import { statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ViewReader } from './read-view.js';
import type { RunsView } from './view-types.js';

const FORCED_READ_MS = 2000;

interface Client {
  readonly res: ServerResponse;
  readonly runId: string | undefined;
}

function stamp(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return '-';
  }
}

const frame = (event: string, json: string) => `event: ${event}\ndata: ${json}\n\n`;

/** Pushes the runs list and watched runs to connected pages as the store changes. */
export class LiveFeed {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private signature = '';
  private lastRead = 0;
  private runsSent: string | undefined;
  private listed: RunsView | undefined;
  /** What was last sent of each watched run (JSON). */
  private readonly sent = new Map<string, string>();

  /**
   * @param reader - reads the store
   * @param path - the store's file (its `-wal` beside it is watched too)
   * @param pollMs - how often to look for changes while a page is connected
   */
  constructor(
    private readonly reader: ViewReader,
    private readonly path: string,
    private readonly pollMs: number,
  ) {}

  /** Starts an event stream on `res` (headers already set by the caller): the runs list, and run `runId` when given. */
  subscribe(res: ServerResponse, runId: string | undefined): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const client: Client = { res, runId };
    this.clients.add(client);
    // The response's close: the page went away (or the server is closing), whichever comes first.
    res.on('close', () => {
      this.clients.delete(client);
      if (runId !== undefined && ![...this.clients].some((c) => c.runId === runId)) this.sent.delete(runId);
      if (this.clients.size === 0) this.stop();
    });
    // The newcomer gets the current state; the others get only what changed meanwhile.
    this.refresh(client);
    this.timer ??= setInterval(() => this.tick(), this.pollMs);
  }

  /** Ends every stream and stops polling. */
  close(): void {
    this.stop();
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const signature = `${stamp(this.path)} ${stamp(`${this.path}-wal`)}`;
    const now = Date.now();
    if (signature === this.signature && now - this.lastRead < FORCED_READ_MS) return;
    this.signature = signature;
    this.refresh(undefined);
  }

  /** Reads again and sends what changed; `newcomer` also gets everything it watches. */
  private refresh(newcomer: Client | undefined): void {
    this.lastRead = Date.now();
    this.listed = undefined;
    const runs = this.read(() => (this.listed = this.reader.runs()), undefined);
    this.send(runs, this.runsSent, [...this.clients], newcomer);
    this.runsSent = runs;
    const watched = new Set<string>();
    for (const c of this.clients) if (c.runId !== undefined) watched.add(c.runId);
    for (const runId of watched) {
      const message = this.read(() => this.reader.run(runId, this.listed?.runs), runId);
      this.send(message, this.sent.get(runId), [...this.clients].filter((c) => c.runId === runId), newcomer);
      this.sent.set(runId, message);
    }
  }

  /** A read as one SSE frame: `runs` or `run` with its JSON, or `problem` with the error's message and code. */
  private read(fn: () => unknown, runId: string | undefined): string {
    try {
      return frame(runId === undefined ? 'runs' : 'run', JSON.stringify(fn()));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return frame('problem', JSON.stringify({ runId, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined }));
    }
  }

  private send(message: string, last: string | undefined, to: readonly Client[], newcomer: Client | undefined): void {
    for (const c of to) if (message !== last || c === newcomer) c.res.write(message);
  }
}
