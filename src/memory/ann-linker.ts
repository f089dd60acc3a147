// The memory's side of an index's linker thread (ann-link-thread.ts). node:worker_threads is
// imported on first use, so the browser entry never loads it; where it cannot load, the index
// links on its own thread.
import type { Worker } from 'node:worker_threads';
import type { LinkerAdd, LinkerDiff, LinkerInit } from './ann-link-protocol.js';

/** The linker thread's file: beside this one in dist/, or in dist/ when run from the sources. */
function linkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/memory/ann-link-thread.js', here);
  if (/\/memory\/[^/]+\.js$/.test(here)) return new URL('./ann-link-thread.js', here);
  return new URL('./memory/ann-link-thread.js', here);
}

/**
 * A worker thread linking a copy of an index's graph. The thread holds the process open only
 * while it has nodes to link (so `whenIndexed()` waits for it, and an idle memory that was never
 * closed does not keep a script from exiting).
 */
export class AnnLinker {
  private readonly worker: Worker;
  private busy = false;
  private closed = false;

  private constructor(worker: Worker, onDiff: (bytes: Uint8Array) => void, onFail: (error: Error) => void) {
    this.worker = worker;
    worker.unref();
    worker.on('message', (msg: LinkerDiff) => onDiff(msg.bytes));
    const fail = (error: Error) => {
      if (this.closed) return;
      this.closed = true;
      onFail(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the index's linker thread exited with code ${code}`)));
  }

  /** Starts a linker, or returns undefined where worker threads are not available. */
  static async start(init: LinkerInit, onDiff: (bytes: Uint8Array) => void, onFail: (error: Error) => void): Promise<AnnLinker | undefined> {
    let threads: typeof import('node:worker_threads');
    try {
      threads = await import('node:worker_threads');
    } catch {
      return undefined;
    }
    if (typeof threads.Worker !== 'function') return undefined;
    const worker = new threads.Worker(linkerUrl(), { workerData: init });
    return new AnnLinker(worker, onDiff, onFail);
  }

  /** Sends tombstones and appended vectors, in the order the serving index took them. */
  add(deletes: readonly number[], vectors: Float32Array): void {
    if (this.closed) return;
    const msg: LinkerAdd = { type: 'add', deletes, vectors };
    this.worker.postMessage(msg, [vectors.buffer as ArrayBuffer]);
    this.setBusy(true);
  }

  /** Whether the thread has work: it holds the process open only then. */
  setBusy(busy: boolean): void {
    if (busy === this.busy || this.closed) return;
    this.busy = busy;
    if (busy) this.worker.ref();
    else this.worker.unref();
  }

  /** Stops the thread (its graph is a copy: nothing is lost). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
  }
}
