// One recorded batch → rows. A task's row is written once per batch, with what its last
// transitions in the batch left (a no-op task that starts and succeeds in one tick is one write),
// and only transitions that change what a resume or a query needs write it: `task:ready` and
// heartbeats go to the event log only. Columns a batch did not touch keep their stored values
// (a draft's mask says which ones it sets). New rows go through row-inserts.ts, existing ones
// through row-updates.ts; the upsert is left for a row that exists after all.

import type { Database, Statement } from 'better-sqlite3';
import { isWeftError, StoreEncodeError } from '../errors.js';
import type { WorkflowEvent } from '../workflow/types.js';
import type { BlobStore } from './blobs.js';
import { RowInserts } from './row-inserts.js';
import { M_ENDED, M_ERROR, M_OUTPUT, M_STARTED, M_STATUS, M_SUSPENDED, RowUpdates } from './row-updates.js';
import { encodeValue } from './store-codec.js';


/** A task's row as this batch leaves it. */
interface Draft {
  id: string;
  status: string;
  attempts: number;
  mask: number;
  startedAt: number | null;
  deadline: number | null;
  endedAt: number | null;
  outputInline: Uint8Array | null;
  outputBlob: number | null;
  error: Uint8Array | null;
  suspended: Uint8Array | null;
  parent: string | null;
  agent: string | null;
  /** Whether the task's first event in the batch is one that creates its row (see {@link createsRow}). */
  fresh: boolean;
}

/** What the writer knows of a run it records. */
export interface RunCursor {
  readonly rid: number;
  readonly runId: string;
  addSeq: number;
  edgeSeq: number;
  /**
   * Ids of the tasks that had a row when the cursor was made (a resumed run's). The others are
   * told apart by their first event instead of a set of every id written, whose upkeep cost as
   * much as a quarter of the insert; a wrong guess costs a fallback, not a wrong row.
   */
  readonly known: { has(id: string): boolean };
}

/** Writes batches' task rows, additions, edges and run transitions (inside the caller's transaction). */
export class BatchWriter {
  private readonly inserts: RowInserts;
  private readonly updates: RowUpdates;
  private readonly upsert: Statement;
  private readonly addition: Statement;
  private readonly edge: Statement;
  private readonly runStatus: Statement;
  private readonly runEnd: Statement;
  private readonly drafts = new Map<string, Draft>();
  // The last error encoded, and its bytes: a cancel or a drain gives thousands of tasks one error.
  private lastError: unknown;
  private lastErrorBytes: Uint8Array | null = null;

  /**
   * @param db - the store's connection
   * @param blobs - where large outputs go
   * @param inlineBytes - the largest value kept in its row
   */
  constructor(
    db: Database,
    private readonly blobs: BlobStore,
    private readonly inlineBytes: number,
  ) {
    this.inserts = new RowInserts(db);
    this.updates = new RowUpdates(db);
    const set = (col: string, bit: number) => `${col} = CASE WHEN ? & ${bit} THEN excluded.${col} ELSE ${col} END`;
    this.upsert = db.prepare(
      `INSERT INTO weft_tasks (run, id, status, attempts, output, output_blob, error, started_at, ended_at, deadline, parent, agent, suspended)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run, id) DO UPDATE SET ${[
         set('status', M_STATUS), set('attempts', M_STATUS), set('output', M_OUTPUT), set('output_blob', M_OUTPUT), set('error', M_ERROR),
         set('started_at', M_STARTED), set('deadline', M_STARTED), set('ended_at', M_ENDED), set('suspended', M_SUSPENDED),
       ].join(', ')}, parent = coalesce(parent, excluded.parent), agent = coalesce(excluded.agent, agent)`,
    );
    this.addition = db.prepare('INSERT OR IGNORE INTO weft_additions (run, seq, id, parent, closure, spec, depends_on) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.edge = db.prepare('INSERT OR IGNORE INTO weft_edges (run, seq, task, depends_on) VALUES (?, ?, ?, ?)');
    this.runStatus = db.prepare("UPDATE weft_runs SET status = 'running', ended_at = NULL WHERE rid = ?");
    this.runEnd = db.prepare('UPDATE weft_runs SET status = ?, ended_at = ? WHERE rid = ?');
  }

  /** Applies the events of one run (oldest first), then writes the task rows they touched. */
  write(run: RunCursor, events: readonly WorkflowEvent[], from: number, to: number): void {
    const drafts = this.drafts;
    try {
      for (let k = from; k < to; k++) this.apply(run, events[k]);
      const rid = run.rid;
      const known = run.known;
      const fresh: Draft[] = [];
      for (const d of drafts.values()) {
        // An update that finds no row means a new task after all: it is inserted.
        if ((d.fresh && !known.has(d.id)) || !this.updates.update(rid, d)) fresh.push(d);
      }
      // A row that exists after all (a wrong guess, or a store that did not tell this one) gets the upsert.
      if (fresh.length > 0) for (const d of this.inserts.insert(rid, fresh) as Draft[]) this.upsertRow(rid, d);
    } finally {
      drafts.clear();
      this.lastError = undefined;
      this.lastErrorBytes = null;
    }
  }

  /** The error's bytes, encoded once for a run of events carrying the same error object. */
  private encodeError(error: unknown): Uint8Array | null {
    if (error === undefined) return null;
    if (error !== this.lastError || this.lastErrorBytes === null) {
      this.lastErrorBytes = encodeLossy(error);
      this.lastError = error;
    }
    return this.lastErrorBytes;
  }

  private upsertRow(rid: number, d: Draft): void {
    const m = d.mask;
    this.upsert.run(
      rid, d.id, d.status, d.attempts, d.outputInline, d.outputBlob, d.error, d.startedAt, d.endedAt, d.deadline, d.parent, d.agent, d.suspended,
      m, m, m, m, m, m, m, m, m,
    );
  }

  private draft(e: WorkflowEvent): Draft {
    const id = e.taskId as string;
    let d = this.drafts.get(id);
    if (d === undefined) {
      d = { id, status: 'pending', attempts: e.attempt ?? 0, mask: 0, startedAt: null, deadline: null, endedAt: null, outputInline: null, outputBlob: null, error: null, suspended: null, parent: null, agent: e.agent ?? null, fresh: createsRow(e) };
      this.drafts.set(id, d);
    }
    if (e.attempt !== undefined) d.attempts = e.attempt;
    if (e.agent !== undefined) d.agent = e.agent;
    return d;
  }

  private apply(run: RunCursor, e: WorkflowEvent): void {
    switch (e.type) {
      case 'task:start': {
        const d = this.draft(e);
        d.status = 'running';
        d.mask |= M_STATUS | M_STARTED | M_OUTPUT | M_ENDED | M_SUSPENDED;
        d.startedAt = e.time;
        d.deadline = e.deadline ?? null;
        d.outputInline = null;
        d.outputBlob = null;
        d.endedAt = null;
        d.suspended = null;
        return;
      }
      case 'task:succeeded': {
        const d = this.draft(e);
        d.status = 'succeeded';
        d.mask |= M_STATUS | M_OUTPUT | M_ERROR | M_ENDED | M_SUSPENDED;
        d.endedAt = e.time;
        d.suspended = null;
        d.error = null;
        d.outputInline = null;
        d.outputBlob = null;
        if (e.output === undefined) return;
        let bytes: Uint8Array;
        try {
          bytes = encodeValue(e.output);
        } catch (error) {
          if (!isWeftError(error, 'ENCODE_UNSUPPORTED')) throw error;
          d.error = encodeValue(new StoreEncodeError(run.runId, e.taskId, 'output', { cause: error }));
          return;
        }
        // Small values in the row, large ones stored once by content (as value-slot.ts does for steps).
        if (bytes.length <= this.inlineBytes) d.outputInline = bytes;
        else d.outputBlob = this.blobs.put(bytes);
        return;
      }
      case 'task:failed':
      case 'task:skipped':
      case 'task:cancelled':
      case 'task:retry': {
        const d = this.draft(e);
        d.status = e.type === 'task:retry' ? 'retrying' : e.type.slice(5);
        d.mask |= M_STATUS | M_ERROR;
        d.error = this.encodeError(e.error);
        if (e.type === 'task:retry') return;
        d.mask |= M_ENDED | M_OUTPUT | M_SUSPENDED;
        d.endedAt = e.time;
        d.outputInline = null;
        d.outputBlob = null;
        d.suspended = null;
        return;
      }
      case 'task:suspended': {
        const d = this.draft(e);
        d.status = 'suspended';
        d.mask |= M_STATUS | M_SUSPENDED;
        d.suspended = encodeLossy([e.reason ?? '', e.payload]);
        return;
      }
      case 'task:resumed': {
        const d = this.draft(e);
        d.status = 'running';
        d.mask |= M_STATUS | M_SUSPENDED;
        d.suspended = null;
        return;
      }
      case 'task:added': {
        const d = this.draft(e);
        d.parent = e.parent ?? null;
        const spec = e.spec;
        const deps = encodeValue(e.dependsOn ?? spec?.dependsOn ?? []);
        const data = specData(spec);
        this.addition.run(run.rid, run.addSeq++, e.taskId, e.parent ?? null, data === null ? 1 : 0, data, deps);
        return;
      }
      case 'dependency:added':
        this.edge.run(run.rid, run.edgeSeq++, e.taskId, encodeValue(e.dependsOn ?? []));
        return;
      case 'run:start':
        this.runStatus.run(run.rid);
        return;
      case 'run:end':
        this.runEnd.run(e.status ?? 'failed', e.time, run.rid);
        return;
      default:
        // task:ready, task:heartbeat, task:stream, run:pressure: the event log has them.
        return;
    }
  }
}

/**
 * Whether `e`, a task's first event in a batch, is what first writes its row in a run recorded
 * here: its first start, its addition, or an end without a start (skipped, or cancelled or
 * failed before it ran). Anything else follows an event of an earlier batch.
 */
function createsRow(e: WorkflowEvent): boolean {
  switch (e.type) {
    case 'task:start':
      return (e.attempt ?? 0) <= 1;
    case 'task:added':
      return true;
    case 'task:skipped':
    case 'task:cancelled':
    case 'task:failed':
      return (e.attempt ?? 0) === 0;
    default:
      return false;
  }
}

/** The spec as data (without `run`), or null when it is a closure (or holds one, e.g. a `retryOn` function). */
function specData(spec: WorkflowEvent['spec']): Uint8Array | null {
  if (spec === undefined) return null;
  // An agent task's `run` is the engine's: the agent's name and input re-create it.
  if (typeof spec.run === 'function' && spec.agent === undefined) return null;
  const { run: _run, ...data } = spec;
  try {
    return encodeValue(data);
  } catch {
    return null;
  }
}

/** Encodes an error or payload, falling back to its string form (the transition must be recorded). */
function encodeLossy(value: unknown): Uint8Array | null {
  if (value === undefined) return null;
  try {
    return encodeValue(value);
  } catch {
    return encodeValue(String(value));
  }
}
