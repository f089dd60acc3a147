// What a task says to run in a worker thread, and its validation. Kept free of Node imports: the
// task spec type (workflow/types.ts) names it, and the browser entry loads the engine.

import { checkInteger, expectedMessage } from '../internal/validate.js';

/**
 * `TaskSpec.worker`: run the task in a worker thread of a pool (see `createWorkerPool`). The
 * function is `module`'s export `export`, with the task function's signature
 * `(input, ctx) => output`; input and output cross by structured clone, and `ctx` carries
 * `taskId`, `attempt`, `runId`, `runInput`, `deadline`, `resumeData`, `signal`, `kernels`
 * (weft's kernels, instantiated once per thread) and the context's calls, made on the engine's
 * context in the main thread: `heartbeat()`, `reportTokens()`, `reportUsage()`,
 * `reportBytes()`, `stream()`, and as promises `addTask()` (tasks made of data),
 * `addDependency()` and `suspend()`.
 */
export interface WorkerTaskOptions {
  /** The module: a URL (`file:`, `data:`) or an absolute path. */
  readonly module: string | URL;
  /** The exported function's name. @default 'default' */
  readonly export?: string;
  /**
   * Heap limit of the thread, in MB (its `resourceLimits.maxOldGenerationSizeMb`): a task that
   * exceeds it fails with `WORKER_MEMORY_EXCEEDED` and the thread is replaced. Tasks with a limit
   * run on threads of their own, one set per limit.
   * @default none (the process's default heap limit)
   */
  readonly maxMemoryMb?: number;
  /**
   * CPU time an attempt may use, in ms: beyond it the thread is terminated and the attempt fails
   * with `CPU_QUOTA_EXCEEDED`. Checked every `min(cpuQuotaMs / 4, 10)` ms.
   * @default none
   */
  readonly cpuQuotaMs?: number;
}

/** Defaults of {@link WorkerTaskOptions}. */
export const DEFAULT_WORKER_TASK_OPTIONS = Object.freeze({ export: 'default' });

/** Checks a task's `worker` option (messages name `worker.<field>`). */
export function checkWorkerTaskOptions(worker: unknown): void {
  if (typeof worker !== 'object' || worker === null) throw new TypeError(expectedMessage('worker', 'an object `{ module, export? }`', worker));
  const w = worker as WorkerTaskOptions;
  const isUrl = typeof URL === 'function' && w.module instanceof URL;
  if (!isUrl && (typeof w.module !== 'string' || w.module.length === 0)) throw new TypeError(expectedMessage('worker.module', 'a module URL or path', w.module));
  if (w.export !== undefined && (typeof w.export !== 'string' || w.export.length === 0)) throw new TypeError(expectedMessage('worker.export', 'an export name', w.export));
  if (w.maxMemoryMb !== undefined) checkInteger('worker.maxMemoryMb', w.maxMemoryMb, 1);
  if (w.cpuQuotaMs !== undefined && (typeof w.cpuQuotaMs !== 'number' || !(w.cpuQuotaMs > 0) || !Number.isFinite(w.cpuQuotaMs))) {
    throw new RangeError(expectedMessage('worker.cpuQuotaMs', 'a finite number > 0', w.cpuQuotaMs));
  }
}

/** CPU time and heap of one worker attempt, as the task's events carry them. */
export interface AttemptResources {
  /** CPU time the attempt's thread used, in ms (see README "Worker threads" for the precision). */
  readonly cpuMs: number;
  /** The largest committed heap of the thread seen during the attempt, in bytes. */
  readonly heapPeakBytes?: number;
}
