// A pool of Web Workers for the browser entry: tasks with `worker: { module, export }` run on it
// when it is the workflow's `workerPool`, through the same engine gate as Node's threads (a ready
// worker task starts only when a worker is free, in the run's priority order). Each worker
// instantiates weft's WebAssembly module once, from the compiled module the pool posts. Stopping
// is real: a cancelled or timed-out attempt's worker is terminated, even inside a WASM loop, and
// a fresh one takes its place at once.

import { WorkerCrashedError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import { loadWeftModule } from '../kernels/index.js';
import type { WasmSource } from '../kernels/wasm/load.js';
import type { TaskPool } from './task-pool.js';
import type { Attempt, Executor } from './executor.js';
import { inProcessExecutor } from './in-process.js';
import type { WebWorkerJob, WebWorkerMessage } from './web-worker-protocol.js';
import { DEFAULT_WORKER_TASK_OPTIONS } from './worker-options.js';
import { fromPlainError } from './worker-protocol.js';
import { SlotCount } from './slot-count.js';

/** Which worker took an attempt (see {@link WebWorkerPoolOptions.onDispatch}). */
export interface WebWorkerDispatch {
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** The worker's index, `0 .. size - 1` (a replaced worker keeps its index). */
  readonly worker: number;
}

/** Options of {@link createWebWorkerPool}. */
export interface WebWorkerPoolOptions {
  /** Workers that run at once. @default navigator.hardwareConcurrency (4 where it is unknown) */
  readonly size?: number;
  /**
   * weft's WebAssembly module for the workers' kernels: compiled once here and posted; each worker
   * instantiates it once, when it starts (`false`: the workers use the TS kernels).
   * @default the bundled build/weft.wasm, by URL (TS kernels if it cannot load)
   */
  readonly wasm?: WasmSource | false;
  /**
   * The workers' script (a module worker): give it when a bundler moves files. The default is
   * `web-worker-thread.js` beside this module, in the form bundlers recognise
   * (`new Worker(new URL(..., import.meta.url), { type: 'module' })`).
   * @default new URL('./web-worker-thread.js', import.meta.url)
   */
  readonly url?: string | URL;
  /** Called as each attempt is posted to a worker (a live view's lanes). @default none */
  readonly onDispatch?: (dispatch: WebWorkerDispatch) => void;
  /**
   * Runs around each worker attempt, before it takes a worker: `next()` runs it. A hook may hold
   * an attempt first (`await attempt.context.suspend(reason)`: it waits suspended, holding no
   * worker, until `handle.resume(taskId)`), log it, or fail it.
   * @default none (`next()` at once)
   */
  readonly around?: (attempt: Attempt, next: () => Promise<unknown>) => unknown;
}

/** Defaults of {@link WebWorkerPoolOptions} (`size` is the browser's `navigator.hardwareConcurrency`). */
export const DEFAULT_WEB_WORKER_POOL_OPTIONS = Object.freeze({ fallbackSize: 4 });

/** Counters of a {@link WebWorkerPool}. */
export interface WebWorkerPoolStats {
  /** Workers started, replacements included. */
  readonly started: number;
  /** Workers terminated to stop an attempt (cancel, timeout) or after a crash, and replaced. */
  readonly replaced: number;
  /** Attempts posted to a worker. */
  readonly attempts: number;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: boolean;
  /** The attempt on this worker: its messages, and what kills it. */
  onMessage?: (message: WebWorkerMessage) => void;
  onCrash?: (error: Error) => void;
}

function defaultSize(): number {
  const n = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  return typeof n === 'number' && n >= 1 ? Math.min(n, 64) : DEFAULT_WEB_WORKER_POOL_OPTIONS.fallbackSize;
}

function absolute(module: string | URL): string {
  return new URL(module, typeof location === 'object' ? location.href : undefined).href;
}

/** Web Workers for tasks with `worker` (see {@link createWebWorkerPool}). */
export class WebWorkerPool implements TaskPool {
  /** Workers that run at once. */
  readonly size: number;
  /** The executor that runs an attempt of a task with `worker` on this pool (others run in the page). */
  readonly executor: Executor;
  /** Which kernels the workers loaded: known once the first worker is ready. */
  backend: 'wasm' | 'ts' | undefined;
  /** Why the workers use the TS kernels, when they do. */
  backendReason: string | undefined;
  private slots: Slot[] | undefined;
  private readonly slotCount: SlotCount;
  private module: Promise<WebAssembly.Module | undefined> | undefined;
  private readonly counts = { started: 0, replaced: 0, attempts: 0 };

  /** @param options - see {@link WebWorkerPoolOptions} */
  constructor(private readonly options: WebWorkerPoolOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an options object', options));
    this.size = options.size === undefined ? defaultSize() : checkInteger('size', options.size, 1, 1024);
    this.slotCount = new SlotCount(this.size, 'web worker pool is closed');
    if (options.url !== undefined && typeof options.url !== 'string' && !(options.url instanceof URL)) throw new TypeError(expectedMessage('url', 'a URL or a string', options.url));
    if (options.onDispatch !== undefined && typeof options.onDispatch !== 'function') throw new TypeError(expectedMessage('onDispatch', 'a function', options.onDispatch));
    if (options.around !== undefined && typeof options.around !== 'function') throw new TypeError(expectedMessage('around', 'a function', options.around));
    this.executor = Object.freeze({ name: 'web-worker', execute: (attempt: Attempt) => this.execute(attempt) });
  }

  /** The pool itself (it is a `TaskPool`): `workflow({ workerPool: pool })` and `workflow({ workerPool: pool.workerPool })` are the same. */
  get workerPool(): TaskPool {
    return this;
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.slotCount.isClosed;
  }

  /** Workers free right now. */
  get idle(): number {
    return this.slotCount.idle;
  }

  /** See {@link WebWorkerPoolStats}. */
  get stats(): WebWorkerPoolStats {
    return { ...this.counts };
  }

  /** Takes a free worker for one attempt, or returns `false`. Give it back with {@link release}. */
  tryAcquire(): boolean {
    return this.slotCount.tryAcquire();
  }

  /** Calls `wake` once when a worker may be free; returns a function that withdraws it. */
  onIdle(wake: () => void): () => void {
    return this.slotCount.onIdle(wake);
  }

  /** Gives a worker back and lets the waiters have it. */
  release(): void {
    this.slotCount.release();
  }

  /** Starts the workers (on first use otherwise) and resolves when every one has its kernels. */
  async ready(): Promise<void> {
    await Promise.all(this.start().map((s) => s.ready));
  }

  /** Terminates every worker; attempts on them fail. The pool cannot be used afterwards. */
  close(): void {
    if (!this.slotCount.close()) return;
    for (const slot of this.slots ?? []) {
      slot.worker.terminate();
      slot.onCrash?.(new Error('web worker pool is closed'));
    }
  }

  private start(): Slot[] {
    if (this.slotCount.isClosed) throw new Error('web worker pool is closed');
    const wasm = this.options.wasm;
    this.module ??= wasm === false ? Promise.resolve(undefined) : loadWeftModule(wasm).catch(() => undefined);
    this.slots ??= Array.from({ length: this.size }, (_, i) => this.spawn(i));
    return this.slots;
  }

  private spawn(index: number): Slot {
    const url = this.options.url;
    // Spelt out in full, with literal options, so that bundlers (Vite, webpack) find the worker's script.
    const worker = url === undefined ? new Worker(new URL('./web-worker-thread.js', import.meta.url), { type: 'module', name: 'weft-worker' }) : new Worker(url, { type: 'module', name: 'weft-worker' });
    this.counts.started++;
    let started = (): void => {};
    let failed: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    ready.catch(() => undefined);
    const slot: Slot = { index, worker, ready, busy: false };
    worker.onmessage = (event: MessageEvent<WebWorkerMessage>) => {
      const message = event.data;
      if (message.t === 'ready') {
        if (this.backend === undefined) {
          this.backend = message.backend;
          this.backendReason = message.reason;
        }
        started();
      } else slot.onMessage?.(message);
    };
    const crash = (why: string) => (event: Event) => {
      event.preventDefault(); // reported as the attempt's error, not as an uncaught one
      const error = new Error(`${why}: ${(event as ErrorEvent).message || 'no message'}`);
      failed(error);
      if (slot.onCrash !== undefined) slot.onCrash(error);
      else this.replace(slot);
    };
    worker.onerror = crash('web worker error');
    worker.onmessageerror = crash('a message from the web worker could not be read');
    void this.module!.then((module) => {
      if (!this.slotCount.isClosed) worker.postMessage({ t: 'init', wasm: module });
    });
    return slot;
  }

  /** Terminates a worker and starts another in its place (once: a slot already replaced is left alone). */
  private replace(slot: Slot): void {
    slot.worker.terminate();
    slot.onMessage = slot.onCrash = undefined;
    if (this.slotCount.isClosed || this.slots?.[slot.index] !== slot) return;
    this.counts.replaced++;
    this.slots[slot.index] = this.spawn(slot.index);
  }

  private execute(attempt: Attempt): unknown {
    if (attempt.task.worker === undefined) return inProcessExecutor.execute(attempt);
    const around = this.options.around;
    return around === undefined ? this.onWorker(attempt) : around(attempt, () => this.onWorker(attempt));
  }

  private onWorker(attempt: Attempt): Promise<unknown> {
    let held = false;
    const run = (): Promise<unknown> => {
      held = true;
      return this.runOnWorker(attempt);
    };
    const done = this.tryAcquire() ? run() : this.acquire(attempt.signal).then(run);
    const free = (): void => {
      if (held) this.release();
    };
    // Given back after the engine has seen the outcome, so the dependents it releases compete
    // for the worker with the tasks already waiting.
    queueMicrotask(() => void done.then(free, free));
    return done;
  }

  private acquire(signal: AbortSignal): Promise<void> {
    return this.slotCount.acquire(signal);
  }

  private async runOnWorker(attempt: Attempt): Promise<unknown> {
    const spec = attempt.task.worker!;
    const { taskId, signal } = attempt;
    if (spec.maxMemoryMb !== undefined || spec.cpuQuotaMs !== undefined) {
      throw new TypeError(`task \`${taskId}\`: worker.maxMemoryMb and worker.cpuQuotaMs are not available in Web Workers (browsers offer no per-worker heap limit or CPU clock)`);
    }
    signal.throwIfAborted();
    const slot = this.start().find((s) => !s.busy)!;
    slot.busy = true;
    try {
      await slot.ready;
    } catch (error) {
      slot.busy = false;
      this.replace(slot);
      throw new WorkerCrashedError(taskId, 'its web worker did not start', { cause: error });
    }
    signal.throwIfAborted();
    const job: WebWorkerJob = {
      t: 'task',
      module: absolute(spec.module),
      export: spec.export ?? DEFAULT_WORKER_TASK_OPTIONS.export,
      input: attempt.input,
      runId: attempt.runId,
      taskId,
      attempt: attempt.attempt,
      runInput: attempt.context.runInput,
      deadline: attempt.deadline,
    };
    return new Promise<unknown>((resolve, reject) => {
      const end = (): void => {
        signal.removeEventListener('abort', onAbort);
        slot.onMessage = slot.onCrash = undefined;
        slot.busy = false;
      };
      const onAbort = (): void => {
        end();
        this.replace(slot); // the hard kill: a loop never reads a signal
        reject(signal.reason);
      };
      slot.onMessage = (m) => {
        if (m.t === 'heartbeat') attempt.context.heartbeat(m.progress);
        else if (m.t === 'tokens') attempt.context.reportTokens(m.tokens);
        else if (m.t === 'done') {
          end();
          if (m.ok) resolve(m.value);
          else reject(fromPlainError(m.error));
        }
      };
      slot.onCrash = (error) => {
        end();
        this.replace(slot);
        reject(new WorkerCrashedError(taskId, error.message, { cause: error }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        slot.worker.postMessage(job);
      } catch (error) {
        end(); // the input cannot be cloned: the worker never saw the job
        reject(error);
        return;
      }
      this.counts.attempts++;
      this.options.onDispatch?.({ runId: attempt.runId, taskId, attempt: attempt.attempt, worker: slot.index });
    });
  }
}

/**
 * Creates a pool of Web Workers for tasks with `worker: { module, export }` (the module by URL).
 * Pass it as `workflow({ workerPool: pool })`.
 */
export function createWebWorkerPool(options?: WebWorkerPoolOptions): WebWorkerPool {
  return new WebWorkerPool(options);
}
