// The shapes of the run store's queries and their answers (public types, apart from the SQL).

import type { TaskStatus, WorkflowEvent } from '../workflow/types.js';
import type { RecordedRunStatus } from './durable-store.js';

/** Page size when a query names none. */
export const DEFAULT_QUERY_LIMIT = 100;


/** A page of runs. */
export interface RunQuery {
  /** Only the run with this id (at most one). @default any */
  readonly runId?: string;
  /** Only runs in this status. @default any */
  readonly status?: RecordedRunStatus;
  /** Only runs of this workflow. @default any */
  readonly workflow?: string;
  /** At most this many. @default 100 */
  readonly limit?: number;
  /** Skip this many (newest first). @default 0 */
  readonly offset?: number;
}

/** A page of one run's tasks. */
export interface TaskQuery {
  /** Only tasks in this status. @default any */
  readonly status?: TaskStatus;
  /** Only tasks added by this task. @default any */
  readonly parent?: string;
  /** Only tasks of this agent. @default any */
  readonly agent?: string;
  /** At most this many. @default 100 */
  readonly limit?: number;
  /** Skip this many (in id order). @default 0 */
  readonly offset?: number;
}

/** One recorded run, as listed. */
export interface RunSummary {
  readonly runId: string;
  readonly workflow: string;
  readonly status: RecordedRunStatus;
  /** Epoch ms of the first start. */
  readonly startedAt: number;
  /** Epoch ms of `run:end`, when recorded. */
  readonly endedAt?: number;
  /** The store holding its lease (`host:pid:instance`), while one does. */
  readonly leaseOwner?: string;
  /** Tasks recorded so far. */
  readonly tasks: number;
}

/** An event from the log, as recorded (without `output` and `spec`). */
export type StoredEvent = WorkflowEvent;
