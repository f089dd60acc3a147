// Options of a workflow definition and of one run.

import type { AgentRegistry } from '../agents/agent-registry.js';
import type { Budget } from '../agents/define-agent.js';
import type { Executor } from '../executors/executor.js';
import type { TaskPool } from '../executors/task-pool.js';
import type { PressureOptions } from '../observe/resource-monitor.js';
import type { Memory } from '../memory/memory.js';
import type { RateLimitOptions } from '../scheduler/rate-limiter.js';
import type { DurableStore } from '../store/durable-store.js';
import type { Recorder } from './recorder.js';
import type { StallAction } from './types.js';

/** Options of {@link workflow}. */
export interface WorkflowOptions {
  /** Name, shown in events and diagrams. @default 'workflow' */
  readonly name?: string;
  /** Tasks running at once (suspended tasks do not count). @default Infinity */
  readonly concurrency?: number;
  /** Named concurrency groups and their caps, e.g. `{ io: 4 }`. @default {} */
  readonly groups?: Readonly<Record<string, number>>;
  /** Rate limiters to define (process-wide, see `defineRateLimit`) when a run starts. @default {} */
  readonly rateLimits?: Readonly<Record<string, RateLimitOptions>>;
  /**
   * Bound on unfinished tasks of a run that tasks added while it runs (`ctx.addTask`) must
   * respect: beyond it, `addTask` waits for room (`backpressure: 'wait'`) or rejects with
   * `QUEUE_FULL` (`'error'`). Tasks defined before the run are not limited.
   * @default 100000
   */
  readonly maxPendingTasks?: number;
  /** What `ctx.addTask` does when the run is at `maxPendingTasks`. @default 'wait' */
  readonly backpressure?: 'wait' | 'error';
  /**
   * Optional OpenTelemetry tracer (`trace.getTracer(...)` from `@opentelemetry/api`): each task
   * attempt becomes a span.
   * @default none
   */
  readonly tracer?: SpanTracer;
  /**
   * A memory store (`createMemory`) the run's tasks reach as `ctx.memory`; the run's
   * short-term items are deleted when the run ends.
   * @default none
   */
  readonly memory?: Memory;
  /**
   * Where the tasks' attempts run (see {@link Executor}).
   * @default inProcessExecutor (the task's function, on this thread)
   */
  readonly executor?: Executor;
  /**
   * Recorders that see every transition of every run, batched per tick (see {@link Recorder}).
   * @default []
   */
  readonly recorders?: readonly Recorder[];
  /**
   * The agents tasks can name (`wf.task({ id, agent, input })`), from `createAgentRegistry`.
   * Each agent with a `concurrency` gets a concurrency group `agent:<name>` with that cap
   * (declare the group in `groups` yourself to set another).
   * @default none
   */
  readonly agents?: AgentRegistry;
  /**
   * What one run may spend (`ctx.reportUsage`): once spent, no further agent task starts.
   * @default unlimited
   */
  readonly budget?: Budget;
  /**
   * What happens to an agent task whose budget (the workflow's or its agent's) is spent: it
   * fails with `BUDGET_EXCEEDED` (its dependents are skipped), or it waits, suspended (a
   * `task:suspended` event with reason `'budget'`), until `handle.setBudget()` raises the
   * budget or `handle.resume(taskId)` lets it start anyway. Running tasks finish either way.
   * @default 'fail'
   */
  readonly onBudgetExceeded?: 'fail' | 'suspend';
  /**
   * The threads that run tasks with `worker`: `createWorkerPool()` in Node, `createWebWorkerPool()` in a browser.
   * @default the process-wide pool (`os.availableParallelism()` threads, created on first use; `closeWorkers()` closes it). A browser has no process-wide pool: there a worker task without one fails with `INVALID_STATE`
   */
  readonly workerPool?: TaskPool;
  /**
   * Start fewer tasks while the process is under pressure (heap near its limit, event loop
   * lagging), with a `run:pressure` event when it starts and when it eases. `true`: the
   * defaults of {@link PressureOptions}.
   * @default false (no monitoring)
   */
  readonly pressure?: boolean | PressureOptions;
  /**
   * A durable store (`openStore({ path })`): it records every run (it is one more recorder), each
   * run needs a `runId`, and starting a `runId` the store already holds resumes that run (see the
   * README, "Durable runs"). It also journals `ctx.step` and runs `ctx.transaction`.
   * @default none (runs live in memory)
   */
  readonly store?: DurableStore;
  /** Default `stallTimeoutMs` of every task (see `TaskSpec.stallTimeoutMs`). @default none */
  readonly stallTimeoutMs?: number;
  /** Default `onStall` of every task. @default 'retry' */
  readonly onStall?: StallAction;
  /**
   * Finished tasks added while a run runs (`ctx.addTask`) leave the run's memory this long after
   * they and all their dependents finished, so a run that streams millions of tasks keeps a flat
   * heap. Their outputs stay in the `store`; the run keeps counting them (`result.counts`), but
   * `result.tasks`, `result.task(id)` and dependencies on them no longer see them.
   * @default none (tasks stay in memory until the run ends)
   */
  readonly archiveAfterMs?: number;
}

/** The part of an OpenTelemetry `Tracer` weft uses (so `@opentelemetry/api` stays optional). */
export interface SpanTracer {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): {
    setAttribute(key: string, value: string | number | boolean): unknown;
    setStatus(status: { code: number; message?: string }): unknown;
    recordException(error: Error | string): unknown;
    end(): void;
  };
}

/** Options of one run. */
export interface RunOptions {
  /** Aborting it cancels the run. */
  readonly signal?: AbortSignal;
  /** A value every task can read as `ctx.runInput`. */
  readonly input?: unknown;
  /**
   * Id of the run, in events. Required with a `store`: a `runId` the store already holds is
   * resumed.
   * @default a counter (`run-1`, `run-2`, ...)
   */
  readonly runId?: string;
  /**
   * Resume a recorded run even though the workflow's definition changed since (otherwise
   * `WORKFLOW_CHANGED`): succeeded tasks keep their recorded outputs, the others run with the
   * definition as it is now, removed tasks are forgotten.
   * @default false
   */
  readonly acceptChanges?: boolean;
  /**
   * Process signals (`['SIGTERM', 'SIGINT']`) that drain the run (`handle.drain`, with
   * `drainGraceMs`), then close the store and the worker pool, so that the process can exit.
   * @default none
   */
  readonly drainOnSignals?: readonly string[];
  /** The grace period of a drain started by `drainOnSignals`, in ms. @default 10000 */
  readonly drainGraceMs?: number;
}
