import type { RetryPolicy } from '../scheduler/retry.js';
import type { RememberOutputOptions, RunMemory } from '../memory/run-memory.js';
import type { WorkerTaskOptions } from '../executors/worker-options.js';
import type { PressureState } from '../observe/resource-monitor.js';
import type { StoreDatabase } from '../store/store-database.js';

export type { StoreDatabase, StoreStatement } from '../store/store-database.js';

/**
 * Where a task stands. `pending`: waiting for dependencies; `ready`: runnable, waiting for a
 * slot, a group or a rate limiter; `retrying`: waiting out a backoff delay.
 */
export type TaskStatus = 'pending' | 'ready' | 'running' | 'retrying' | 'suspended' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** The outputs of a task's dependencies, by task id. */
export type TaskInput = Readonly<Record<string, unknown>>;

/** A task's work: receives its dependencies' outputs and its context; returns its output. */
export type TaskFn<O = unknown> = (input: TaskInput, ctx: TaskContext) => O | PromiseLike<O>;

/** One task of a workflow. */
export interface TaskSpec<O = unknown> {
  /** Unique within the workflow (and the run, for tasks added while it runs). */
  readonly id: string;
  /** The work (required unless `worker` names it; agent tasks get theirs from the engine). */
  readonly run?: TaskFn<O>;
  /**
   * Set on agent tasks (given as an {@link AgentTaskSpec}): the agent's name. The engine then
   * supplies `run`, and the task is data (`agent` + `input`) that an executor elsewhere can carry.
   */
  readonly agent?: string;
  /** Agent tasks: the agent's input, as data (`{ $ref }` values are replaced by dependency outputs). */
  readonly input?: unknown;
  /** Ids of the tasks whose outputs this one needs. @default [] */
  readonly dependsOn?: readonly string[];
  /**
   * Explicit priority: higher starts first among ready tasks. Without it, the priority is the
   * task's upward rank (the longest path of `estimateMs` from it to the end of the graph), so
   * the critical path goes first.
   * @default the upward rank
   */
  readonly priority?: number;
  /** Expected duration, in ms, used to weigh the critical path. @default 1 */
  readonly estimateMs?: number;
  /** Concurrency group (declared in `WorkflowOptions.groups`) whose cap this task counts against. */
  readonly group?: string;
  /** Name of a process-wide rate limiter (see `defineRateLimit` / `WorkflowOptions.rateLimits`). */
  readonly rateLimit?: string;
  /** Retry policy. @default a single attempt */
  readonly retry?: RetryPolicy;
  /** Per-attempt time limit, in ms: the task's signal aborts and the attempt fails with `TASK_TIMEOUT`. @default none */
  readonly timeoutMs?: number;
  /** When this task fails for good, the whole run is cancelled. @default false */
  readonly critical?: boolean;
  /**
   * Store the task's output in the workflow's `memory` when it succeeds (`true`: the run's
   * short-term scope; or options such as `{ scope: 'long-term' }`). The task succeeds only once
   * the output is stored. Requires `WorkflowOptions.memory`.
   * @default false
   */
  readonly rememberOutput?: boolean | RememberOutputOptions;
  /**
   * Run the task in a worker thread: the export of a module, with `run`'s signature (see
   * {@link WorkerTaskOptions}). On timeout or cancellation its thread is terminated.
   * @default none (the workflow's executor runs `run`)
   */
  readonly worker?: WorkerTaskOptions;
  /**
   * A running attempt silent (no `ctx.heartbeat()`, no `ctx.step()` ending) for longer than this
   * has stalled: it gets its {@link onStall} action and a `task:stalled` event.
   * @default the workflow's `stallTimeoutMs` (none: no stall detection)
   */
  readonly stallTimeoutMs?: number;
  /**
   * What a stall does: `'retry'` fails the attempt with `TASK_STALLED` (its retry policy decides
   * whether another attempt runs), `'fail'` fails the task for good, `'cancel'` cancels it.
   * @default the workflow's `onStall` ('retry')
   */
  readonly onStall?: StallAction;
}

/** What happens to a task that stalled (see `TaskSpec.stallTimeoutMs`). */
export type StallAction = 'retry' | 'fail' | 'cancel';

/** What a journaled step's function receives (see `TaskContext.step`). */
export interface StepContext {
  /** `${runId}/${taskId}/${key}`: the same on every attempt and after a resume; give it to the outside world (an HTTP `Idempotency-Key`). */
  readonly idempotencyKey: string;
  /** The step's signal (the option's, else the attempt's). */
  readonly signal: AbortSignal;
}

/**
 * A task made of data: the agent named `agent` (in the workflow's `agents` registry) runs on
 * `input`. Inside `input`, `{ $ref: 'taskId' }` stands for that dependency's output and
 * `{ $ref: 'taskId', path: 'a.b.0' }` for a part of it; each referenced task becomes a dependency.
 * The other options are a task's; `rateLimit` defaults to the agent's.
 */
export interface AgentTaskSpec extends Omit<TaskSpec, 'run' | 'agent' | 'input'> {
  readonly agent: string;
  /** The agent's input (validated by its input schema once the `$ref`s are replaced). @default undefined */
  readonly input?: unknown;
  readonly run?: undefined;
}

/** Tokens and money one model call (or a task, an agent, a run) used. */
export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** US dollars. @default 0 */
  readonly costUsd?: number;
}

/** What a run spent: in all, per agent and per task (only the tasks that reported usage). */
export interface RunUsage {
  readonly total: Required<Usage> & { readonly tokens: number };
  readonly agents: Readonly<Record<string, Required<Usage> & { readonly tokens: number }>>;
  readonly tasks: Readonly<Record<string, Required<Usage> & { readonly tokens: number }>>;
}

/** What a task can do while it runs. */
export interface TaskContext {
  /** This task's id. */
  readonly taskId: string;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  /** Aborts when the run or this task is cancelled, or the attempt times out (the reason says which). */
  readonly signal: AbortSignal;
  /** `RunOptions.input`. */
  readonly runInput: unknown;
  /** The workflow's memory as this run sees it (short-term items are this run's), if it has one. */
  readonly memory: RunMemory | undefined;
  /** The data given to `resume()` the last time this task was suspended, else `undefined`. */
  readonly resumeData: unknown;
  /**
   * Epoch ms at which this attempt times out (`timeoutMs` after it started; a suspension stops
   * the clock and moves it), or `undefined` without a `timeoutMs`. Pass it on to the calls the
   * task makes, so they give up in time.
   */
  readonly deadline: number | undefined;
  /**
   * Adds a task to this run (validated like defined ones: unique id, known dependencies, no
   * cycle). Waits (or rejects with `QUEUE_FULL`) while the run is at `maxPendingTasks`.
   */
  addTask(spec: TaskSpec | AgentTaskSpec, options?: { signal?: AbortSignal }): Promise<void>;
  /** Makes the not-yet-started task `taskId` also wait for `dependsOn` (rejected if it would close a cycle). */
  addDependency(taskId: string, dependsOn: string): void;
  /** Charges `tokens` to this task's rate limiter's token budget (and counts them in the run's metrics). */
  reportTokens(tokens: number): void;
  /**
   * Reports a model call's usage: its tokens (prompt + completion) are charged like
   * `reportTokens`, and tokens and cost to the run's and the agent's budgets and to
   * `result.usage`.
   */
  reportUsage(usage: Usage): void;
  /** Charges network bytes (sent + received) to this task's rate limiter (`bytesPerInterval`). */
  reportBytes(bytes: number): void;
  /** Emits a `task:stream` event with `delta` (a model's next tokens, say). */
  stream(delta: string): void;
  /**
   * Says the task is alive and making progress (`progress` is yours: a fraction, a step count).
   * Emitted as `task:heartbeat`; executors that run tasks far away forward their workers' calls,
   * and stall detection reads the last one.
   */
  heartbeat(progress?: unknown): void;
  /**
   * Suspends this task for human input: it leaves its concurrency slot, the rest of the run goes
   * on, and the promise resolves with the data passed to `handle.resume(taskId, data)`.
   */
  suspend(reason: string, payload?: unknown): Promise<unknown>;
  /**
   * Runs `fn` once per run and journals its result under `key` (with the workflow's `store`):
   * an attempt that runs again (a retry, or after a crash) gets the journaled result instead of
   * calling `fn` again. `fn` may still run twice when the process dies between its end and the
   * journal write (at-least-once): pass `idempotencyKey` to the outside world. Without a store it
   * just runs `fn`. A key used twice in one attempt: `STEP_DUPLICATE`.
   */
  step<T>(key: string, fn: (step: StepContext) => T | PromiseLike<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /**
   * Runs the synchronous `fn` on the store's own SQLite connection in one transaction with its
   * journal record: exactly once per run and `key` (a repeat returns the recorded value without
   * calling `fn`). Without a store: `NO_STORE`.
   */
  transaction<T>(key: string, fn: (db: StoreDatabase) => T): T;
}


/** Event types, in the order a task meets them. */
export type WorkflowEventType =
  | 'run:start'
  | 'task:ready'
  | 'task:start'
  | 'task:retry'
  | 'task:suspended'
  | 'task:resumed'
  | 'task:succeeded'
  | 'task:failed'
  | 'task:skipped'
  | 'task:cancelled'
  | 'run:end'
  | 'task:added'
  | 'dependency:added'
  | 'task:heartbeat'
  | 'task:stream'
  | 'run:pressure'
  | 'task:stalled';

/** One event of a run. Fields beyond `type`, `time` and `runId` are set where they apply. */
export interface WorkflowEvent {
  readonly type: WorkflowEventType;
  /** Epoch milliseconds (sub-millisecond precision). */
  readonly time: number;
  readonly runId: string;
  readonly taskId?: string;
  readonly attempt?: number;
  /** Task events of agent tasks (in a workflow with `agents`): the agent's name. */
  readonly agent?: string;
  /** `task:stream`: what the task passed to `ctx.stream()`. */
  readonly delta?: string;
  /** `task:failed`, `task:retry`, `task:skipped`, `task:cancelled`, `task:stalled`: why. */
  readonly error?: unknown;
  /** `task:retry`: the backoff before the next attempt. */
  readonly delayMs?: number;
  /** `task:suspended`: the reason and payload given to `ctx.suspend`. */
  readonly reason?: string;
  readonly payload?: unknown;
  /** `run:end`: the run's status. */
  readonly status?: RunStatus;
  /** `task:succeeded`: the task's output. */
  readonly output?: unknown;
  /** `task:added`: the added task's definition. */
  readonly spec?: TaskSpec;
  /** `task:added`: the task whose `ctx.addTask` (or `onTaskComplete` hook) added it. */
  readonly parent?: string;
  /** `task:start` of a task with `timeoutMs`: epoch ms at which the attempt times out (a durable store keeps it across a resume). */
  readonly deadline?: number;
  /** `task:added`, `dependency:added`: the dependencies the task gained (ids). */
  readonly dependsOn?: readonly string[];
  /** `task:heartbeat`: what the task passed to `ctx.heartbeat()`. */
  readonly progress?: unknown;
  /** `task:succeeded`, `task:failed`, `task:retry` of a worker task: the attempt's CPU time, ms. */
  readonly cpuMs?: number;
  /** Same events: the largest committed heap of its thread seen during the attempt, bytes. */
  readonly heapPeakBytes?: number;
  /** `run:pressure`: whether the process is under pressure now, and the reading that says so. */
  readonly pressure?: PressureState;
}

/**
 * How a run ended: `failed` when any task failed or was skipped; `interrupted` when
 * `handle.drain()` stopped it (a durable run resumes from there).
 */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** A task's outcome (or state, in a snapshot). */
export interface TaskResult {
  readonly id: string;
  readonly status: TaskStatus;
  readonly output?: unknown;
  /** Failure, skip or cancellation reason, with its `cause` chain. */
  readonly error?: unknown;
  readonly attempts: number;
  /** Epoch ms of the last attempt's start, if it started. */
  readonly startedAt?: number;
  /** Epoch ms when it reached its final status. */
  readonly endedAt?: number;
}

/** What a run returns. */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
  /** Tasks per status. */
  readonly counts: Readonly<Record<TaskStatus, number>>;
  /** Every task, in definition (then addition) order; built on first access. */
  readonly tasks: readonly TaskResult[];
  /** One task's result by id. */
  task(id: string): TaskResult | undefined;
  /** One task's output by id (`undefined` unless it succeeded). */
  output(id: string): unknown;
  /** What the run spent (`ctx.reportUsage`): in all, per agent, per task. */
  readonly usage: RunUsage;
}
