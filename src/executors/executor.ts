// The executor seam: where an attempt of a task runs. The engine keeps the graph, the limits,
// the timers and every task's state; an executor only turns an attempt into an outcome. What
// crosses is kept to what a worker thread or another machine could receive and send back.

import type { TaskContext, TaskInput, TaskSpec } from '../workflow/types.js';
import type { AttemptResources } from './worker-options.js';

/**
 * One attempt of one task, as the engine hands it to an {@link Executor}.
 *
 * In: the task's identity (`runId`, `taskId`, `attempt`), what to run (`task`), its `input` (the
 * dependencies' outputs) and its `deadline`. Out: the outcome (the value `execute` returns or
 * resolves to, or the error it throws or rejects with), and on the way the calls on `context`:
 * `heartbeat()`, `reportTokens()`, `suspend()` (the "suspended" outcome: it resolves with the
 * resume data), `addTask()`/`addDependency()`. An executor that runs the task elsewhere forwards
 * those calls and nothing else.
 */
export interface Attempt {
  readonly runId: string;
  readonly taskId: string;
  /** From 1. */
  readonly attempt: number;
  /** The task's definition: in process its `run` is called; elsewhere it must be data. */
  readonly task: TaskSpec;
  /** The outputs of the task's dependencies, by id. */
  readonly input: TaskInput;
  /**
   * Whether a store records the run: then `runId`, `taskId` and `attempt` name the attempt in
   * every process (a resumed run runs its attempt in flight again under the same number), and an
   * executor far away can find work it handed out before a crash. Otherwise `runId` is only this
   * process's (a counter by default).
   */
  readonly durable?: boolean;
  /** The task's priority in its run (higher first): its `priority`, or its upward rank. A queue elsewhere can order by it. */
  readonly priority: number;
  /** Epoch ms at which the engine fails the attempt with `TASK_TIMEOUT`, or `undefined`. */
  readonly deadline: number | undefined;
  /** Aborts on cancellation or timeout; the reason says which. */
  readonly signal: AbortSignal;
  /** What the task function receives as its second argument. */
  readonly context: TaskContext;
  /**
   * Calls `listener` once, with the reason, when the engine gives up on the attempt (what
   * `signal` tells, without an AbortSignal being made: cheaper for an executor that only
   * forwards the abort elsewhere). Absent on attempts made outside the engine.
   */
  onAbort?(listener: (reason: unknown) => void): void;
  /** Reports the attempt's CPU time and heap (executors that measure them): the task's next event carries them. */
  resources?(used: AttemptResources): void;
}

/**
 * Where attempts run. `execute` returns the task's output, or a promise of it, and throws or
 * rejects with the task's error; the engine does the rest (retries, timeouts, cancellation,
 * recording). An attempt the engine has given up on (cancelled, timed out) has its signal
 * aborted: an executor that can stop the work for real (a worker thread) should.
 */
export interface Executor {
  /** Short name, in errors and diagnostics (`'in-process'`, ...). */
  readonly name: string;
  /**
   * Whether tasks with `worker` are this executor's too (it runs them elsewhere, as data): then the
   * engine hands them here rather than to its worker-thread pool.
   * @default false
   */
  readonly runsWorkerTasks?: boolean;
  /** Runs one attempt (see {@link Attempt}). */
  execute(attempt: Attempt): unknown;
}
