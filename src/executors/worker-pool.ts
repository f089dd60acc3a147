// A pool of worker threads (piscina underneath) with one count of busy threads across its
// piscina instances (one per memory limit: resourceLimits are fixed when a thread starts). Work
// is handed to piscina only when a thread is free, so piscina's own FIFO never holds a task
// behind a busy thread: what waits, waits in the engine's priority heap (worker-gate.ts) or in
// this pool's FIFO of waiters. Threads are unref'ed: an idle pool never keeps the process alive.

import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import { loadWeftModule } from '../kernels/index.js';
import type { WasmSource } from '../kernels/wasm/load.js';
import type { Attempt, Executor } from './executor.js';
import { runAgentOnThread } from './worker-agent.js';
import { runWorkerAttempt, type AttemptPool } from './worker-attempt.js';
import { ThreadLinks } from './worker-link.js';
import { fromPlainError, type PlainError } from './worker-protocol.js';
import { setDefaultTaskPool } from './task-pool.js';
import { SlotCount } from './slot-count.js';

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Threads that run at once (per memory limit, at most this many exist). @default os.availableParallelism() */
  readonly threads?: number;
  /**
   * weft's WebAssembly module for the threads' kernels: compiled once here and posted, each
   * thread instantiates it once (`false`: the threads use the TS kernels).
   * @default the bundled build/weft.wasm (TS kernels if it cannot load)
   */
  readonly wasm?: WasmSource | false;
  /**
   * On cancel or timeout, how long a worker task has to return after its `ctx.signal` aborts
   * before its thread is terminated. 0: terminated at once (a thread stuck in a loop never sees
   * its signal anyway).
   * @default 0
   */
  readonly cancelGraceMs?: number;
  /**
   * Automatic heartbeats: an attempt whose thread has sent no `ctx.heartbeat()` for this long
   * gets a `task:heartbeat` (with no progress) on its behalf, while its thread is alive (checked
   * every `heartbeatMs / 2`), so a task that never beats still shows it is running. 0: none.
   * @default 1000
   */
  readonly heartbeatMs?: number;
}

/** Defaults of {@link WorkerPoolOptions} (`threads` is the machine's available parallelism). */
export const DEFAULT_WORKER_POOL_OPTIONS = Object.freeze({ cancelGraceMs: 0, heartbeatMs: 1000 });

/** An event-loop utilisation reading (as `performance.eventLoopUtilization()` returns). */
export interface LoopUtilization {
  readonly idle: number;
  readonly active: number;
  readonly utilization: number;
}

/** A pool thread: the part of Node's `Worker` weft reads (typed here, so the package's types need no @types/node). */
export interface PoolThread {
  readonly threadId: number;
  readonly performance: { eventLoopUtilization(since?: LoopUtilization, until?: LoopUtilization): LoopUtilization };
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/** The piscina instance of one memory limit, as weft uses it. */
export interface ThreadSet {
  run(job: unknown, options?: { signal?: AbortSignal; transferList?: never[] }): Promise<unknown>;
  readonly threads: readonly PoolThread[];
}

/** Worker threads for tasks with `worker` (see {@link createWorkerPool}). */
export class WorkerPool {
  /** Threads that run at once. */
  readonly threads: number;
  private readonly slots: SlotCount;
  /** See {@link WorkerPoolOptions.cancelGraceMs}. */
  readonly cancelGraceMs: number;
  /** See {@link WorkerPoolOptions.heartbeatMs}. */
  readonly heartbeatMs: number;
  /** The executor that runs an attempt of a task with `worker` on this pool (an agent task's through its agent's schemas). */
  readonly executor: Executor;
  // The threads' links (private: the package's types name no Node type, and these would).
  private readonly links: ThreadLinks;
  private readonly ready = new Map<number, Piscina>();
  private readonly pools = new Map<number, Promise<Piscina>>();
  private readonly live = new Set<Piscina>();
  private readonly threadErrors = new Map<number, Error>();
  private module: Promise<WebAssembly.Module | undefined> | undefined;
  private readonly wasm: WasmSource | false | undefined;
  /** Thread errors that no task was running to receive (a timer that threw after its task returned). */
  strayErrors = 0;

  /** @param options - see {@link WorkerPoolOptions} */
  constructor(options: WorkerPoolOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an options object', options));
    this.threads = options.threads === undefined ? availableParallelism() : checkInteger('threads', options.threads, 1, 1024);
    this.slots = new SlotCount(this.threads, 'worker pool is closed');
    this.cancelGraceMs = options.cancelGraceMs === undefined ? DEFAULT_WORKER_POOL_OPTIONS.cancelGraceMs : checkInteger('cancelGraceMs', options.cancelGraceMs, 0);
    this.heartbeatMs = options.heartbeatMs === undefined ? DEFAULT_WORKER_POOL_OPTIONS.heartbeatMs : checkInteger('heartbeatMs', options.heartbeatMs, 0);
    this.wasm = options.wasm;
    this.links = new ThreadLinks(this.heartbeatMs);
    const pool: AttemptPool = {
      cancelGraceMs: this.cancelGraceMs,
      links: this.links,
      tryAcquire: () => this.tryAcquire(),
      acquire: (signal) => this.acquire(signal),
      release: () => this.release(),
      takeThreadError: (id) => this.takeThreadError(id),
      started: (maxMemoryMb) => this.started(maxMemoryMb),
      piscina: (maxMemoryMb) => this.piscina(maxMemoryMb),
      thread: (threadId) => this.thread(threadId),
    };
    this.executor = Object.freeze({
      name: 'worker',
      execute: (attempt: Attempt) => (attempt.task.agent === undefined ? runWorkerAttempt(pool, attempt) : runAgentOnThread(pool, attempt)),
    });
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.slots.isClosed;
  }

  /** Threads free right now. */
  get idle(): number {
    return this.slots.idle;
  }

  /** Takes a free thread for one job, or returns `false`. Give it back with {@link release}. */
  tryAcquire(): boolean {
    return this.slots.tryAcquire();
  }

  /** Waits for a free thread (FIFO among waiters) and takes it. */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.slots.acquire(signal);
  }

  /**
   * Calls `wake` once when a thread is free (the engine's runs use it to start their best waiting
   * task). Returns a function that withdraws it.
   */
  onIdle(wake: () => void): () => void {
    return this.slots.onIdle(wake);
  }

  /** Gives a thread back and lets the waiters have it. */
  release(): void {
    this.slots.release();
  }

  /** The piscina instance for threads with heap limit `maxMemoryMb` (0: none), started on first use. */
  piscina(maxMemoryMb: number): Promise<ThreadSet> {
    if (this.slots.isClosed) return Promise.reject(new Error('worker pool is closed'));
    let pool = this.pools.get(maxMemoryMb);
    if (pool === undefined) {
      pool = this.start(maxMemoryMb);
      this.pools.set(maxMemoryMb, pool);
    }
    return pool as Promise<ThreadSet>;
  }

  /** @internal The started piscina instance of limit `maxMemoryMb`, or `undefined` (no promise to wait for on the hot path). */
  started(maxMemoryMb: number): ThreadSet | undefined {
    return this.slots.isClosed ? undefined : (this.ready.get(maxMemoryMb) as ThreadSet | undefined);
  }

  private async start(maxMemoryMb: number): Promise<Piscina> {
    this.module ??= this.wasm === false ? Promise.resolve(undefined) : loadWeftModule(this.wasm).catch(() => undefined);
    const wasm = await this.module;
    if (this.slots.isClosed) throw new Error('worker pool is closed');
    const pool = new Piscina({
      filename: workerEntryUrl().href,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: 1,
      // The threads' event loops stay free between jobs (no Atomics.wait): timers a task left
      // behind fire there, and their utilisation reads true.
      atomics: 'disabled',
      ...(maxMemoryMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.max(1, Math.min(16, maxMemoryMb >> 2)) } } : {}),
      workerData: { wasm },
    });
    // A thread that dies with no task on it: piscina replaces it; nothing to fail, but an unheard
    // 'error' event would take the process down.
    pool.on('error', () => this.strayErrors++);
    pool.on('message', (m: { weftThreadError?: PlainError; job?: number }) => {
      if (this.links.accept(m)) return;
      if (m?.weftThreadError !== undefined && typeof m.job === 'number' && m.job > 0) {
        this.threadErrors.set(m.job, fromPlainError(m.weftThreadError));
        if (this.threadErrors.size > 64) this.threadErrors.delete(this.threadErrors.keys().next().value!); // an attempt that never asked
      }
    });
    this.live.add(pool);
    this.ready.set(maxMemoryMb, pool);
    return pool;
  }

  /** @internal What killed the thread that ran job `id`, as it reported before dying (once). */
  takeThreadError(id: number): Error | undefined {
    const error = this.threadErrors.get(id);
    this.threadErrors.delete(id);
    return error;
  }

  /** The thread with this `threadId`, if it is one of the pool's. */
  thread(threadId: number): PoolThread | undefined {
    for (const pool of this.live) for (const t of pool.threads) if (t.threadId === threadId) return t as PoolThread;
    return undefined;
  }

  /** Every thread of the pool now. */
  get workers(): readonly PoolThread[] {
    return [...this.live].flatMap((p) => p.threads as PoolThread[]);
  }

  /** Terminates every thread; running jobs fail. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    // Whoever waits for a thread learns now that none will come (their jobs fail).
    if (!this.slots.close()) return;
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.ready.clear();
    this.links.close();
    await Promise.all(pools.map((p) => p.then((pool) => pool.destroy(), () => undefined)));
    this.live.clear();
  }
}

/** Creates a pool of worker threads for tasks with `worker` (pass it as `workflow({ workerPool })`). */
export function createWorkerPool(options?: WorkerPoolOptions): WorkerPool {
  return new WorkerPool(options);
}

let shared: WorkerPool | undefined;

/** The process-wide pool that workflows without a `workerPool` use, created on first use. */
export function defaultWorkerPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}

// Loading this module (the Node entry does) makes its pool the engine's fallback; the browser
// entry never loads it, so a browser bundle of the engine does not pull piscina in.
setDefaultTaskPool({ load: async () => defaultWorkerPool(), close: () => closeWorkers() });

/** Closes the process-wide pool (a later worker task creates a new one). */
export async function closeWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/**
 * The thread's code, compiled JS wherever this file is: beside it in dist/executors/, one level
 * down from a bundled chunk in dist/, and in dist/ when running from the TypeScript source.
 */
export function workerEntryUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/executors/worker-thread.js', here);
  if (/\/executors\/[^/]+\.js$/.test(here)) return new URL('./worker-thread.js', here);
  return new URL('./executors/worker-thread.js', here);
}
