// Graceful shutdown: a drained run starts no task, gives the running ones a grace period to
// finish, then stops the rest and ends `interrupted`. A durable store records those tasks as
// cancelled with `RUN_INTERRUPTED`, so a resume (in the next process) runs exactly them again.

import { RunInterruptedError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import { cancelRun } from './run-end.js';
import type { RunCore } from './run-core.js';
import { closeDefaultTaskPool } from '../executors/task-pool.js';

/** Options of `handle.drain()`. */
export interface DrainOptions {
  /** How long the running tasks may take to finish before they are stopped, in ms. @default 10000 */
  readonly graceMs?: number;
  /** Aborting it ends the grace period at once. */
  readonly signal?: AbortSignal;
}

/** The default grace period of a drain. */
export const DEFAULT_DRAIN_GRACE_MS = 10_000;

/** Checks a grace period. */
export function checkGrace(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0) || value > 2 ** 31 - 1) throw new RangeError(expectedMessage(name, 'a number in [0, 2147483647]', value));
  return value;
}

/** Drains `run` (see {@link DrainOptions}); settles once the run has ended. */
export function drainRun(run: RunCore, options: DrainOptions = {}): Promise<void> {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'drain options', options));
  const graceMs = options.graceMs === undefined ? DEFAULT_DRAIN_GRACE_MS : checkGrace('graceMs', options.graceMs);
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(expectedMessage('signal', 'an AbortSignal', signal));
  if (run.settled) return run.done;
  run.draining = true;
  return new Promise<void>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      signal?.removeEventListener('abort', stop);
      run.drainWaiter = undefined;
      resolve();
    };
    function stop(): void {
      if (!run.settled) cancelRun(run, new RunInterruptedError(undefined, 'the run was drained'), 'interrupted');
      done();
    }
    run.drainWaiter = () => {
      if (!run.settled && run.running === 0) stop();
    };
    void run.done.then(done);
    if (signal?.aborted || run.running === 0) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    timer = setTimeout(stop, graceMs);
  });
}

/**
 * Drains `run` when the process gets one of `signals`, then closes the store and the worker pool
 * the run used, so that nothing holds the process. The listeners go when the run ends.
 */
export function drainOnSignals(run: RunCore, signals: readonly string[], graceMs: number): void {
  const proc = (globalThis as { process?: { on(s: string, f: () => void): unknown; off(s: string, f: () => void): unknown } }).process;
  if (proc === undefined || typeof proc.on !== 'function') throw new TypeError('`drainOnSignals` needs Node.js process signals');
  const onSignal = (): void => {
    remove();
    void drainRun(run, { graceMs }).then(() => closeAfterDrain(run));
  };
  const remove = (): void => {
    for (const s of signals) proc.off(s, onSignal);
  };
  for (const s of signals) proc.on(s, onSignal);
  void run.done.then(remove);
}

async function closeAfterDrain(run: RunCore): Promise<void> {
  run.wf.options.store?.close();
  const pool = run.wf.options.workerPool;
  if (pool !== undefined) await pool.close();
  else if (run.gate !== undefined) await closeDefaultTaskPool();
}

/** Checks `drainOnSignals`. */
export function checkSignals(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || !s.startsWith('SIG'))) throw new TypeError(expectedMessage('drainOnSignals', "an array of signal names ('SIGTERM', 'SIGINT')", value));
  return value as readonly string[];
}
