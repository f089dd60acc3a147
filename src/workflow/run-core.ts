// The state of one run and the small operations every part of the engine shares: the clock,
// readiness, slots, the end of an attempt, skips, transitions (counted, emitted to listeners,
// batched for recorders) and the run's end. Dispatch (the hot path) is in run.ts, which extends
// this; failures and cancellation in run-end.ts; live control in run-control.ts. All of them
// import this file and nothing imports them back.

import { UsageLedger } from '../agents/usage.js';
import { DependencyFailedError } from '../errors.js';
import type { WorkerGate } from '../executors/worker-gate.js';
import type { AttemptResources } from '../executors/worker-options.js';
import type { RunMemory } from '../memory/run-memory.js';
import { runMemory } from '../memory/run-memory.js';
import { Histogram } from '../observe/histogram.js';
import { TaskHeap } from '../scheduler/task-heap.js';
import type { CompiledWorkflow } from './compiled.js';
import { EVENT_TYPES } from './compiled.js';
import { EventHub } from './events.js';
import type { ArchiveHooks, DurableHooks, StallHooks } from './run-extras.js';
import { RunGraph } from './run-graph.js';
import { CANCELLED, PENDING, READY, RESUMING, RUNNING, SKIPPED, SUCCEEDED, SUSPENDED, TaskState } from './state.js';
import type { RunStatus, WorkflowEvent } from './types.js';

type Span = ReturnType<NonNullable<CompiledWorkflow['options']['tracer']>['startSpan']>;

let runCounter = 0;

/** @internal One run's state. Public surface: `RunHandle` in handle.ts. */
export abstract class RunCore {
  readonly runId: string;
  readonly graph: RunGraph;
  readonly s: TaskState;
  readonly heap: TaskHeap;
  readonly groupRunning: Int32Array;
  readonly groupHeaps: TaskHeap[];
  readonly hub = new EventHub();
  /** Transitions, by type code (an index into EVENT_TYPES). */
  readonly counters = new Float64Array(EVENT_TYPES.length);
  readonly queueWait = new Histogram();
  readonly runTime = new Histogram();
  /** Tokens reported with `ctx.reportTokens()`. */
  tokens = 0;
  /** What the run spent (`ctx.reportUsage`) and its budgets; created with the first report, or at once with agents. */
  usage: UsageLedger | undefined;
  /** Whether the workflow has agents: their tasks' events name the agent, and dispatch checks budgets. */
  readonly withAgents: boolean;
  /** Agent tasks waiting, suspended, for a spent budget (`onBudgetExceeded: 'suspend'`). */
  readonly parked = new Set<number>();
  /** Parked tasks let through by `resume()` despite the budget. */
  readonly budgetOverride = new Set<number>();
  readonly errors = new Map<number, unknown>();
  // Per live attempt; size checks first wherever they are read: most tasks have no timer, no
  // signal, no span, and these maps are touched on every completion.
  /** How to abort each running attempt that asked to know (its signal, or an executor's `onAbort`). */
  readonly controllers = new Map<number, { abort(reason?: unknown): void }>();
  // Annotated, not inferred: the emitted .d.ts must not name NodeJS.Timeout (a consumer may lack @types/node).
  readonly timers: Map<number, ReturnType<typeof setTimeout>> = new Map();
  readonly suspensions = new Map<number, { resolve: (data: unknown) => void; reject: (error: unknown) => void }>();
  readonly resumeData = new Map<number, unknown>();
  /** Epoch ms at which a running attempt times out (tasks with `timeoutMs` only). */
  readonly deadlines = new Map<number, number>();
  /** What a suspended attempt had left of its timeout when it suspended. */
  readonly timeLeft = new Map<number, number>();
  readonly spans = new Map<number, Span>();
  /** CPU time and heap of ending worker attempts, for their next event (only while observed). */
  readonly resources = new Map<number, AttemptResources>();
  /** Dispatch of tasks with `worker` (created when the run has one). */
  gate: WorkerGate | undefined;
  /** The cap on running tasks while the process is under pressure, or `undefined` when it is not. */
  pressureCap: number | undefined;
  readonly roomWaiters: (() => void)[] = [];
  /** `addTask` calls woken for room that have not added their task yet: the run may not end. */
  reserved = 0;
  /** Attempt counts at each task's last manual retryTask(): its retry policy counts from there. */
  readonly retryBase = new Map<number, number>();
  /** How to withdraw this run's tasks from the shared rate limiters' queues (on cancel). */
  readonly limiterWaits = new Set<() => void>();
  /** The run's record in a durable store (resume, journal), if the workflow has one. */
  durable: DurableHooks | undefined;
  /** Stall detection, when a task or the workflow has a `stallTimeoutMs`. */
  stall: StallHooks | undefined;
  /** Archival of finished added tasks (`archiveAfterMs`). */
  archive: ArchiveHooks | undefined;
  /** Set by `handle.drain()`: no task starts any more. */
  draining = false;
  /** A drain waiting for the running tasks to end. */
  drainWaiter: (() => void) | undefined;
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
  /** The reason every task cancelled with the run carries (one object, not one map entry per task). */
  cancelError: unknown;
  readonly done: Promise<void>;
  private settle!: () => void;
  /** Detaches the run's abort listener from the caller's signal. */
  detach: (() => void) | undefined;
  private memoryView: RunMemory | undefined;
  /** This tick's transitions, for the recorders (undefined when the workflow has none). */
  private batch: WorkflowEvent[] | undefined;
  private flushQueued = false;

  constructor(
    readonly wf: CompiledWorkflow,
    /** `RunOptions.input` (a resumed run's recorded input when none is given). */
    public runInput: unknown,
    runId: string | undefined,
  ) {
    this.runId = runId ?? `run-${++runCounter}`;
    this.graph = new RunGraph(wf);
    const n = this.graph.n;
    this.unfinished = n;
    this.s = new TaskState(n, wf.options.groupNames.length > 1, wf.limiters.length > 1, wf.priority);
    this.heap = new TaskHeap(() => this.s.priority, 64);
    const groups = wf.options.groupNames.length;
    this.groupRunning = new Int32Array(groups);
    this.groupHeaps = Array.from({ length: groups }, () => new TaskHeap(() => this.s.priority));
    if (wf.options.recorders.length > 0) this.batch = [];
    this.withAgents = wf.options.agents !== undefined;
    if (this.withAgents || wf.options.budget !== undefined) this.usage = new UsageLedger(wf.options.budget);
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** Starts ready tasks while the limits allow (run.ts). */
  abstract pump(): void;

  /** Whether anything sees transitions (a listener or a recorder): only then are events built. */
  get observed(): boolean {
    return this.hub.active || this.batch !== undefined;
  }

  /** Reads the clock (ms since the run's origin) into {@link clock}. */
  tick(): number {
    return (this.clock = performance.now() - this.origin);
  }

  /** Epoch milliseconds of a run-relative time. */
  epoch(t: number): number {
    return performance.timeOrigin + this.origin + t;
  }

  /** The workflow's memory as this run sees it, created on first use. */
  get memory(): RunMemory | undefined {
    const m = this.wf.options.memory;
    if (m === undefined) return undefined;
    return (this.memoryView ??= runMemory(m, this.runId));
  }

  /**
   * A transition of type `code` (an index into EVENT_TYPES: numbers, not strings, on the hot
   * path) of task `i` (-1: the run's own): counted, delivered to listeners at once and to the
   * recorders with the rest of this tick's. No event object is built when nobody looks.
   */
  emit(code: number, i: number, extra?: Partial<WorkflowEvent>): void {
    this.counters[code]++;
    if (!this.observed) return;
    const event = this.event(code, i);
    this.deliver(extra === undefined ? event : Object.assign(event, extra));
  }

  /** `task:succeeded` of task `i`, with its output (no extra object per event on this path). */
  emitSucceeded(i: number, output: unknown): void {
    this.counters[6]++;
    if (!this.observed) return;
    const event = this.event(6, i) as { output?: unknown };
    event.output = output;
    this.deliver(event as WorkflowEvent);
  }

  private event(code: number, i: number): WorkflowEvent {
    const type = EVENT_TYPES[code];
    const time = this.epoch(this.clock);
    if (i < 0) return { type, time, runId: this.runId };
    const event: WorkflowEvent = this.withAgents
      ? { type, time, runId: this.runId, taskId: this.graph.ids[i], attempt: this.s.attempts[i], agent: this.graph.specs[i].agent }
      : { type, time, runId: this.runId, taskId: this.graph.ids[i], attempt: this.s.attempts[i] };
    if (this.resources.size === 0) return event;
    const used = this.resources.get(i);
    if (used === undefined) return event;
    this.resources.delete(i);
    return Object.assign(event, used);
  }

  /** Charges a `reportUsage` of task `i` to the run's tally and budgets and to its agent's metrics. */
  chargeUsage(i: number, prompt: number, completion: number, cost: number): void {
    const agent = this.graph.specs[i].agent;
    (this.usage ??= new UsageLedger(this.wf.options.budget)).charge(this.graph.ids[i], agent, prompt, completion, cost);
    const registry = this.wf.options.agents;
    if (agent === undefined || registry === undefined || !registry.has(agent)) return;
    const entry = registry.entry(agent);
    entry.promptTokens += prompt;
    entry.completionTokens += completion;
    entry.costUsd += cost;
  }

  private deliver(event: WorkflowEvent): void {
    if (this.hub.active) this.hub.emit(event);
    const batch = this.batch;
    if (batch !== undefined) {
      batch.push(event);
      if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(() => this.flush());
      }
    }
  }

  /** Records nothing more (a replayed run that had ended: the store has it all). */
  stopRecording(): void {
    this.batch = undefined;
  }

  /** Hands this tick's transitions to the recorders. */
  private flush(): void {
    this.flushQueued = false;
    const batch = this.batch;
    if (batch === undefined || batch.length === 0) return;
    this.batch = [];
    for (const recorder of this.wf.options.recorders) {
      try {
        recorder.record(batch);
      } catch (error) {
        // A recorder observes: its failure is reported, as an unhandled error would be, and the run goes on.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  makeReady(i: number): void {
    this.s.status[i] = READY;
    this.s.t0[i] = this.clock;
    this.emit(1 /* task:ready */, i);
    this.heap.push(i);
  }

  /** Frees the slot (and group slot) of a running task. */
  vacate(i: number): void {
    if (--this.running === 0 && this.drainWaiter !== undefined) queueMicrotask(this.drainWaiter);
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

  /** Whether attempt `attempt` of task `i` is still the live one. */
  isCurrent(i: number, attempt: number): boolean {
    const st = this.s.status[i];
    return !this.settled && this.s.attempts[i] === attempt && (st === RUNNING || st === SUSPENDED || st === RESUMING);
  }

  /** Stops task `i`'s timer (timeout or retry backoff), if it has one. */
  clearTimer(i: number): void {
    if (this.timers.size === 0) return;
    const timer = this.timers.get(i);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(i);
    }
  }

  /** Stops the timeout clock of a suspending attempt, keeping what it has left. */
  pauseDeadline(i: number): void {
    if (this.deadlines.size === 0) return;
    const deadline = this.deadlines.get(i);
    if (deadline === undefined) return;
    this.deadlines.delete(i);
    this.timeLeft.set(i, Math.max(0, deadline - this.epoch(this.clock)));
  }

  /** Ends the live attempt of `i`: slot, timer, signal controller, span. */
  endAttempt(i: number, error?: unknown): void {
    if (this.s.status[i] === RUNNING) this.vacate(i);
    if (this.stall !== undefined) this.stall.ended(i);
    this.clearTimer(i);
    if (this.deadlines.size > 0) this.deadlines.delete(i);
    if (this.timeLeft.size > 0) this.timeLeft.delete(i);
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

  /** Marks every not-yet-started task downstream of `i` skipped, naming the dependency that did not succeed. */
  skipDependents(i: number, why: string): void {
    const stack: [number, number, string][] = [];
    this.graph.forEachSucc(i, (d) => stack.push([d, i, why]));
    this.skipWalk(stack);
  }

  /** Marks task `d` skipped because `parent` ended with status word `why`, and its dependents after it. */
  skipFrom(d: number, parent: number, why: string): void {
    this.skipWalk([[d, parent, why]]);
  }

  /** Marks each `[task, parent, why]` on the stack skipped (if not started), then its dependents. */
  private skipWalk(stack: [number, number, string][]): void {
    const s = this.s;
    const ids = this.graph.ids;
    while (stack.length > 0) {
      const [d, parent, reason] = stack.pop()!;
      const st = s.status[d];
      if (st !== PENDING && st !== READY) continue;
      s.status[d] = SKIPPED;
      s.t1[d] = this.clock;
      const error = new DependencyFailedError(ids[d], ids[parent], reason);
      this.errors.set(d, error);
      this.unfinished--;
      this.emit(8 /* task:skipped */, d, { error });
      this.graph.forEachSucc(d, (e) => stack.push([e, d, 'skipped']));
    }
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

  /** Room for waiting `addTask` calls, the next ready tasks, and the end of the run. */
  afterFinish(): void {
    const max = this.wf.options.maxPendingTasks;
    while (this.roomWaiters.length > 0 && this.unfinished + this.reserved < max) this.roomWaiters.shift()!();
    this.pump();
    this.maybeSettle();
  }

  maybeSettle(): void {
    if (this.settled || this.unfinished > 0 || this.reserved > 0) return;
    this.settled = true;
    let ok = true;
    const status = this.s.status;
    for (let i = 0; i < this.graph.n && ok; i++) ok = status[i] === SUCCEEDED;
    this.finish(ok ? 'succeeded' : 'failed');
  }

  /** Records the run's end and settles its result (recorders have the last batch first). */
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
    this.flush();
    this.stall?.stop();
    this.archive?.stop();
    this.durable?.end();
    this.hub.close();
    this.settle();
  }
}
