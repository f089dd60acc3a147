// How tasks end other than by succeeding: failed attempts (retried or final), or cancelled with
// their run. Off the hot path, so kept apart from run.ts.

import { isWeftError, TaskCancelledError } from '../errors.js';
import { macrotask } from '../internal/macrotask.js';
import { retryDelay, shouldRetry } from '../scheduler/retry.js';
import type { RunCore } from './run-core.js';
import { CANCELLED, FAILED, RESUMING, RETRYING, RUNNING, SUCCEEDED, SUSPENDED } from './state.js';
import type { RunStatus } from './types.js';

/** setTimeout's limit: longer delays would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Cancels the whole run: every unfinished task is cancelled, running ones see their signal abort. */
export function cancelRun(run: RunCore, reason: unknown, status: RunStatus | undefined): void {
  if (run.settled) return;
  // A drain's RUN_INTERRUPTED is kept as it is: a resume looks for it.
  const error = isWeftError(reason, 'TASK_CANCELLED') || isWeftError(reason, 'RUN_INTERRUPTED') ? reason : new TaskCancelledError(undefined, describeReason(reason), { cause: reason });
  const s = run.s;
  const t = run.tick();
  run.settled = true; // stale callbacks from here on are ignored
  run.cancelError = error;
  const controllers: { abort(reason?: unknown): void }[] = [];
  const suspended: ((e: unknown) => void)[] = [];
  for (let i = 0, n = run.graph.n; i < n; i++) {
    const st = s.status[i];
    if (st >= SUCCEEDED) continue;
    if (st === RUNNING || st === SUSPENDED || st === RESUMING) {
      const c = run.controllers.size > 0 ? run.controllers.get(i) : undefined;
      if (c) controllers.push(c);
      const waiter = run.suspensions.size > 0 ? run.suspensions.get(i) : undefined;
      if (waiter) suspended.push(waiter.reject);
      const span = run.spans.size > 0 ? run.spans.get(i) : undefined;
      if (span) {
        span.setStatus({ code: 2, message: 'cancelled' });
        span.end();
      }
    }
    s.status[i] = CANCELLED;
    s.t1[i] = t;
    run.emit(9 /* task:cancelled */, i, { error });
  }
  for (const timer of run.timers.values()) clearTimeout(timer);
  run.timers.clear();
  run.deadlines.clear();
  run.timeLeft.clear();
  run.controllers.clear();
  run.suspensions.clear();
  run.spans.clear();
  run.running = 0;
  run.unfinished = 0;
  for (const wake of run.roomWaiters.splice(0)) wake();
  // Leave the shared rate limiters' queues: they must not keep this run (or the process) alive.
  for (const withdraw of run.limiterWaits) withdraw();
  run.limiterWaits.clear();
  run.finish(status ?? 'cancelled');
  // Signals abort on the next turn, after the result is out: Node dispatches each abort in a few
  // microseconds, so 10,000 running tasks would otherwise hold the result back for ~30 ms.
  if (controllers.length > 0 || suspended.length > 0) {
    macrotask(() => {
      for (const c of controllers) c.abort(error);
      for (const reject of suspended) reject(error);
    });
  }
}

/** A 429's wait, from `RateLimitError.retryAfterMs`, `retryAfterMs` or a `retryAfter` in seconds (as the HTTP header). */
function retryAfterMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { retryAfterMs?: unknown; retryAfter?: unknown };
  if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) return e.retryAfterMs;
  if (typeof e.retryAfter === 'number' && e.retryAfter >= 0) return e.retryAfter * 1000;
  return undefined;
}

function describeReason(reason: unknown): string {
  if (reason === undefined) return 'cancelled';
  if (reason instanceof Error) return reason.message;
  return String(reason);
}

/** Attempt `attempt` of task `i` failed: a retry after the backoff, or the task fails for good. */
export function failAttempt(run: RunCore, i: number, attempt: number, error: unknown): void {
  if (!run.isCurrent(i, attempt)) return;
  run.tick();
  run.endAttempt(i, error);
  const retryAfter = retryAfterMs(error);
  const l = run.s.limiter.length > 0 ? run.s.limiter[i] : 0;
  if (retryAfter !== undefined && l !== 0) run.wf.limiters[l].pause(retryAfter);
  const policy = run.graph.retryPolicy(i);
  // Attempts since the last manual retryTask(): that gives the task a fresh retry budget.
  const used = run.retryBase.size > 0 ? attempt - (run.retryBase.get(i) ?? 0) : attempt;
  if (shouldRetry(policy, error, used)) {
    const delayMs = Math.max(retryDelay(policy, used), retryAfter ?? 0);
    run.s.status[i] = RETRYING;
    run.emit(3 /* task:retry */, i, { error, delayMs });
    run.timers.set(
      i,
      setTimeout(() => {
        run.timers.delete(i);
        run.tick();
        if (!run.settled && run.s.status[i] === RETRYING) {
          run.makeReady(i);
          run.pump();
        }
      }, Math.min(delayMs, MAX_TIMER_MS)),
    );
    run.pump();
    return;
  }
  failTask(run, i, error);
}

/** Task `i` failed for good: record it, then cancel the run (critical) or skip its dependents. */
export function failTask(run: RunCore, i: number, error: unknown): void {
  const s = run.s;
  s.status[i] = FAILED;
  s.t1[i] = run.tick();
  run.errors.set(i, error);
  run.unfinished--;
  run.emit(7 /* task:failed */, i, { error });
  if (s.status[i] !== FAILED) {
    // A listener retried it (handle.retryTask): its dependents wait for the new attempt.
    run.afterFinish();
    return;
  }
  if (run.graph.specs[i].critical) {
    cancelRun(run, new Error(`critical task \`${run.graph.ids[i]}\` failed`, { cause: error }), 'failed');
    return;
  }
  run.skipDependents(i, 'failed');
  run.afterFinish();
}

/** Cancels one task; its dependents are skipped. Returns false if it had already finished. */
export function cancelTask(run: RunCore, taskId: string, reason?: unknown): boolean {
  const i = run.graph.indexOf(taskId);
  if (i === undefined) throw new RangeError(`Unknown task \`${String(taskId)}\` in run ${run.runId}`);
  const s = run.s;
  const st = s.status[i];
  if (st >= SUCCEEDED || run.settled) return false;
  const error = new TaskCancelledError(taskId, reason === undefined ? 'cancelled by cancelTask()' : String(reason instanceof Error ? reason.message : reason), { cause: reason });
  if (st === RUNNING || st === SUSPENDED || st === RESUMING) {
    const controller = run.controllers.get(i); // endAttempt forgets it
    const waiter = run.suspensions.get(i);
    run.endAttempt(i, error);
    controller?.abort(error);
    waiter?.reject(error);
  }
  run.clearTimer(i);
  s.status[i] = CANCELLED;
  s.t1[i] = run.tick();
  run.errors.set(i, error);
  run.unfinished--;
  run.emit(9 /* task:cancelled */, i, { error });
  if (s.status[i] === CANCELLED) run.skipDependents(i, 'cancelled'); // unless a listener retried it
  run.afterFinish();
  return true;
}
