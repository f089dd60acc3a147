// Updates of task rows that exist, one statement per set of columns a batch changed: a plain
// UPDATE of those columns by primary key, instead of the upsert's INSERT attempt, conflict and
// a CASE per column (a drain that cancels 50,000 resumed tasks, or a resume re-running them).

import type { Database, Statement } from 'better-sqlite3';
import type { NewRow } from './row-inserts.js';

/** Which columns an update sets, as bits (the batch writer's draft mask). */
export const M_STATUS = 1;
export const M_STARTED = 2;
export const M_OUTPUT = 4;
export const M_ERROR = 8;
export const M_ENDED = 16;
export const M_SUSPENDED = 32;

/** A row's new values and which of them to set. */
export interface ChangedRow extends NewRow {
  readonly mask: number;
}

// Columns per bit, in the order their values are bound.
const COLUMNS: readonly (readonly [number, readonly string[]])[] = [
  [M_STATUS, ['status', 'attempts']],
  [M_OUTPUT, ['output', 'output_blob']],
  [M_ERROR, ['error']],
  [M_STARTED, ['started_at', 'deadline']],
  [M_ENDED, ['ended_at']],
  [M_SUSPENDED, ['suspended']],
];

/** The UPDATE statements of one connection, by mask. */
export class RowUpdates {
  private readonly byMask = new Map<number, Statement>();

  /** @param db - the store's connection */
  constructor(private readonly db: Database) {}

  /** Updates `row` of run `rid`; false when it has no row (the caller inserts it). */
  update(rid: number, row: ChangedRow): boolean {
    const m = row.mask & 63;
    let st = this.byMask.get(m);
    if (st === undefined) {
      const sets: string[] = [];
      for (const [bit, cols] of COLUMNS) if (m & bit) for (const c of cols) sets.push(`${c} = ?`);
      sets.push('parent = coalesce(parent, ?)', 'agent = coalesce(?, agent)');
      st = this.db.prepare(`UPDATE weft_tasks SET ${sets.join(', ')} WHERE run = ? AND id = ?`);
      this.byMask.set(m, st);
    }
    const args: unknown[] = [];
    if (m & M_STATUS) args.push(row.status, row.attempts);
    if (m & M_OUTPUT) args.push(row.outputInline, row.outputBlob);
    if (m & M_ERROR) args.push(row.error);
    if (m & M_STARTED) args.push(row.startedAt, row.deadline);
    if (m & M_ENDED) args.push(row.endedAt);
    if (m & M_SUSPENDED) args.push(row.suspended);
    args.push(row.parent, row.agent, rid, row.id);
    return st.run(args).changes > 0;
  }
}
