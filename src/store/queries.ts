// The store's read side: runs and tasks, filtered by indexed columns and paged, and the event log.

import type { Database, Statement } from 'better-sqlite3';
import { RunNotFoundError } from '../errors.js';
import { checkInteger, checkOneOf, expectedMessage } from '../internal/validate.js';
import type { TaskStatus, WorkflowEvent } from '../workflow/types.js';
import type { BlobStore } from './blobs.js';
import type { RecordedRunStatus, RecordedTask } from './durable-store.js';
import { decodeEvents } from './event-log.js';
import { TASK_COLUMNS, toRecordedTask, type TaskRow } from './read-run.js';

/** Page size when a query names none. */
export const DEFAULT_QUERY_LIMIT = 100;

const RUN_STATUSES: readonly RecordedRunStatus[] = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'];
const TASK_STATUSES: readonly TaskStatus[] = ['pending', 'ready', 'running', 'retrying', 'suspended', 'succeeded', 'failed', 'skipped', 'cancelled'];

/** A page of runs. */
export interface RunQuery {
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

/** The read statements of one connection; dynamic WHERE clauses are prepared once per shape. */
export class StoreQueries {
  private readonly shapes = new Map<string, Statement>();
  private readonly rid: Statement;
  private readonly eventRows: Statement;

  /**
   * @param db - the store's connection
   * @param blobs - where large outputs are
   * @param path - the file, for error messages
   */
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly path: string,
  ) {
    this.rid = db.prepare('SELECT rid FROM weft_runs WHERE id = ?').pluck();
    this.eventRows = db.prepare('SELECT time, events FROM weft_events WHERE run = ? ORDER BY seq').raw(true);
  }

  /** Runs, newest first. */
  runs(query: RunQuery): RunSummary[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.status !== undefined) {
      where.push('status = ?');
      args.push(checkOneOf('status', query.status, RUN_STATUSES));
    }
    if (query.workflow !== undefined) {
      if (typeof query.workflow !== 'string') throw new TypeError(expectedMessage('workflow', 'a string', query.workflow));
      where.push('workflow = ?');
      args.push(query.workflow);
    }
    const [limit, offset] = page(query);
    const sql = `SELECT id, workflow, status, started_at, ended_at, lease_owner, (SELECT count(*) FROM weft_tasks WHERE run = rid)
      FROM weft_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rid DESC LIMIT ? OFFSET ?`;
    const rows = this.statement(sql).all(...args, limit, offset) as [string, string, RecordedRunStatus, number, number | null, string | null, number][];
    return rows.map(([runId, workflow, status, startedAt, endedAt, leaseOwner, tasks]) => {
      const r: { -readonly [K in keyof RunSummary]: RunSummary[K] } = { runId, workflow, status, startedAt, tasks };
      if (endedAt !== null) r.endedAt = endedAt;
      if (leaseOwner !== null) r.leaseOwner = leaseOwner;
      return r;
    });
  }

  /** One run's tasks, in id order. */
  tasks(runId: string, query: TaskQuery): RecordedTask[] {
    const rid = this.ridOf(runId);
    const where = ['run = ?'];
    const args: unknown[] = [rid];
    if (query.status !== undefined) {
      where.push('status = ?');
      args.push(checkOneOf('status', query.status, TASK_STATUSES));
    }
    for (const key of ['parent', 'agent'] as const) {
      const v = query[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new TypeError(expectedMessage(key, 'a string', v));
      where.push(`${key} = ?`);
      args.push(v);
    }
    const [limit, offset] = page(query);
    const sql = `SELECT ${TASK_COLUMNS} FROM weft_tasks WHERE ${where.join(' AND ')} ORDER BY id LIMIT ? OFFSET ?`;
    return (this.statement(sql).all(...args, limit, offset) as TaskRow[]).map((r) => toRecordedTask(r, this.blobs));
  }

  /** One run's logged events, oldest first. */
  events(runId: string, query: { readonly limit?: number; readonly offset?: number }): StoredEvent[] {
    const rid = this.ridOf(runId);
    const limit = query.limit === undefined ? Number.MAX_SAFE_INTEGER : checkInteger('limit', query.limit, 1);
    const offset = query.offset === undefined ? 0 : checkInteger('offset', query.offset, 0);
    const out: StoredEvent[] = [];
    let skipped = 0;
    for (const [time, bytes] of this.eventRows.iterate(rid) as Iterable<[number, Buffer]>) {
      for (const e of decodeEvents(bytes, runId, time)) {
        if (skipped < offset) skipped++;
        else if (out.length < limit) out.push(e);
      }
      if (out.length >= limit) break;
    }
    return out;
  }

  private ridOf(runId: string): number {
    const rid = this.rid.get(runId) as number | undefined;
    if (rid === undefined) throw new RunNotFoundError(runId, this.path);
    return rid;
  }

  /** The statement of `sql` (read raw: rows as arrays), prepared on first use. */
  private statement(sql: string): Statement {
    let s = this.shapes.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql).raw(true);
      this.shapes.set(sql, s);
    }
    return s;
  }
}

function page(query: { readonly limit?: number; readonly offset?: number }): [number, number] {
  const limit = query.limit === undefined ? DEFAULT_QUERY_LIMIT : checkInteger('limit', query.limit, 1);
  const offset = query.offset === undefined ? 0 : checkInteger('offset', query.offset, 0);
  return [limit, offset];
}
