// One attempt of a task with `worker`, on a pool thread: the job and its context port (heartbeats
// and tokens forwarded to the engine's context, the abort sent the other way), hard
// cancellation (the thread is terminated: a loop in JS or WASM never reads its signal), the CPU
// quota watchdog, and the translation of a thread's death into the attempt's typed error.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { CpuQuotaExceededError, WorkerCrashedError, WorkerMemoryExceededError } from '../errors.js';
import type { Attempt } from './executor.js';
import { SchedstatClock } from './worker-cpu.js';
import { DEFAULT_WORKER_TASK_OPTIONS } from './worker-options.js';
import type { TaskJob, TaskOutcome, ThreadMessage } from './worker-protocol.js';
import { fromPlainError, toPlainError } from './worker-protocol.js';

/** What an attempt needs of its pool (worker-pool.ts). */
export interface AttemptPool {
  readonly cancelGraceMs: number;
  tryAcquire(): boolean;
  acquire(signal?: AbortSignal): Promise<void>;
  release(): void;
  takeThreadError(threadId: number): Error | undefined;
  piscina(maxMemoryMb: number): Promise<{ run(job: unknown, options: { signal: AbortSignal; transferList: never[] }): Promise<unknown> }>;
  thread(threadId: number): { readonly performance: { eventLoopUtilization(u?: EventLoopUtilization): EventLoopUtilization } } | undefined;
}

/** A module given as a path or URL, as the thread imports it. */
function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module) ? module : pathToFileURL(module).href;
}

/** What killed a thread, as the attempt's error. */
function threadDeath(taskId: string, maxMemoryMb: number, error: unknown): Error {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return new WorkerMemoryExceededError(taskId, maxMemoryMb, { cause: error });
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const exit = /worker exited with code: (-?\d+)/.exec(message);
  return new WorkerCrashedError(taskId, exit ? `it exited with code ${exit[1]}` : message, { cause: error });
}

/**
 * Runs `attempt` on a thread of `pool`. The thread was taken by the engine's gate (see
 * worker-gate.ts) when one was free; otherwise the attempt waits for one here.
 */
export function runWorkerAttempt(pool: AttemptPool, attempt: Attempt): Promise<unknown> {
  let held = false;
  const run = (): Promise<unknown> => {
    held = true;
    return runOnThread(pool, attempt);
  };
  const done = pool.tryAcquire() ? run() : pool.acquire(attempt.signal).then(run);
  const free = (): void => {
    if (held) pool.release();
  };
  // The thread is given back after the engine has seen the outcome (it reacts to `done` as soon
  // as this returns; this reaction comes after), so the dependents it releases compete for the
  // thread with the tasks already waiting.
  queueMicrotask(() => void done.then(free, free));
  return done;
}

async function runOnThread(pool: AttemptPool, attempt: Attempt): Promise<unknown> {
  const spec = attempt.task.worker!;
  const taskId = attempt.taskId;
  const maxMemoryMb = spec.maxMemoryMb ?? 0;
  const signal = attempt.signal;
  signal.throwIfAborted();
  const piscina = await pool.piscina(maxMemoryMb);
  signal.throwIfAborted();
  const { port1, port2 } = new MessageChannel();
  const kill = new AbortController();
  let stopped: unknown; // the error the attempt fails with once this side stopped it
  let clock: SchedstatClock | undefined;
  let cpu0 = 0;
  let threadId = -1;
  let elu0: EventLoopUtilization | undefined;
  let watchdog: ReturnType<typeof setInterval> | undefined;
  let grace: ReturnType<typeof setTimeout> | undefined;
  const cpuNow = (): number => {
    const t = clock?.readMs();
    if (t !== undefined && !Number.isNaN(t)) return t - cpu0;
    // No /proc: the thread's event-loop utilisation, readable from here while it spins.
    const thread = pool.thread(threadId);
    return thread !== undefined && elu0 !== undefined ? thread.performance.eventLoopUtilization(elu0).active : 0;
  };
  const stop = (reason: unknown): void => {
    if (stopped !== undefined) return;
    stopped = reason;
    attempt.resources?.({ cpuMs: cpuNow() }); // before the engine records the failure
    port1.postMessage({ t: 'abort', reason: toPlainError(reason) });
    if (pool.cancelGraceMs === 0) kill.abort(reason);
    else (grace = setTimeout(() => kill.abort(reason), pool.cancelGraceMs)).unref();
  };
  const onAbort = (): void => stop(signal.reason);
  port1.on('message', (m: ThreadMessage) => {
    if (m.t === 'heartbeat') attempt.context.heartbeat(m.progress);
    else if (m.t === 'tokens') attempt.context.reportTokens(m.tokens);
    else if (m.t === 'start') {
      threadId = m.threadId;
      if (m.path !== undefined) clock = SchedstatClock.open(m.path);
      if (clock === undefined) elu0 = pool.thread(threadId)?.performance.eventLoopUtilization();
      cpu0 = m.cpu0;
      if (spec.cpuQuotaMs !== undefined) {
        const quota = spec.cpuQuotaMs;
        const check = (): void => {
          const used = cpuNow();
          if (used > quota) stop(new CpuQuotaExceededError(taskId, quota, used));
        };
        watchdog = setInterval(check, Math.max(1, Math.min(quota / 4, 10)));
        watchdog.unref();
      }
    }
  });
  signal.addEventListener('abort', onAbort, { once: true });
  const job: TaskJob = {
    kind: 'task',
    module: moduleHref(spec.module),
    export: spec.export ?? DEFAULT_WORKER_TASK_OPTIONS.export,
    input: attempt.input,
    runId: attempt.runId,
    taskId,
    attempt: attempt.attempt,
    runInput: attempt.context.runInput,
    deadline: attempt.deadline,
    port: port2,
  };
  try {
    let outcome: TaskOutcome;
    try {
      outcome = (await piscina.run(job, { signal: kill.signal, transferList: [port2 as never] })) as TaskOutcome;
    } catch (error) {
      if (stopped !== undefined) throw stopped;
      // The thread's last word (worker-thread.ts) travels on another port than its death: let it land.
      await new Promise((resolve) => setImmediate(resolve));
      throw threadDeath(taskId, maxMemoryMb, pool.takeThreadError(threadId) ?? error);
    }
    if (stopped !== undefined) throw stopped; // it returned within its grace period, too late
    attempt.resources?.({ cpuMs: outcome.cpuMs, heapPeakBytes: outcome.heapPeakBytes });
    if (!outcome.ok) throw fromPlainError(outcome.error!);
    return outcome.value;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (watchdog !== undefined) clearInterval(watchdog);
    if (grace !== undefined) clearTimeout(grace);
    port1.close();
    clock?.close();
  }
}
