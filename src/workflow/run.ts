// The engine of one run: event-driven (a finished task decrements its dependents' counters and
// pushes the ones that reach zero onto a priority heap), with every limit checked at dispatch.
// Live control, dynamic tasks and suspension live in run-control.ts; this file is the hot path.

import { TaskTimeoutError } from '../errors.js';
import { macrotask } from '../internal/macrotask.js';
import { Histogram } from '../observe/histogram.js';
import { NO_RETRY, type ResolvedRetryPolicy } from '../scheduler/retry.js';
import { TaskHeap } from '../scheduler/task-heap.js';
import type { RunMemory } from '../memory/run-memory.js';
import { TaskContextImpl } from './context.js';
import type { CompiledWorkflow } from './compiled.js';
import { EVENT_TYPES } from './compiled.js';
import { cancelRun, failAttempt, failTask, skipWalk } from './run-end.js';
import { hookControl, inputOf, storeOutput } from './run-input.js';
import { EventHub } from './events.js';
import type { ResolvedWorkflowOptions } from './spec.js';
import { CANCELLED, PENDING, READY, RESUMING, RUNNING, SUCCEEDED, SUSPENDED, TaskState } from './state.js';
import type { RunStatus, TaskInput, TaskSpec, WorkflowEvent } from './types.js';

/** Tasks started in one synchronous burst before yielding to the event loop. */
const BURST = 4096;

let runCounter = 0;

/** @internal One run's state and scheduling. Public surface: {@link RunHandle} in handle.ts. */
export class Run {
  readonly runId: string;
  readonly s: TaskState;
  readonly heap: TaskHeap;
  readonly groupRunning: Int32Array;
  readonly groupHeaps: TaskHeap[];
  readonly hub = new EventHub();
  /** Events emitted, by type code (an index into EVENT_TYPES). */
  readonly counters = new Float64Array(EVENT_TYPES.length);
  readonly queueWait = new Histogram();
  readonly runTime = new Histogram();
  // Shared with the compiled workflow until a task is added (see own()): a run of a big static
  // graph copies nothing per task.
  specs: TaskSpec[];
  ids: string[];
  fns: TaskSpec['run'][];
  private owned = false;
  /** Indices of tasks added while running. */
  readonly added = new Map<string, number>();
  readonly extraSucc = new Map<number, number[]>();
  readonly extraPreds = new Map<number, number[]>();
  readonly extraRetry = new Map<number, ResolvedRetryPolicy>();
  readonly errors = new Map<number, unknown>();
  readonly controllers = new Map<number, AbortController>();
  readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  readonly suspensions = new Map<number, { resolve: (data: unknown) => void; reject: (error: unknown) => void }>();
  readonly resumeData = new Map<number, unknown>();
  readonly spans = new Map<number, ReturnType<NonNullable<ResolvedWorkflowOptions['tracer']>['startSpan']>>();
  readonly roomWaiters: (() => void)[] = [];
  /** `addTask` calls woken for room that have not added their task yet: the run may not end. */
  reserved = 0;
  /** Attempt counts at each task's last manual retryTask(): its retry policy counts from there. */
  readonly retryBase = new Map<number, number>();
  /** How to withdraw this run's tasks from the shared rate limiters' queues (on cancel). */
  readonly limiterWaits = new Set<() => void>();
  /** Per-attempt limits of the tasks that have one (few do; a map keeps the common case free). */
  readonly timeouts: Map<number, number>;
  n: number;
  running = 0;
  unfinished: number;
  settled = false;
  status: RunStatus | undefined;
  startedAt = 0;
  endedAt = 0;
  /**
   * The last time read from the clock. Reading performance.now() costs tens of ns, so the engine
   * reads it once per event (a completion, a timer, a dispatch round) and stamps everything that
   * event causes with it: times are exact to the last event, not to the instruction.
   */
  clock = 0;
  /** performance.now() when the run was created: times are stored relative to it, as float32. */
  readonly origin = performance.now();
  private pumping = false;
  private pumpQueued = false;
  private settle!: () => void;
  private detach: (() => void) | undefined;
  /** The reason every task cancelled with the run carries (one object, not one map entry per task). */
  cancelError: unknown;
  readonly done: Promise<void>;

  constructor(
    readonly wf: CompiledWorkflow,
    readonly runInput: unknown,
    runId: string | undefined,
  ) {
    this.runId = runId ?? `run-${++runCounter}`;
    const n = wf.specs.length;
    this.n = n;
    this.unfinished = n;
    this.specs = wf.specs as TaskSpec[];
    this.ids = wf.ids as string[];
    this.fns = wf.fns as TaskSpec['run'][];
    this.timeouts = new Map(wf.timeouts);
    this.s = new TaskState(n, wf.options.groupNames.length > 1, wf.limiters.length > 1, wf.priority);
    this.heap = new TaskHeap(() => this.s.priority, 64);
    const groups = wf.options.groupNames.length;
    this.groupRunning = new Int32Array(groups);
    this.groupHeaps = Array.from({ length: groups }, () => new TaskHeap(() => this.s.priority));
    const { remaining, group, limiter } = this.s;
    const { offsets, targets } = wf.graph;
    for (let e = 0; e < offsets[n]; e++) remaining[targets[e]]++;
    for (let i = 0; i < n; i++) {
      const spec = this.specs[i];
      if (spec.group !== undefined) group[i] = wf.groupIndex.get(spec.group)!;
      if (spec.rateLimit !== undefined) limiter[i] = wf.limiterIndex.get(spec.rateLimit)!;
      if (group.length === 0 && limiter.length === 0) break;
    }
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** @internal The run's view of the workflow's memory (see run-input.ts). */
  memoryView: RunMemory | undefined;

  /** Reads the clock (ms since the run's origin) into {@link clock}. */
  tick(): number {
    return (this.clock = performance.now() - this.origin);
  }

  /** Epoch milliseconds of a run-relative time. */
  epoch(t: number): number {
    return performance.timeOrigin + this.origin + t;
  }

  /** Makes the per-task arrays this run's own before it adds tasks. */
  own(): void {
    if (this.owned) return;
    this.owned = true;
    // Up to n: the definition may have grown since this run started.
    this.specs = this.specs.slice(0, this.n);
    this.ids = this.ids.slice(0, this.n);
    this.fns = this.fns.slice(0, this.n);
  }

  /** Index of task `id`, or undefined. */
  indexOf(id: string): number | undefined {
    return this.wf.index.get(id) ?? this.added.get(id);
  }

  /** Counts event `code` (an index into EVENT_TYPES: numbers, not strings, on the hot path) and delivers it if anyone listens. */
  emit(code: number, i: number, extra?: Partial<WorkflowEvent>): void {
    this.counters[code]++;
    if (!this.hub.active) return;
    const type = EVENT_TYPES[code];
    const time = this.epoch(this.clock);
    let event: WorkflowEvent =
      i >= 0 ? { type, time, runId: this.runId, taskId: this.ids[i], attempt: this.s.attempts[i] } : { type, time, runId: this.runId };
    if (extra !== undefined) event = Object.assign(event, extra);
    this.hub.emit(event);
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
    const { remaining } = this.s;
    const status = this.s.status;
    for (let i = 0; i < this.n; i++) if (remaining[i] === 0 && status[i] === PENDING) this.makeReady(i);
    this.pump();
    this.maybeSettle();
  }

  makeReady(i: number): void {
    this.s.status[i] = READY;
    this.s.t0[i] = this.clock;
    this.emit(1 /* task:ready */, i);
    this.heap.push(i);
  }

  /** Starts ready tasks while the limits allow, in priority order. */
  pump(): void {
    if (this.pumping || this.settled) return;
    this.pumping = true;
    this.tick();
    const s = this.s;
    const caps = this.wf.options.groupCaps;
    const concurrency = this.wf.options.concurrency;
    const hasGroups = s.group.length > 0;
    const hasLimiters = s.limiter.length > 0;
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
        const l = hasLimiters ? s.limiter[i] : 0;
        if (l !== 0 && st === READY) {
          const limiter = this.wf.limiters[l];
          if (!limiter.tryAcquire()) {
            const withdraw = limiter.wait(() => {
              this.limiterWaits.delete(withdraw);
              if (!this.settled && s.status[i] === READY) {
                this.heap.push(i);
                this.pump();
              }
            });
            this.limiterWaits.add(withdraw);
            // It waits without the group slot it was offered: offer that slot to the next one.
            if (g !== 0) this.offerGroupSlot(g);
            continue;
          }
        }
        if (st === RESUMING) this.resumeNow(i);
        else this.startNow(i);
      }
    } finally {
      this.pumping = false;
    }
  }

  private occupy(i: number): void {
    this.s.status[i] = RUNNING;
    this.running++;
    const g = this.s.group.length > 0 ? this.s.group[i] : 0;
    if (g !== 0) this.groupRunning[g]++;
    if (this.timeouts.size > 0) {
      const timeoutMs = this.timeouts.get(i);
      if (timeoutMs !== undefined) this.armTimeout(i, timeoutMs);
    }
  }

  /** Frees the slot (and group slot) of a running task. */
  vacate(i: number): void {
    this.running--;
    const g = this.s.group.length > 0 ? this.s.group[i] : 0;
    if (g !== 0) {
      this.groupRunning[g]--;
      this.offerGroupSlot(g);
    }
  }

  /** A slot of group `g` is free: its best live waiter goes back to the ready heap. */
  offerGroupSlot(g: number): void {
    const waiting = this.groupHeaps[g];
    const status = this.s.status;
    // Entries go stale (cancelled, re-queued, duplicated): one of them must not absorb the slot.
    while (waiting.size > 0) {
      const j = waiting.pop();
      if (status[j] === READY || status[j] === RESUMING) {
        this.heap.push(j);
        return;
      }
    }
  }

  private armTimeout(i: number, ms: number): void {
    const attempt = this.s.attempts[i];
    this.timers.set(
      i,
      setTimeout(() => {
        this.timers.delete(i);
        this.tick();
        const error = new TaskTimeoutError(this.ids[i], ms);
        this.controllers.get(i)?.abort(error);
        this.onError(i, attempt, error);
      }, ms),
    );
  }

  private startNow(i: number): void {
    const s = this.s;
    const attempt = ++s.attempts[i];
    if (this.resumeData.size > 0) this.resumeData.delete(i); // resume data belongs to one attempt
    const t = this.clock;
    this.queueWait.record(t - s.t0[i]);
    s.t0[i] = t;
    this.occupy(i);
    this.emit(2 /* task:start */, i);
    if (this.settled || s.status[i] !== RUNNING) return; // a listener cancelled it
    const tracer = this.wf.options.tracer;
    if (tracer) this.spans.set(i, tracer.startSpan(`task ${this.ids[i]}`, { attributes: { 'weft.run.id': this.runId, 'weft.task.id': this.ids[i], 'weft.task.attempt': attempt } }));
    let result: unknown;
    try {
      const ctx = new TaskContextImpl(this, i, attempt);
      result = this.fns[i](this.inputOf(i), ctx);
      const remember = this.specs[i].rememberOutput;
      if (remember) result = storeOutput(this, i, result, remember === true ? {} : remember, ctx);
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

  private resumeNow(i: number): void {
    this.occupy(i);
    const waiter = this.suspensions.get(i);
    this.suspensions.delete(i);
    waiter?.resolve(this.resumeData.get(i));
  }

  /** The outputs of task `i`'s dependencies, by id. */
  inputOf(i: number): TaskInput {
    return inputOf(this, i);
  }

  /** Whether attempt `attempt` of task `i` is still the live one. */
  isCurrent(i: number, attempt: number): boolean {
    const st = this.s.status[i];
    return !this.settled && this.s.attempts[i] === attempt && (st === RUNNING || st === SUSPENDED || st === RESUMING);
  }

  /** Ends the live attempt of `i`: slot, timer, signal controller, span. */
  endAttempt(i: number, error?: unknown): void {
    if (this.s.status[i] === RUNNING) this.vacate(i);
    // Size checks first: most tasks have no timer, no signal and no span, and these maps are
    // touched on every completion.
    if (this.timers.size > 0) {
      const timer = this.timers.get(i);
      if (timer !== undefined) {
        clearTimeout(timer);
        this.timers.delete(i);
      }
    }
    if (this.controllers.size > 0) this.controllers.delete(i);
    if (this.suspensions.size > 0) this.suspensions.delete(i); // a suspend() the task never awaited
    if (this.spans.size > 0) {
      const span = this.spans.get(i);
      if (span) {
        this.spans.delete(i);
        if (error !== undefined) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: 2, message: String((error as Error)?.message ?? error) });
        } else span.setStatus({ code: 1 });
        span.end();
      }
    }
  }

  onSuccess(i: number, attempt: number, value: unknown): void {
    if (!this.isCurrent(i, attempt)) return;
    this.endAttempt(i);
    const hooks = this.wf.hooks.size > 0 ? this.wf.hooks.get(this.ids[i]) : undefined;
    if (hooks) {
      try {
        for (const hook of hooks) hook(value, hookControl(this, i));
      } catch (error) {
        if (!this.settled) this.finalFail(i, error);
        return;
      }
      if (this.settled) return; // a hook's task cancelled the run (a critical failure)
    }
    const s = this.s;
    s.status[i] = SUCCEEDED;
    s.outputs[i] = value;
    const t = (this.tick());
    s.t1[i] = t;
    this.runTime.record(t - s.t0[i]);
    this.unfinished--;
    this.emit(6 /* task:succeeded */, i);
    if (i < this.wf.specs.length) {
      const { offsets, targets } = this.wf.graph;
      const remaining = s.remaining;
      const status = s.status;
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        const d = targets[e];
        if (--remaining[d] === 0 && status[d] === PENDING) this.makeReady(d);
      }
    }
    if (this.extraSucc.size > 0) {
      const extra = this.extraSucc.get(i);
      if (extra) for (const d of extra) if (--s.remaining[d] === 0 && s.status[d] === PENDING) this.makeReady(d);
    }
    this.afterFinish();
  }

  /** Room for waiting `addTask` calls, the next ready tasks, and the end of the run. */
  afterFinish(): void {
    const max = this.wf.options.maxPendingTasks;
    while (this.roomWaiters.length > 0 && this.unfinished + this.reserved < max) this.roomWaiters.shift()!();
    this.pump();
    this.maybeSettle();
  }

  retryPolicy(i: number): ResolvedRetryPolicy {
    return this.wf.retry.get(i) ?? this.extraRetry.get(i) ?? NO_RETRY;
  }

  /** Attempt `attempt` of task `i` failed: retry it, or fail the task (see run-end.ts). */
  onError(i: number, attempt: number, error: unknown): void {
    failAttempt(this, i, attempt, error);
  }

  /** Task `i` failed for good: record it, then cancel the run (critical) or skip its dependents. */
  finalFail(i: number, error: unknown): void {
    failTask(this, i, error);
  }

  forEachSucc(i: number, fn: (d: number) => void): void {
    if (i < this.wf.specs.length) {
      const { offsets, targets } = this.wf.graph;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) fn(targets[e]);
    }
    const extra = this.extraSucc.get(i);
    if (extra) for (const d of extra) fn(d);
  }

  /** Marks every not-yet-started task downstream of `i` skipped, naming the dependency that did not succeed. */
  skipDependents(i: number, why: string): void {
    const stack: [number, number, string][] = [];
    this.forEachSucc(i, (d) => stack.push([d, i, why]));
    this.skipWalk(stack);
  }

  /** Marks task `d` skipped because `parent` ended with status word `why`, and its dependents after it. */
  skipFrom(d: number, parent: number, why: string): void {
    this.skipWalk([[d, parent, why]]);
  }

  private skipWalk(stack: [number, number, string][]): void {
    skipWalk(this, stack);
  }

  /** Cancels the whole run: every unfinished task is cancelled, running ones see their signal abort. */
  cancel(reason: unknown, status: RunStatus | undefined): void {
    cancelRun(this, reason, status);
  }

  /** A task's failure, skip or cancellation reason. */
  errorOf(i: number): unknown {
    const e = this.errors.get(i);
    return e === undefined && this.s.status[i] === CANCELLED ? this.cancelError : e;
  }

  /** Whether a task has an error to report. */
  hasError(i: number): boolean {
    return this.errors.has(i) || (this.s.status[i] === CANCELLED && this.cancelError !== undefined);
  }

  maybeSettle(): void {
    if (this.settled || this.unfinished > 0 || this.reserved > 0) return;
    this.settled = true;
    let ok = true;
    const status = this.s.status;
    for (let i = 0; i < this.n && ok; i++) ok = status[i] === SUCCEEDED;
    this.finish(ok ? 'succeeded' : 'failed');
  }

  /** @internal Records the run's end and settles its result. */
  finish(status: RunStatus): void {
    this.status = status;
    this.endedAt = Math.fround(this.tick());
    this.detach?.();
    // Short-term memory lives as long as its run.
    try {
      this.wf.options.memory?.endRun(this.runId);
    } catch {
      // A closed memory has nothing left to clear.
    }
    this.emit(10 /* run:end */, -1, { status });
    this.hub.close();
    this.settle();
  }
}

