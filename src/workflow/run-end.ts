// How tasks end early: skipped behind a failed dependency, or cancelled with their run. Off the
// hot path, so kept apart from run.ts.

import { DependencyFailedError, isWeftError, TaskCancelledError } from '../errors.js';
import { macrotask } from '../internal/macrotask.js';
import type { Run } from './run.js';
import { CANCELLED, PENDING, READY, RESUMING, RUNNING, SKIPPED, SUCCEEDED, SUSPENDED } from './state.js';
import type { RunStatus } from './types.js';

/** Marks each `[task, parent, why]` on the stack skipped (if not started), then its dependents. */
export function skipWalk(run: Run, stack: [number, number, string][]): void {
  const s = run.s;
  while (stack.length > 0) {
    const [d, parent, reason] = stack.pop()!;
    const st = s.status[d];
    if (st !== PENDING && st !== READY) continue;
    s.status[d] = SKIPPED;
    s.t1[d] = run.clock;
    run.errors.set(d, new DependencyFailedError(run.ids[d], run.ids[parent], reason));
    run.unfinished--;
    run.emit(8 /* task:skipped */, d, { error: run.errors.get(d) });
    run.forEachSucc(d, (e) => stack.push([e, d, 'skipped']));
  }
}

/** Cancels the whole run: every unfinished task is cancelled, running ones see their signal abort. */
export function cancelRun(run: Run, reason: unknown, status: RunStatus | undefined): void {
  if (run.settled) return;
  const error = isWeftError(reason, 'TASK_CANCELLED') ? reason : new TaskCancelledError(undefined, describeReason(reason), { cause: reason });
  const s = run.s;
  const t = run.tick();
  run.settled = true; // stale callbacks from here on are ignored
  run.cancelError = error;
  const controllers: AbortController[] = [];
  const suspended: ((e: unknown) => void)[] = [];
  for (let i = 0; i < run.n; i++) {
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
export function retryAfterMs(error: unknown): number | undefined {
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
