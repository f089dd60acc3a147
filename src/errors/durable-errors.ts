// The errors of durable runs: resuming a run whose definition changed or that cannot be
// re-created, journaled steps, stalled tasks and drained runs.

import { WeftError } from './weft-error.js';

/** What changed in a workflow's definition between a run's crash and its resume. */
export interface DefinitionChanges {
  /** Tasks defined now that the recorded run did not have. */
  readonly added: readonly string[];
  /** Tasks the recorded run had that are no longer defined. */
  readonly removed: readonly string[];
  /** Tasks whose definition (dependencies, agent, data input, retry, timeouts, ...) differs. */
  readonly changed: readonly string[];
}

/** A run was resumed with a definition other than the one it was recorded with (pass `acceptChanges: true` to go on). */
export class WorkflowChangedError extends WeftError implements DefinitionChanges {
  /** The run being resumed. */
  readonly runId: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];

  /**
   * @param runId - the run
   * @param changes - the tasks added, removed and changed
   */
  constructor(runId: string, changes: DefinitionChanges) {
    const parts = (['added', 'removed', 'changed'] as const).filter((k) => changes[k].length > 0).map((k) => `${k}: ${list(changes[k])}`);
    super('WORKFLOW_CHANGED', `run ${runId}: the workflow changed since the run was recorded (${parts.join('; ') || 'options'}); pass \`acceptChanges: true\` to resume it anyway`);
    this.runId = runId;
    this.added = changes.added;
    this.removed = changes.removed;
    this.changed = changes.changed;
  }
}

function list(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).map((id) => `\`${id}\``).join(', ');
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
}

/** An unfinished dynamic task of a recorded run was given as a closure (`run`): another process cannot re-create it. */
export class TaskNotResumableError extends WeftError {
  /** The run being resumed. */
  readonly runId: string;
  /** The task that cannot be re-created. */
  readonly taskId: string;

  /**
   * @param runId - the run
   * @param taskId - the closure task
   */
  constructor(runId: string, taskId: string) {
    super('TASK_NOT_RESUMABLE', `run ${runId}: task \`${taskId}\` was added as a closure (\`run\`) and did not finish; a closure cannot be re-created in another process (add it as data: \`agent\` + \`input\`, or \`worker\`)`);
    this.runId = runId;
    this.taskId = taskId;
  }
}

/** `ctx.transaction` (or another store-only call) in a workflow without a `store`. */
export class NoStoreError extends WeftError {
  /**
   * @param what - the call that needs the store
   */
  constructor(what: string) {
    super('NO_STORE', `${what} needs the workflow's \`store\` option (openStore({ path }))`);
  }
}

/** One attempt used the same step key twice: a journal entry must name one piece of work. */
export class DuplicateStepError extends WeftError {
  /** The task. */
  readonly taskId: string;
  /** The repeated key. */
  readonly key: string;

  /**
   * @param taskId - the task
   * @param key - the step key used twice
   */
  constructor(taskId: string, key: string) {
    super('STEP_DUPLICATE', `task \`${taskId}\`: step key \`${key}\` is used twice in one attempt (each step needs its own key)`);
    this.taskId = taskId;
    this.key = key;
  }
}

/** A running task was silent (no heartbeat, no step, no output) for longer than its `stallTimeoutMs`. */
export class TaskStalledError extends WeftError {
  /** The task. */
  readonly taskId: string;
  /** Its stall limit, in ms. */
  readonly stallTimeoutMs: number;

  /**
   * @param taskId - the task
   * @param stallTimeoutMs - its stall limit
   */
  constructor(taskId: string, stallTimeoutMs: number) {
    super('TASK_STALLED', `task \`${taskId}\` stalled: no heartbeat for ${stallTimeoutMs} ms`);
    this.taskId = taskId;
    this.stallTimeoutMs = stallTimeoutMs;
  }
}

/** What a task stopped by `handle.drain()` ends with: the run was interrupted, and a resume runs it again. */
export class RunInterruptedError extends WeftError {
  /** The task, or undefined for the run's own. */
  readonly taskId: string | undefined;

  /**
   * @param taskId - the task stopped (undefined: the run)
   * @param why - what interrupted it
   */
  constructor(taskId: string | undefined, why: string) {
    super('RUN_INTERRUPTED', `${taskId === undefined ? 'run' : `task \`${taskId}\``} interrupted: ${why}`);
    this.taskId = taskId;
  }
}
