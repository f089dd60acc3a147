// One attempt of a task with `worker`, on a pool thread: the job (its context calls come back on
// the thread's link, see worker-link.ts, and are made on the engine's context; the abort goes
// the other way), hard cancellation (the thread is terminated: a loop in JS or WASM never reads
// its signal), the CPU quota watchdog, and the translation of a thread's death into the
// attempt's typed error.

import type { EventLoopUtilization } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CpuQuotaExceededError, WorkerCrashedError, WorkerMemoryExceededError } from '../errors.js';
import type { Attempt } from './executor.js';
import type { LinkedAttempt, ThreadLink, ThreadLinks } from './worker-link.js';
import { DEFAULT_WORKER_TASK_OPTIONS } from './worker-options.js';
import type { AgentJob, TaskJob, TaskOutcome, ThreadCall, ThreadMessage } from './worker-protocol.js';
import { fromPlainError, toPlainError } from './worker-protocol.js';

/** A started piscina instance, as an attempt uses it. */
export interface AttemptThreads {
  run(job: unknown, options: { signal: AbortSignal }): Promise<unknown>;
}

/** What an attempt needs of its pool (worker-pool.ts). */
export interface AttemptPool {
  readonly cancelGraceMs: number;
  readonly links: ThreadLinks;
  tryAcquire(): boolean;
  acquire(signal?: AbortSignal): Promise<void>;
  release(): void;
  /** What killed the thread that ran job `id`, as the thread said before dying. */
  takeThreadError(id: number): Error | undefined;
  /** The started threads of limit `maxMemoryMb`, or `undefined` before they are. */
  started(maxMemoryMb: number): AttemptThreads | undefined;
  piscina(maxMemoryMb: number): Promise<AttemptThreads>;
  thread(threadId: number): { readonly performance: { eventLoopUtilization(u?: EventLoopUtilization): EventLoopUtilization } } | undefined;
}

const hrefs = new Map<string | URL, string>();

/** A module given as a path or URL, as a thread (or a worker elsewhere) imports it. */
export function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  let href = hrefs.get(module);
  if (href === undefined) {
    href = /^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module) ? module : pathToFileURL(module).href;
    if (hrefs.size < 1024) hrefs.set(module, href);
  }
  return href;
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
 * Runs `attempt` on a thread of `pool` (with `agent`, an agent task: its validated input and
 * agent data instead of the dependencies' outputs). The thread was taken by the engine's gate
 * (see worker-gate.ts) when one was free; otherwise the attempt waits for one here.
 */
export function runWorkerAttempt(pool: AttemptPool, attempt: Attempt, agent?: { input: unknown; job: AgentJob }): Promise<unknown> {
  let held = false;
  const run = (): Promise<unknown> => {
    held = true;
    return runOnThread(pool, attempt, agent);
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

/** The main thread's side of one attempt on a thread. */
class LiveAttempt implements LinkedAttempt {
  lastBeat = performance.now();
  /** The error the attempt fails with once this side stopped it. */
  stopped: unknown;
  readonly kill = new AbortController();
  readonly id: number;
  private found: ThreadLink | undefined;
  private cpu0 = 0;
  private active0 = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private grace: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pool: AttemptPool,
    private readonly attempt: Attempt,
    quota: number | undefined,
  ) {
    this.id = pool.links.track(this);
    if (quota !== undefined) {
      this.watchdog = setInterval(() => {
        const used = this.cpuNow();
        if (used > quota) this.stop(new CpuQuotaExceededError(attempt.taskId, quota, used), used);
      }, Math.max(1, Math.min(quota / 4, 10)));
      this.watchdog.unref();
    }
  }

  /** The link of the thread running the job, once one has taken it (with its start figures). */
  get link(): ThreadLink | undefined {
    if (this.found === undefined) {
      const link = this.pool.links.running(this.id);
      if (link === undefined) return undefined;
      this.found = link;
      this.cpu0 = link.cpu0;
      this.active0 = link.active0;
    }
    return this.found;
  }

  receive(m: ThreadMessage): void {
    const ctx = this.attempt.context;
    try {
      switch (m.t) {
        case 'heartbeat':
          this.lastBeat = performance.now();
          ctx.heartbeat(m.progress);
          break;
        case 'tokens':
          ctx.reportTokens(m.n);
          break;
        case 'bytes':
          ctx.reportBytes(m.n);
          break;
        case 'usage':
          ctx.reportUsage(m.usage);
          break;
        case 'stream':
          ctx.stream(m.delta);
          break;
        case 'call':
          this.call(m.seq, m.call, m.args);
          break;
      }
    } catch {
      // The thread checked the report before sending it; one the engine still refuses (the
      // attempt is over) has nowhere to go.
    }
  }

  beat(): void {
    this.lastBeat = performance.now();
    this.attempt.context.heartbeat();
  }

  private call(seq: number, call: ThreadCall, args: readonly unknown[]): void {
    const ctx = this.attempt.context;
    const answer = (): unknown => {
      if (call === 'addTask') return ctx.addTask(args[0] as never, { signal: this.attempt.signal });
      if (call === 'addDependency') return ctx.addDependency(args[0] as string, args[1] as string);
      return ctx.suspend(args[0] as string, args[1]);
    };
    const reply = (ok: boolean, value: unknown): void => {
      const link = this.link;
      if (link === undefined || this.stopped !== undefined) return;
      try {
        link.send(ok ? { t: 'reply', id: this.id, seq, ok, value } : { t: 'reply', id: this.id, seq, ok, error: toPlainError(value) });
      } catch (error) {
        // Resume data structured clone cannot carry: the call fails in the thread instead.
        link.send({ t: 'reply', id: this.id, seq, ok: false, error: toPlainError(error) });
      }
    };
    new Promise((resolve) => resolve(answer())).then(
      (value) => reply(true, value),
      (error: unknown) => reply(false, error),
    );
  }

  cpuNow(): number {
    const link = this.link;
    if (link === undefined) return 0; // not started
    const t = link.clock?.readMs();
    if (t !== undefined && !Number.isNaN(t)) return t - this.cpu0;
    // No /proc: the thread's event-loop active time, readable from here while it spins.
    const thread = this.pool.thread(link.threadId);
    return thread === undefined ? 0 : thread.performance.eventLoopUtilization().active - this.active0;
  }

  /** Stops the attempt with `reason`; `cpuMs`: the reading that decided it (the event must say the same as the error). */
  stop(reason: unknown, cpuMs = this.cpuNow()): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    this.attempt.resources?.({ cpuMs }); // before the engine records the failure
    const graceMs = this.pool.cancelGraceMs;
    if (graceMs === 0) {
      // After the engine has recorded the outcome (it does so once this returns): terminating
      // the thread (and piscina starting its replacement) is not in the way of the settling.
      queueMicrotask(() => this.kill.abort(reason));
      return;
    }
    // The task's own signal aborts in its thread, which has `graceMs` to return; a job not
    // taken yet is told on every link (the thread that takes it keeps the abort for it).
    const message = { t: 'abort', id: this.id, reason: toPlainError(reason) } as const;
    const link = this.link;
    if (link !== undefined) link.send(message);
    else for (const l of this.pool.links.all()) l.send(message);
    (this.grace = setTimeout(() => this.kill.abort(reason), graceMs)).unref();
  }

  end(): void {
    this.pool.links.untrack(this.id);
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    if (this.grace !== undefined) clearTimeout(this.grace);
  }
}

async function runOnThread(pool: AttemptPool, attempt: Attempt, agent: { input: unknown; job: AgentJob } | undefined): Promise<unknown> {
  const spec = attempt.task.worker!;
  const taskId = attempt.taskId;
  const maxMemoryMb = spec.maxMemoryMb ?? 0;
  const signal = attempt.signal;
  signal.throwIfAborted();
  const threads = pool.started(maxMemoryMb) ?? (await pool.piscina(maxMemoryMb));
  signal.throwIfAborted();
  const live = new LiveAttempt(pool, attempt, spec.cpuQuotaMs);
  const onAbort = (): void => live.stop(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const ctx = attempt.context;
  const job: TaskJob = {
    kind: 'task',
    id: live.id,
    module: moduleHref(spec.module),
    export: spec.export ?? DEFAULT_WORKER_TASK_OPTIONS.export,
    input: agent === undefined ? attempt.input : agent.input,
    runId: attempt.runId,
    taskId,
    attempt: attempt.attempt,
    runInput: ctx.runInput,
    deadline: attempt.deadline,
    resumeData: ctx.resumeData,
    ...(agent !== undefined && { agent: agent.job }),
  };
  try {
    let outcome: TaskOutcome;
    try {
      outcome = (await threads.run(job, { signal: live.kill.signal })) as TaskOutcome;
    } catch (error) {
      if (live.stopped !== undefined) throw live.stopped;
      if ((error as Error | null)?.name === 'DataCloneError' && live.link === undefined) {
        // The job never left: the thread is fine, what the task sends it is not data.
        throw new TypeError(`task \`${taskId}\`: its input cannot be sent to a worker thread (${(error as Error).message})`, { cause: error });
      }
      // The thread's last word (worker-thread.ts) travels on another port than its death: let it land.
      await new Promise((resolve) => setImmediate(resolve));
      throw threadDeath(taskId, maxMemoryMb, pool.takeThreadError(live.id) ?? error);
    }
    if (live.stopped !== undefined) throw live.stopped; // it returned within its grace period, too late
    // What the task reported before returning comes first (see ThreadLink.drain).
    const link = pool.links.linked(outcome.threadId);
    (link instanceof Promise ? await link : link)?.drain();
    if (live.stopped !== undefined) throw live.stopped;
    attempt.resources?.({ cpuMs: outcome.cpuMs, heapPeakBytes: outcome.heapPeakBytes });
    if (!outcome.ok) throw fromPlainError(outcome.error!);
    return outcome.value;
  } finally {
    signal.removeEventListener('abort', onAbort);
    live.end();
  }
}
