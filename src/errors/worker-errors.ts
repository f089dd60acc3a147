// The errors of tasks run on worker threads.

import { WeftError } from './weft-error.js';
/** A worker task ran its thread out of the heap its `worker.maxMemoryMb` allows; the thread was replaced. */
export class WorkerMemoryExceededError extends WeftError {
  /** The task whose thread ran out of memory. */
  readonly taskId: string;
  /** The limit, in MB (the thread's `maxOldGenerationSizeMb`). */
  readonly maxMemoryMb: number;

  /**
   * @param taskId - the task
   * @param maxMemoryMb - its memory limit
   * @param options - `cause`: the thread's error (`ERR_WORKER_OUT_OF_MEMORY`)
   */
  constructor(taskId: string, maxMemoryMb: number, options?: { cause?: unknown }) {
    super('WORKER_MEMORY_EXCEEDED', `task \`${taskId}\` exceeded its worker memory limit of ${maxMemoryMb} MB`, options);
    this.taskId = taskId;
    this.maxMemoryMb = maxMemoryMb;
  }
}

/**
 * The thread of a worker task died under it: `process.exit()`, an exception thrown outside the
 * task function (a timer, an event handler), a result that cannot be cloned, or a crash. Only
 * that task fails; the pool replaces the thread.
 */
export class WorkerCrashedError extends WeftError {
  /** The task that was running on the thread. */
  readonly taskId: string;

  /**
   * @param taskId - the task
   * @param why - what happened to the thread
   * @param options - `cause`: the thread's error
   */
  constructor(taskId: string, why: string, options?: { cause?: unknown }) {
    super('WORKER_CRASHED', `task \`${taskId}\`: its worker thread died (${why})`, options);
    this.taskId = taskId;
  }
}

/** A worker task used more CPU time than its `worker.cpuQuotaMs`; its thread was terminated. */
export class CpuQuotaExceededError extends WeftError {
  /** The task. */
  readonly taskId: string;
  /** Its CPU budget per attempt, in ms. */
  readonly cpuQuotaMs: number;
  /** The CPU time it had used when it was stopped, in ms. */
  readonly cpuMs: number;

  /**
   * @param taskId - the task
   * @param cpuQuotaMs - its budget
   * @param cpuMs - what it had used
   */
  constructor(taskId: string, cpuQuotaMs: number, cpuMs: number) {
    super('CPU_QUOTA_EXCEEDED', `task \`${taskId}\` used ${cpuMs.toFixed(1)} ms of CPU, over its quota of ${cpuQuotaMs} ms`);
    this.taskId = taskId;
    this.cpuQuotaMs = cpuQuotaMs;
    this.cpuMs = cpuMs;
  }
}
