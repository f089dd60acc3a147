// Journaled steps (DBOS's model): the work a task does with the outside world, recorded as it
// completes, so that an attempt that runs again (a retry, or after a crash in another process)
// gets the recorded result instead of doing the work twice. `ctx.step` journals after the work
// (at-least-once: a crash between the two repeats it, hence the idempotency key);
// `ctx.transaction` does the work and the journal record in one SQLite transaction
// (exactly once).

import { NoStoreError } from '../errors.js';
import type { RunCore } from './run-core.js';
import type { StepContext, StoreDatabase } from './types.js';

/** The key the outside world sees for step `key` of task `i`: the same in every attempt and process. */
function idempotencyKey(run: RunCore, i: number, key: string): string {
  return `${run.runId}/${run.graph.ids[i]}/${key}`;
}

/** Runs step `key` of task `i` once per run (see `TaskContext.step`). */
export async function runStep<T>(run: RunCore, i: number, key: string, fn: (step: StepContext) => T | PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (typeof fn !== 'function') throw new TypeError(`task \`${run.graph.ids[i]}\`: Expected \`fn\` of step \`${key}\` to be a function, got \`${String(fn)}\` (${typeof fn})`);
  const store = run.durable?.store;
  const taskId = run.graph.ids[i];
  if (store !== undefined) {
    const done = store.readStep(run.runId, taskId, key);
    if (done !== undefined) return done.value as T;
  }
  const value = await fn({ idempotencyKey: idempotencyKey(run, i, key), signal });
  // Journaled even when the attempt is over by now (cancelled, timed out): the work was done.
  store?.writeStep(run.runId, taskId, key, value);
  if (run.stall !== undefined && !run.settled) run.stall.beat(i);
  return value;
}

/** Runs `fn` in one transaction with its journal record (see `TaskContext.transaction`). */
export function runTransaction<T>(run: RunCore, i: number, key: string, fn: (db: StoreDatabase) => T): T {
  const store = run.durable?.store;
  if (store === undefined) throw new NoStoreError(`task \`${run.graph.ids[i]}\`: ctx.transaction()`);
  if (typeof fn !== 'function') throw new TypeError(`task \`${run.graph.ids[i]}\`: Expected \`fn\` of transaction \`${key}\` to be a function, got \`${String(fn)}\` (${typeof fn})`);
  const value = store.transaction(run.runId, run.graph.ids[i], key, fn);
  if (run.stall !== undefined && !run.settled) run.stall.beat(i);
  return value;
}
