// New task rows, inserted many per statement. A batch's new rows mostly look alike (a no-op task
// that started and succeeded: the same status, the same columns set, the others NULL), so rows
// are grouped by that shape and each group goes in through a statement made for it: the status a
// literal, the NULL columns left out, CHUNK rows per VALUES list. That saves better-sqlite3's
// per-call and per-value cost (a third of an insert), not SQLite's B-tree work.

import type { Database, Statement } from 'better-sqlite3';

/** A new task row as the batch leaves it. */
export interface NewRow {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  readonly startedAt: number | null;
  readonly deadline: number | null;
  readonly endedAt: number | null;
  /** The encoded output when kept in the row, else null. */
  readonly outputInline: Uint8Array | null;
  /** The output's blob id when kept in weft_blobs, else null. */
  readonly outputBlob: number | null;
  readonly error: Uint8Array | null;
  readonly suspended: Uint8Array | null;
  readonly parent: string | null;
  readonly agent: string | null;
}

// The optional columns, in the order of a shape's bits.
const OPTIONAL = ['output', 'output_blob', 'error', 'started_at', 'ended_at', 'deadline', 'parent', 'agent', 'suspended'] as const;
const CHUNK = 32;
// Shapes beyond this many (an odd mix of columns) share the generic statement.
const MAX_SHAPES = 64;
const STATUSES: readonly string[] = ['pending', 'ready', 'running', 'retrying', 'suspended', 'succeeded', 'failed', 'skipped', 'cancelled'];

interface Shape {
  readonly mask: number;
  readonly status: string | null;
  readonly width: number;
  readonly one: Statement;
  many: Statement | undefined;
  readonly rows: NewRow[];
}

/** Inserts new task rows (inside the caller's transaction); a row that exists after all is handed back. */
export class RowInserts {
  private readonly shapes = new Map<number, Shape>();
  private readonly generic: Shape;

  /** @param db - the store's connection */
  constructor(private readonly db: Database) {
    this.generic = this.shape(-1, null);
  }

  /**
   * Inserts `rows` for run `rid`. Returns the rows that were there already (written by a store
   * that did not tell this one), for the caller's upsert.
   */
  insert(rid: number, rows: Iterable<NewRow>): NewRow[] {
    const groups: Shape[] = [];
    for (const row of rows) {
      const mask = maskOf(row);
      const status = STATUSES.indexOf(row.status);
      const key = status * 512 + mask;
      let s = status < 0 ? this.generic : this.shapes.get(key);
      if (s === undefined) {
        s = this.shapes.size < MAX_SHAPES ? this.shape(mask, row.status) : this.generic;
        if (s !== this.generic) this.shapes.set(key, s);
      }
      if (s.rows.length === 0) groups.push(s);
      s.rows.push(row);
    }
    const existing: NewRow[] = [];
    for (const s of groups) {
      try {
        this.insertShape(rid, s, existing);
      } finally {
        s.rows.length = 0;
      }
    }
    return existing;
  }

  private insertShape(rid: number, s: Shape, existing: NewRow[]): void {
    const rows = s.rows;
    let k = 0;
    if (rows.length >= CHUNK) {
      s.many ??= this.db.prepare(sqlOf(s.mask, s.status, CHUNK));
      const args: unknown[] = new Array(CHUNK * s.width);
      for (; k + CHUNK <= rows.length; k += CHUNK) {
        let a = 0;
        for (let j = k; j < k + CHUNK; j++) a = fill(args, a, rid, rows[j], s.mask);
        try {
          s.many.run(args);
        } catch (error) {
          if (!isConflict(error)) throw error;
          // One of them exists: the statement left nothing behind; go row by row.
          for (let j = k; j < k + CHUNK; j++) this.insertOne(rid, s, rows[j], existing);
        }
      }
    }
    for (; k < rows.length; k++) this.insertOne(rid, s, rows[k], existing);
  }

  private insertOne(rid: number, s: Shape, row: NewRow, existing: NewRow[]): void {
    const args: unknown[] = new Array(s.width);
    fill(args, 0, rid, row, s.mask);
    try {
      s.one.run(args);
    } catch (error) {
      if (!isConflict(error)) throw error;
      existing.push(row);
    }
  }

  private shape(mask: number, status: string | null): Shape {
    const set = mask < 0 ? OPTIONAL.length : bits(mask);
    const width = 3 + set + (status === null ? 1 : 0);
    return { mask, status, width, one: this.db.prepare(sqlOf(mask, status, 1)), many: undefined, rows: [] };
  }
}

/** The INSERT of `n` rows of one shape (mask -1: every column bound, the status too). */
function sqlOf(mask: number, status: string | null, n: number): string {
  const cols = ['run', 'id', 'status', 'attempts'];
  const marks = ['?', '?', status === null ? '?' : `'${status}'`, '?'];
  OPTIONAL.forEach((col, b) => {
    if (mask < 0 || mask & (1 << b)) {
      cols.push(col);
      marks.push('?');
    }
  });
  const row = `(${marks.join(', ')})`;
  return `INSERT INTO weft_tasks (${cols.join(', ')}) VALUES ${Array(n).fill(row).join(', ')}`;
}

/** Which optional columns `row` sets. */
function maskOf(r: NewRow): number {
  return (
    (r.outputInline !== null ? 1 : 0) |
    (r.outputBlob !== null ? 2 : 0) |
    (r.error !== null ? 4 : 0) |
    (r.startedAt !== null ? 8 : 0) |
    (r.endedAt !== null ? 16 : 0) |
    (r.deadline !== null ? 32 : 0) |
    (r.parent !== null ? 64 : 0) |
    (r.agent !== null ? 128 : 0) |
    (r.suspended !== null ? 256 : 0)
  );
}

/** Writes `row`'s values for a statement of shape `mask` into `args` from `a`; returns the next index. */
function fill(args: unknown[], a: number, rid: number, r: NewRow, mask: number): number {
  args[a++] = rid;
  args[a++] = r.id;
  if (mask < 0) args[a++] = r.status;
  args[a++] = r.attempts;
  const all = mask < 0;
  if (all || mask & 1) args[a++] = r.outputInline;
  if (all || mask & 2) args[a++] = r.outputBlob;
  if (all || mask & 4) args[a++] = r.error;
  if (all || mask & 8) args[a++] = r.startedAt;
  if (all || mask & 16) args[a++] = r.endedAt;
  if (all || mask & 32) args[a++] = r.deadline;
  if (all || mask & 64) args[a++] = r.parent;
  if (all || mask & 128) args[a++] = r.agent;
  if (all || mask & 256) args[a++] = r.suspended;
  return a;
}

function bits(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

function isConflict(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
