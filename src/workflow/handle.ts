// The public face of a run: results, events, metrics and live control.

import type { Budget } from '../agents/define-agent.js';
import type { HistogramSummary } from '../observe/histogram.js';
import type { WorkflowListener } from './events.js';
import { toMermaid } from './mermaid.js';
import { setBudget } from './run-budget.js';
import { resumeTask, retryTask, setPriority } from './run-control.js';
import { drainRun, type DrainOptions } from './run-drain.js';
import { cancelTask } from './run-end.js';
import { liveTasks, runResult, taskResult, timeline, type Timeline } from './result.js';
import { EVENT_TYPES } from './compiled.js';
import type { Run } from './run.js';
import { STATUS_NAMES, SUSPENDED } from './state.js';
import type { RunResult, TaskResult, WorkflowEvent, WorkflowEventType } from './types.js';

/** Counters and latency histograms of a run. */
export interface RunMetrics {
  /** Events emitted so far, by type. */
  readonly events: Readonly<Partial<Record<WorkflowEventType, number>>>;
  /** Ready → start, in ms. */
  readonly queueWaitMs: HistogramSummary;
  /** Start of the successful attempt → end, in ms. */
  readonly runMs: HistogramSummary;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks not yet in a final status. */
  readonly unfinished: number;
  /** Tokens the tasks reported with `ctx.reportTokens()`. */
  readonly tokens: number;
}

/** A running (or finished) workflow run. */
export class RunHandle {
  /** Settles when every task has reached a final status, or the run was cancelled. Never rejects. */
  readonly result: Promise<RunResult>;

  /** @internal */
  constructor(private readonly run: Run) {
    this.result = run.done.then(() => runResult(run, run.status!));
  }

  /** The run's id (in every event). */
  get runId(): string {
    return this.run.runId;
  }

  /** Whether the run has ended. */
  get settled(): boolean {
    return this.run.settled;
  }

  /** Subscribes to events of one type (or `'*'`); returns the unsubscribe function. */
  on(type: WorkflowEventType | '*', listener: WorkflowListener): () => void {
    return this.run.hub.on(type, listener);
  }

  /** The run's events from now on, as an async iterator that ends after `run:end`. */
  events(): AsyncIterableIterator<WorkflowEvent> {
    return this.run.hub.iterate();
  }

  /** Cancels the run: running tasks' signals abort with `TASK_CANCELLED`; the result settles at once. */
  cancel(reason?: unknown): void {
    this.run.cancel(reason, undefined);
  }

  /**
   * Stops the run gracefully: no task starts any more, running ones have `graceMs` to finish,
   * then the rest are stopped (cancelled with `RUN_INTERRUPTED`) and the run ends
   * `interrupted` (a durable store records it so; resuming the run runs exactly those tasks
   * again). A run that ends within the grace period keeps its own status.
   */
  drain(options?: DrainOptions): Promise<RunResult> {
    return drainRun(this.run, options).then(() => this.result);
  }

  /** Cancels one task (its dependents are skipped). Returns false if it had already finished. */
  cancelTask(taskId: string, reason?: unknown): boolean {
    return cancelTask(this.run, taskId, reason);
  }

  /** Runs a task again now (see the README: restart a running one, reopen a failed one). */
  retryTask(taskId: string): void {
    retryTask(this.run, taskId);
  }

  /** Changes a waiting task's priority. */
  setPriority(taskId: string, priority: number): void {
    setPriority(this.run, taskId, priority);
  }

  /** Continues a task suspended with `ctx.suspend()`, which receives `data`. */
  resume(taskId: string, data?: unknown): void {
    resumeTask(this.run, taskId, data);
  }

  /**
   * Replaces this run's budget (`agent` given: that agent's budget in this run) and lets the
   * tasks suspended for a spent budget try again (`onBudgetExceeded: 'suspend'`).
   */
  setBudget(budget: Budget | undefined, options?: { agent?: string }): void {
    setBudget(this.run, budget, options?.agent);
  }

  /** One task's current state, or undefined for an unknown id. */
  task(taskId: string): TaskResult | undefined {
    const i = this.run.graph.indexOf(taskId);
    return i === undefined ? undefined : taskResult(this.run, i);
  }

  /** Every task's current state. */
  snapshot(): readonly TaskResult[] {
    return liveTasks(this.run);
  }

  /** Ids of the tasks suspended now, waiting for `resume()`. */
  suspended(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.run.graph.n; i++) if (this.run.s.status[i] === SUSPENDED) out.push(this.run.graph.ids[i]);
    return out;
  }

  /** Event counters and latency histograms. */
  metrics(): RunMetrics {
    return {
      events: Object.fromEntries(EVENT_TYPES.map((t, k) => [t, this.run.counters[k]]).filter(([, c]) => c !== 0)),
      queueWaitMs: this.run.queueWait.summary(),
      runMs: this.run.runTime.summary(),
      running: this.run.running,
      unfinished: this.run.unfinished,
      tokens: this.run.tokens,
    };
  }

  /** Per-lane Gantt data of the tasks that have finished. */
  timeline(): Timeline {
    return timeline(this.run);
  }

  /** The run's graph (tasks added while running included) as Mermaid, nodes styled by status. */
  toMermaid(): string {
    const run = this.run;
    return toMermaid(run.graph.ids, (i) => run.graph.predecessors(i), (i) => STATUS_NAMES[run.s.status[i]]);
  }

  /** @internal Bytes of per-task engine state (typed arrays), for the memory benchmark. */
  stateBytes(): number {
    return this.run.s.byteLength;
  }
}

export { runResult };
