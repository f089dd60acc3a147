// The store's read side: runs and tasks, filtered by indexed columns and paged, and the event log.

import type { Database, Statement } from 'better-sqlite3';
import { RunNotFoundError } from '../errors.js';
import { checkInteger, checkOneOf, expectedMessage } from '../internal/validate.js';
import type { TaskStatus, WorkflowEvent } from '../workflow/types.js';
import type { BlobStore } from './blobs.js';
import type { RecordedRunStatus, RecordedTask } from './durable-store.js';
import { decodeEvents } from './event-log.js';
import { DEFAULT_QUERY_LIMIT, type RunQuery, type RunSummary, type StoredEvent, type TaskQuery } from './query-types.js';
import { TASK_COLUMNS, toRecordedTask, type TaskRow } from './read-run.js';
import { decodeValue } from './store-codec.js';

export { DEFAULT_QUERY_LIMIT } from './query-types.js';
export type { RunQuery, RunSummary, StoredEvent, TaskQuery } from './query-types.js';

const RUN_STATUSES: readonly RecordedRunStatus[] = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'];
const TASK_STATUSES: readonly TaskStatus[] = ['pending', 'ready', 'running', 'retrying', 'suspended', 'succeeded', 'failed', 'skipped', 'cancelled'];

/** The read statements of one connection; dynamic WHERE clauses are prepared once per shape. */
export class StoreQueries {
  private readonly shapes = new Map<string, Statement>();
  private readonly rid: Statement;
  private readonly eventRows: Statement;
  private readonly definitionRow: Statement;

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
    this.definitionRow = db.prepare('SELECT r.definition, d.dependencies FROM weft_runs r LEFT JOIN weft_definitions d ON d.hash = r.definition_hash WHERE r.id = ?').raw(true);
  }

  /** Runs, newest first. */
  runs(query: RunQuery): RunSummary[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.runId !== undefined) {
      if (typeof query.runId !== 'string') throw new TypeError(expectedMessage('runId', 'a string', query.runId));
      where.push('id = ?');
      args.push(query.runId);
    }
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
    const { sql, args } = taskSelect(this.ridOf(runId), query);
    return (this.statement(sql).all(...args) as TaskRow[]).map((r) => toRecordedTask(r, this.blobs));
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

  /** One run's defined tasks with their dependencies, by task id, in definition order. */
  dependencies(runId: string): Record<string, readonly string[]> {
    const row = this.definitionRow.get(runId) as [Buffer, Buffer | null] | undefined;
    if (row === undefined) throw new RunNotFoundError(runId, this.path);
    // The per-task digests name every defined task; the graph (schema 2) those with dependencies.
    const digests = decodeValue(row[0]) as Record<string, string>;
    const graph = row[1] === null ? {} : (decodeValue(row[1]) as Record<string, readonly string[]>);
    const out: Record<string, readonly string[]> = {};
    for (const id of Object.keys(digests)) out[id] = graph[id] ?? [];
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

/** The SELECT of a task query and its arguments (exported for the query-plan test). */
export function taskSelect(rid: number, query: TaskQuery): { sql: string; args: unknown[] } {
  const where = ['run = ?'];
  const args: unknown[] = [rid];
  let index = '';
  if (query.status !== undefined) {
    where.push('status = ?');
    args.push(checkOneOf('status', query.status, TASK_STATUSES));
    // Filters name their (partial) index: without statistics the planner would rather walk the
    // primary key in id order, reading every task of the run. The status index leaves succeeded
    // tasks out, so its condition is spelled out for the other statuses.
    if (query.status !== 'succeeded') {
      where.push("status <> 'succeeded'");
      index = ' INDEXED BY weft_tasks_status';
    }
  }
  for (const key of ['parent', 'agent'] as const) {
    const v = query[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new TypeError(expectedMessage(key, 'a string', v));
    where.push(`${key} = ?`);
    args.push(v);
    if (index === '') index = ` INDEXED BY weft_tasks_${key}`;
  }
  const [limit, offset] = page(query);
  args.push(limit, offset);
  return { sql: `SELECT ${TASK_COLUMNS} FROM weft_tasks${index} WHERE ${where.join(' AND ')} ORDER BY id LIMIT ? OFFSET ?`, args };
}

function page(query: { readonly limit?: number; readonly offset?: number }): [number, number] {
  const limit = query.limit === undefined ? DEFAULT_QUERY_LIMIT : checkInteger('limit', query.limit, 1);
  const offset = query.offset === undefined ? 0 : checkInteger('offset', query.offset, 0);
  return [limit, offset];
}
