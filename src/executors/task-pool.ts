// What the engine's gate needs of a pool that runs tasks with `worker`. Node's thread pool
// (`createWorkerPool`) and the browser's Web Worker pool (`createWebWorkerPool`) both are one, so
// the engine names neither: a browser bundle of the engine never reaches piscina.

import type { Executor } from './executor.js';

/** A pool of threads or workers that runs tasks with `worker` (see `WorkflowOptions.workerPool`). */
export interface TaskPool {
  /** Runs one attempt on a free thread or worker. */
  readonly executor: Executor;
  /** Threads or workers free right now. */
  readonly idle: number;
  /** Whether the pool was closed (its attempts then fail at once). */
  readonly isClosed: boolean;
  /** Calls `wake` once, when a thread or worker is next free; returns the unsubscribe function. */
  onIdle(wake: () => void): () => void;
  /** Ends the threads or workers (their attempts fail). */
  close(): void | Promise<void>;
}

/** How the process-wide pool is had and closed (Node's thread pool installs one). */
export interface DefaultTaskPool {
  load(): Promise<TaskPool>;
  close(): Promise<void>;
}

let fallback: DefaultTaskPool | undefined;

/**
 * @internal Installs the process-wide pool (Node's thread pool module does when it loads).
 * Without it, a worker task in a workflow without `workerPool` fails with a clear error.
 */
export function setDefaultTaskPool(pool: DefaultTaskPool): void {
  fallback = pool;
}

/** @internal The process-wide pool, or `undefined` where none is installed (the browser entry). */
export function loadDefaultTaskPool(): Promise<TaskPool> | undefined {
  return fallback?.load();
}

/** @internal Closes the process-wide pool if there is one. */
export async function closeDefaultTaskPool(): Promise<void> {
  await fallback?.close();
}
