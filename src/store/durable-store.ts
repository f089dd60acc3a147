// The seam between the run engine and a durable store. The engine records through the recorder
// seam it already has (one batch per tick, committed as one transaction) and asks the store for
// three more things: the recorded state of a run it is asked to start (resume), the journal of a
// task's steps, and a transaction on the store's own connection. Keeping these types here, apart
// from the SQLite implementation, lets the engine depend on what it needs and nothing more.

import type { StoreDatabase as Database } from './store-database.js';
import type { Recorder } from '../workflow/recorder.js';
import type { TaskSpec, TaskStatus } from '../workflow/types.js';

/** How a recorded run stands: `running` also covers a run whose process died (no `run:end` recorded). */
export type RecordedRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** What the engine tells the store about a run when it begins or resumes it. */
export interface RunMeta {
  /** The workflow's name. */
  readonly workflow: string;
  /** Hash of the definition (ids, dependencies, agents, data inputs), to detect a changed workflow on resume. */
  readonly definitionHash: string;
  /** Per task id, a digest of its definition: lets a resume name what changed. */
  readonly definition: Readonly<Record<string, string>>;
  /**
   * The defined dependencies of the tasks that have any, by task id: stored once per
   * `definitionHash`, for readers that draw the run's graph (`weft view`). Optional: a run begun
   * without it records none.
   */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
  /** `RunOptions.input`. */
  readonly input: unknown;
}

/** One task as the store last recorded it. */
export interface RecordedTask {
  readonly id: string;
  /** `running`/`ready`/`retrying`/`pending` after a crash mean "not finished": re-run it. */
  readonly status: TaskStatus;
  readonly attempts: number;
  readonly output?: unknown;
  readonly error?: unknown;
  /** Epoch ms. */
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Epoch ms at which the attempt in flight times out (from `task:start`'s `deadline`). */
  readonly deadline?: number;
  /** Set while the task is suspended: what `ctx.suspend` was given. */
  readonly suspended?: { readonly reason: string; readonly payload?: unknown };
  readonly agent?: string;
  /** The task whose `ctx.addTask` (or hook) added this one, for dynamic tasks. */
  readonly parent?: string;
}

/** A task added while the run ran (`task:added`), in the order it was added. */
export interface RecordedAddition {
  readonly id: string;
  readonly parent?: string;
  /** The task as data (no `run`): set when it can be re-created on resume (agent + input, or `worker`). */
  readonly spec?: Omit<TaskSpec, 'run'>;
  /** True when the task was given as a closure (`run`): it cannot be re-created in another process. */
  readonly closure: boolean;
  readonly dependsOn: readonly string[];
}

/** Everything a resume needs, read in one go. */
export interface RecordedRun {
  readonly runId: string;
  readonly workflow: string;
  readonly definitionHash: string;
  readonly definition: Readonly<Record<string, string>>;
  readonly status: RecordedRunStatus;
  readonly input: unknown;
  /** Epoch ms of the first start. */
  readonly startedAt: number;
  /** Every task recorded so far (defined and added), by id. */
  readonly tasks: ReadonlyMap<string, RecordedTask>;
  /** Dynamic tasks, oldest first. */
  readonly added: readonly RecordedAddition[];
  /** Dependencies added while the run ran (`dependency:added`), oldest first. */
  readonly edges: readonly { readonly taskId: string; readonly dependsOn: readonly string[] }[];
}

/** What the engine needs from a durable store (`openStore` returns one). */
export interface DurableStore extends Recorder {
  /** The database file. */
  readonly path: string;
  /**
   * Begins run `runId` in this process: takes its lease (another live process holding it: a
   * `RUN_LEASED` error) and returns the recorded run when the store already holds it (the engine
   * resumes it), or records a new run and returns `undefined`.
   */
  beginRun(runId: string, meta: RunMeta): RecordedRun | undefined;
  /** Releases the run's lease (after `run:end` is recorded, or when a drain interrupted it). */
  endRun(runId: string): void;
  /** The journaled result of step `key` of task `taskId`, if it completed before. */
  readStep(runId: string, taskId: string, key: string): { readonly value: unknown } | undefined;
  /** Journals step `key`'s result (committed before this returns). */
  writeStep(runId: string, taskId: string, key: string, value: unknown): void;
  /**
   * Runs `fn` on the store's connection inside one transaction with the journal record of step
   * `key`; when that record exists, returns its value without calling `fn`.
   */
  transaction<T>(runId: string, taskId: string, key: string, fn: (db: Database) => T): T;
  /** Closes the database (idempotent). */
  close(): void;
}
