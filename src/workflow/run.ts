// The engine of one run: event-driven (a finished task decrements its dependents' counters and
// pushes the ones that reach zero onto a priority heap), with every limit checked at dispatch.
// This file is the hot path, in the order a task meets it: ready → dispatch (limits) → execute
// (through the workflow's executor) → succeeded, with its dependents released. The shared state
// is in run-core.ts, failures in run-end.ts, live control in run-control.ts.

import { TaskTimeoutError } from '../errors.js';
import type { Executor } from '../executors/executor.js';
import { WorkerGate } from '../executors/worker-gate.js';
import { macrotask } from '../internal/macrotask.js';
import { watchPressure } from '../observe/resource-monitor.js';
import type { RememberOutputOptions } from '../memory/run-memory.js';
import type { CompiledWorkflow, HookControl } from './compiled.js';
import { AttemptContext } from './context.js';
import { budgetStops } from './run-budget.js';
import { cancelRun, failAttempt, failTask } from './run-end.js';
import { RunCore } from './run-core.js';
import { EMPTY_INPUT } from './run-graph.js';
import { PENDING, READY, RESUMING, RUNNING, SUCCEEDED } from './state.js';
import type { RunStatus } from './types.js';

/** Tasks started in one synchronous burst before yielding to the event loop. */
const BURST = 4096;

/** @internal One run: its state (RunCore) and its scheduling. Public surface: `RunHandle` in handle.ts. */
export class Run extends RunCore {
  private readonly executor: Executor;
  private pumping = false;
  private pumpQueued = false;

  constructor(wf: CompiledWorkflow, runInput: unknown, runId: string | undefined) {
    super(wf, runInput, runId);
    this.executor = wf.options.executor;
    const n = this.graph.n;
    const { remaining, group, limiter } = this.s;
    const { offsets, targets } = wf.graph;
    for (let e = 0; e < offsets[n]; e++) remaining[targets[e]]++;
    const specs = this.graph.specs;
    for (let i = 0; i < n && (group.length > 0 || limiter.length > 0); i++) {
      const spec = specs[i];
      if (spec.group !== undefined) group[i] = wf.groupIndex.get(spec.group)!;
      if (spec.rateLimit !== undefined) limiter[i] = wf.limiterIndex.get(spec.rateLimit)!;
    }
    this.gate = WorkerGate.forRun(this);
  }

  /** Starts the run: sources become ready. */
  begin(signal: AbortSignal | undefined): void {
    if (this.settled) return; // cancelled between start() and this microtask
    this.startedAt = Math.fround(this.tick()); // rounded like the tasks' times, so no task starts before its run
    this.emit(0 /* run:start */, -1);
    if (signal?.aborted) {
      this.cancel(signal.reason, undefined);
      return;
    }
    if (signal) {
      // Removed when the run ends: a long-lived signal shared by many runs must not collect listeners.
      const onAbort = (): void => this.cancel(signal.reason, undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      this.detach = () => signal.removeEventListener('abort', onAbort);
    }
    const pressure = this.wf.options.pressure;
    if (pressure !== undefined) {
      const unwatch = watchPressure(this, pressure);
      const detach = this.detach;
      this.detach = () => (detach?.(), unwatch());
    }
    if (this.durable !== undefined && this.durable.begin()) return; // a recorded run that had ended
    const { remaining, status } = this.s;
    for (let i = 0, n = this.graph.n; i < n; i++) if (remaining[i] === 0 && status[i] === PENDING) this.makeReady(i);
    this.pump();
    this.maybeSettle();
  }

  /** Starts ready tasks while the limits allow, in priority order. */
  pump(): void {
    if (this.pumping || this.settled || this.draining) return;
    this.pumping = true;
    this.tick();
    const s = this.s;
    const caps = this.wf.options.groupCaps;
    const concurrency = this.pressureCap ?? this.wf.options.concurrency;
    const hasGroups = s.group.length > 0;
    const hasLimiters = s.limiter.length > 0;
    const budgets = this.usage !== undefined && this.withAgents;
    let burst = BURST;
    try {
      while (this.running < concurrency && this.heap.size > 0 && !this.settled) {
        if (burst-- === 0) {
          // Many synchronous tasks in a row: let timers, I/O and aborts in between.
          if (!this.pumpQueued) {
            this.pumpQueued = true;
            macrotask(() => {
              this.pumpQueued = false;
              this.pump();
            });
          }
          break;
        }
        const i = this.heap.pop();
        const st = s.status[i];
        if (st !== READY && st !== RESUMING) continue; // stale entry (cancelled, re-queued)
        const g = hasGroups ? s.group[i] : 0;
        if (g !== 0 && this.groupRunning[g] >= caps[g]) {
          this.groupHeaps[g].push(i);
          continue;
        }
        if (budgets && st === READY && budgetStops(this, i)) continue;
        if (this.gate !== undefined && st === READY && !this.gate.admit(i)) continue; // waits for a thread
        const l = hasLimiters ? s.limiter[i] : 0;
        if (l !== 0 && st === READY && !this.acquire(i, l, g)) continue;
        if (st === RESUMING) this.resumeNow(i);
        else this.startNow(i);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Takes a request from task `i`'s rate limiter, or queues the task on it (and passes its group slot on). */
  private acquire(i: number, l: number, g: number): boolean {
    const limiter = this.wf.limiters[l];
    if (limiter.tryAcquire()) return true;
    const withdraw = limiter.wait(() => {
      this.limiterWaits.delete(withdraw);
      if (!this.settled && this.s.status[i] === READY) {
        this.heap.push(i);
        this.pump();
      }
    });
    this.limiterWaits.add(withdraw);
    // It waits without the group slot it was offered: offer that slot to the next one.
    if (g !== 0) this.offerGroupSlot(g);
    return false;
  }

  private occupy(i: number): void {
    this.s.status[i] = RUNNING;
    this.running++;
    const g = this.s.group.length > 0 ? this.s.group[i] : 0;
    if (g !== 0) this.groupRunning[g]++;
    if (this.stall !== undefined) this.stall.started(i);
    if (this.graph.timeouts.size > 0) {
      const timeoutMs = this.graph.timeouts.get(i);
      if (timeoutMs !== undefined) this.armTimeout(i, this.timeLeft.get(i) ?? timeoutMs);
    }
  }

  private armTimeout(i: number, ms: number): void {
    const attempt = this.s.attempts[i];
    this.timeLeft.delete(i);
    this.deadlines.set(i, this.epoch(this.clock) + ms);
    this.timers.set(
      i,
      setTimeout(() => {
        this.timers.delete(i);
        this.tick();
        const error = new TaskTimeoutError(this.graph.ids[i], this.graph.timeouts.get(i)!);
        this.controllers.get(i)?.abort(error);
        this.onError(i, attempt, error);
      }, ms),
    );
  }

  /** @internal Starts an attempt of task `i` now (a restored suspended task restarts through here). */
  startNow(i: number): void {
    const s = this.s;
    const attempt = ++s.attempts[i];
    if (this.resumeData.size > 0) this.resumeData.delete(i); // resume data belongs to one attempt
    const t = this.clock;
    this.queueWait.record(t - s.t0[i]);
    s.t0[i] = t;
    this.occupy(i);
    const deadline = this.deadlines.size > 0 ? this.deadlines.get(i) : undefined;
    this.emit(2 /* task:start */, i, deadline === undefined ? undefined : { deadline });
    if (this.settled || s.status[i] !== RUNNING) return; // a listener cancelled it
    const tracer = this.wf.options.tracer;
    const ids = this.graph.ids;
    if (tracer) this.spans.set(i, tracer.startSpan(`task ${ids[i]}`, { attributes: { 'weft.run.id': this.runId, 'weft.task.id': ids[i], 'weft.task.attempt': attempt } }));
    let result: unknown;
    try {
      const ctx = new AttemptContext(this, i, attempt, this.graph.inputOf(i, s.outputs));
      result = (this.gate?.executorFor(i) ?? this.executor).execute(ctx);
      const remember = this.graph.specs[i].rememberOutput;
      if (remember) result = this.storeOutput(i, result, remember === true ? {} : remember, ctx.signal);
    } catch (error) {
      this.onError(i, attempt, error);
      return;
    }
    if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(
        (value) => this.onSuccess(i, attempt, value),
        (error: unknown) => this.onError(i, attempt, error),
      );
    } else {
      this.onSuccess(i, attempt, result);
    }
  }

  /** The task's result, once its output is in memory (the opt-in `rememberOutput`). */
  private async storeOutput(i: number, result: unknown, options: RememberOutputOptions, signal: AbortSignal): Promise<unknown> {
    const value = await result;
    const memory = this.memory;
    if (memory === undefined) throw new TypeError(`task \`${this.graph.ids[i]}\`: \`rememberOutput\` needs the workflow's \`memory\` option`);
    await memory.rememberOutput(this.graph.ids[i], value, { ...options, signal: options.signal ?? signal });
    return value;
  }

  private resumeNow(i: number): void {
    const waiter = this.suspensions.get(i);
    if (waiter === undefined && this.durable !== undefined && this.durable.restart(i, this.resumeData.get(i))) return;
    this.occupy(i);
    this.suspensions.delete(i);
    waiter?.resolve(this.resumeData.get(i));
  }

  onSuccess(i: number, attempt: number, value: unknown): void {
    if (!this.isCurrent(i, attempt)) return;
    // A result that arrives after the deadline (the task blocked the event loop past it, so the timer could not fire first) is a timeout.
    if (this.deadlines.size > 0 && this.epoch(this.tick()) > (this.deadlines.get(i) ?? Infinity)) {
      this.onError(i, attempt, new TaskTimeoutError(this.graph.ids[i], this.graph.timeouts.get(i)!));
      return;
    }
    this.endAttempt(i);
    const hooks = this.wf.hooks.size > 0 ? this.wf.hooks.get(this.graph.ids[i]) : undefined;
    if (hooks) {
      try {
        const control = this.hookControl(i);
        for (const hook of hooks) hook(value, control);
      } catch (error) {
        if (!this.settled) failTask(this, i, error);
        return;
      }
      if (this.settled) return; // a hook's task cancelled the run (a critical failure)
    }
    const s = this.s;
    s.status[i] = SUCCEEDED;
    s.outputs[i] = value;
    const t = this.tick();
    s.t1[i] = t;
    this.runTime.record(t - s.t0[i]);
    this.unfinished--;
    this.emitSucceeded(i, value);
    const remaining = s.remaining;
    const status = s.status;
    if (this.graph.isDefined(i)) {
      const { offsets, targets } = this.wf.graph;
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        const d = targets[e];
        if (--remaining[d] === 0 && status[d] === PENDING) this.makeReady(d);
      }
    }
    const extra = this.graph.addedDependents(i);
    if (extra) for (const d of extra) if (--remaining[d] === 0 && status[d] === PENDING) this.makeReady(d);
    if (this.archive !== undefined) this.archive.finished(i);
    this.afterFinish();
  }

  /** What an `onTaskComplete` hook of task `i` may do. */
  private hookControl(i: number): HookControl {
    const ctx = new AttemptContext(this, i, this.s.attempts[i], EMPTY_INPUT);
    return { taskId: this.graph.ids[i], addTask: (spec) => ctx.addTask(spec), addDependency: (t, d) => ctx.addDependency(t, d) };
  }

  /** Attempt `attempt` of task `i` failed: retry it, or fail the task (see run-end.ts). */
  onError(i: number, attempt: number, error: unknown): void {
    failAttempt(this, i, attempt, error);
  }

  /** Cancels the whole run: every unfinished task is cancelled, running ones see their signal abort. */
  cancel(reason: unknown, status: RunStatus | undefined): void {
    cancelRun(this, reason, status);
  }
}
