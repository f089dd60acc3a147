// The durable run store: a recorder that group-commits each batch, the lease and read-back a
// resume needs, the step journal, queries and retention, on one SQLite connection (one writer).

import type { Database, Statement } from 'better-sqlite3';
import { InvalidStateError, RunLeasedError, RunNotFoundError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import type { WorkflowEvent } from '../workflow/types.js';
import { BatchWriter, type RunCursor } from './batch-writer.js';
import { BlobStore } from './blobs.js';
import type { DurableStore, RecordedRun, RecordedTask, RunMeta } from './durable-store.js';
import { encodeEvents, safeEvents } from './event-log.js';
import { leaseIsLive, newLeaseOwner } from './lease.js';
import { openDatabase, storeFailure } from './open-database.js';
import { StoreQueries, type RunQuery, type RunSummary, type StoredEvent, type TaskQuery } from './queries.js';
import { RunReader, type RunRow } from './read-run.js';
import { pruneRuns, type PruneResult } from './retention.js';
import type { Migration } from './schema.js';
import { encodeValue } from './store-codec.js';
import { resolveStoreOptions, type ResolvedStoreOptions, type StoreOptions } from './store-options.js';
import { fromSlot, toSlot } from './value-slot.js';

interface Cursor extends RunCursor {
  eventSeq: number;
}

/** The run store {@link openStore} returns: a {@link DurableStore} with queries and retention. */
export class RunStore implements DurableStore {
  /** The database file. */
  readonly path: string;
  /** The resolved options. */
  readonly options: ResolvedStoreOptions;
  /** This store's lease owner name, `host:pid:instance`. */
  readonly owner: string;
  private readonly db: Database;
  private readonly blobs: BlobStore;
  private readonly writer: BatchWriter;
  private readonly reader: RunReader;
  private readonly queries: StoreQueries;
  private readonly cursors = new Map<string, Cursor>();
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastRenew = 0;
  private readonly s: Record<'runById' | 'insertRun' | 'takeLease' | 'release' | 'renew' | 'event' | 'eventSeq' | 'readStep' | 'writeStep' | 'seqs', Statement>;
  private readonly recordTx: (batch: readonly WorkflowEvent[]) => void;

  /**
   * @param options - see {@link StoreOptions}
   * @param migrations - the file format's steps (tests fake newer formats with it)
   */
  constructor(options: StoreOptions, migrations?: readonly Migration[]) {
    this.options = resolveStoreOptions(options);
    this.path = this.options.path;
    this.owner = newLeaseOwner();
    const { busyTimeoutMs, synchronous, readonly } = this.options;
    this.db = openDatabase(this.path, { busyTimeoutMs, synchronous, readonly, migrations });
    const db = this.db;
    try {
      this.blobs = new BlobStore(db);
      this.writer = new BatchWriter(db, this.blobs, this.options.inlineBytes);
      this.reader = new RunReader(db, this.blobs);
      this.queries = new StoreQueries(db, this.blobs, this.path);
      this.s = {
        runById: db.prepare('SELECT rid, id, workflow, definition_hash, definition, status, input, started_at, ended_at, lease_owner, lease_at FROM weft_runs WHERE id = ?'),
        insertRun: db.prepare("INSERT INTO weft_runs (id, workflow, definition_hash, definition, status, input, started_at, lease_owner, lease_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)"),
        takeLease: db.prepare('UPDATE weft_runs SET lease_owner = ?, lease_at = ? WHERE rid = ?'),
        release: db.prepare("UPDATE weft_runs SET lease_owner = NULL, lease_at = NULL, status = CASE status WHEN 'running' THEN 'interrupted' ELSE status END WHERE rid = ? AND lease_owner = ?"),
        renew: db.prepare('UPDATE weft_runs SET lease_at = ? WHERE lease_owner = ?'),
        event: db.prepare('INSERT INTO weft_events (run, seq, time, count, events) VALUES (?, ?, ?, ?, ?)'),
        eventSeq: db.prepare('UPDATE weft_runs SET event_seq = ? WHERE rid = ?'),
        readStep: db.prepare('SELECT value, value_blob FROM weft_steps WHERE run = ? AND task = ? AND key = ?').raw(true),
        writeStep: db.prepare('INSERT OR REPLACE INTO weft_steps (run, task, key, value, value_blob, written_at) VALUES (?, ?, ?, ?, ?, ?)'),
        seqs: db.prepare('SELECT event_seq, (SELECT coalesce(max(seq) + 1, 0) FROM weft_additions WHERE run = @rid), (SELECT coalesce(max(seq) + 1, 0) FROM weft_edges WHERE run = @rid) FROM weft_runs WHERE rid = @rid').raw(true),
      };
      this.recordTx = db.transaction((batch: readonly WorkflowEvent[]) => this.writeBatch(batch));
      if (!readonly) this.prune();
    } catch (error) {
      db.close();
      throw storeFailure(error, this.path, 'preparing the store', busyTimeoutMs);
    }
  }

  /** Records one tick's transitions in one transaction (the group commit). */
  record(batch: readonly WorkflowEvent[]): void {
    if (batch.length === 0) return;
    this.writable('record');
    this.guard('recording a batch', () => this.recordTx(batch));
  }

  beginRun(runId: string, meta: RunMeta): RecordedRun | undefined {
    checkRunId(runId);
    if (typeof meta !== 'object' || meta === null) throw new TypeError(expectedMessage('meta', 'a RunMeta object', meta));
    this.writable('begin a run');
    if (this.held.has(runId)) throw new RunLeasedError(runId, this.path, `${this.owner} (this store)`, 0);
    // Another process may have recorded more of it since this store last did: read the sequences afresh.
    this.cursors.delete(runId);
    const recorded = this.guard('beginning a run', () =>
      this.db
        .transaction(() => {
          const now = Date.now();
          const row = this.s.runById.get(runId) as RunRow | undefined;
          if (row === undefined) {
            this.s.insertRun.run(runId, meta.workflow, meta.definitionHash, encodeValue(meta.definition), meta.input === undefined ? null : encodeValue(meta.input), now, this.owner, now);
            return undefined;
          }
          if (row.lease_owner !== this.owner && leaseIsLive(row.lease_owner, row.lease_at, now, this.options.leaseTimeoutMs)) {
            throw new RunLeasedError(runId, this.path, row.lease_owner as string, now - (row.lease_at as number));
          }
          this.s.takeLease.run(this.owner, now, row.rid);
          return this.reader.read(row);
        })
        .immediate(),
    );
    this.held.add(runId);
    this.timer ??= setInterval(() => this.renewLeases(), Math.max(1, Math.floor(this.options.leaseTimeoutMs / 3))).unref();
    return recorded;
  }

  endRun(runId: string): void {
    checkRunId(runId);
    if (!this.held.delete(runId)) return;
    if (this.held.size === 0) this.stopTimer();
    if (this.closed) return;
    const cursor = this.cursor(runId);
    this.guard('ending a run', () => this.s.release.run(cursor.rid, this.owner));
    this.cursors.delete(runId);
    this.prune();
  }

  readStep(runId: string, taskId: string, key: string): { readonly value: unknown } | undefined {
    const { rid } = this.cursor(runId);
    const row = this.guard('reading a step', () => this.s.readStep.get(rid, taskId, key) as [Buffer | null, number | null] | undefined);
    return row === undefined ? undefined : { value: fromSlot(row[0], row[1], this.blobs) };
  }

  writeStep(runId: string, taskId: string, key: string, value: unknown): void {
    this.writable('write a step');
    const { rid } = this.cursor(runId);
    const slot = toSlot(value, this.blobs, this.options.inlineBytes);
    this.guard('writing a step', () => this.s.writeStep.run(rid, taskId, key, slot.inline, slot.blob, Date.now()));
  }

  transaction<T>(runId: string, taskId: string, key: string, fn: (db: Database) => T): T {
    if (typeof fn !== 'function') throw new TypeError(expectedMessage('fn', 'a function', fn));
    this.writable('run a transaction');
    const { rid } = this.cursor(runId);
    // Nested in another transaction of this connection, better-sqlite3 makes this a savepoint.
    return this.guard('running a step transaction', () =>
      this.db.transaction((): T => {
        const row = this.s.readStep.get(rid, taskId, key) as [Buffer | null, number | null] | undefined;
        if (row !== undefined) return fromSlot(row[0], row[1], this.blobs) as T;
        const value = fn(this.db);
        const slot = toSlot(value, this.blobs, this.options.inlineBytes);
        this.s.writeStep.run(rid, taskId, key, slot.inline, slot.blob, Date.now());
        return value;
      })(),
    );
  }

  /** Recorded runs, newest first. */
  runs(query: RunQuery = {}): RunSummary[] {
    return this.guard('listing runs', () => this.queries.runs(query));
  }

  /**
   * The tasks of run `runId` as last recorded, in id order.
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  tasks(runId: string, query: TaskQuery = {}): RecordedTask[] {
    checkRunId(runId);
    return this.guard('listing tasks', () => this.queries.tasks(runId, query));
  }

  /**
   * The event log of run `runId`, oldest first (outputs and added specs are in the task rows, not here).
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  events(runId: string, query: { readonly limit?: number; readonly offset?: number } = {}): StoredEvent[] {
    checkRunId(runId);
    return this.guard('reading events', () => this.queries.events(runId, query));
  }

  /** Applies `retention` now (it also runs when the store opens and when a run ends). */
  prune(now = Date.now()): PruneResult {
    this.writable('prune');
    return this.guard('pruning old runs', () => pruneRuns(this.db, this.blobs, this.options.retention, now));
  }

  close(): void {
    if (this.closed) return;
    this.stopTimer();
    try {
      if (!this.options.readonly) for (const runId of this.held) this.s.release.run(this.cursor(runId).rid, this.owner);
    } catch {
      // Closing must not fail for a lease it could not release: it times out on its own.
    }
    this.held.clear();
    this.closed = true;
    this.db.close();
  }

  private writeBatch(batch: readonly WorkflowEvent[]): void {
    let from = 0;
    while (from < batch.length) {
      const runId = batch[from].runId;
      let to = from + 1;
      while (to < batch.length && batch[to].runId === runId) to++;
      const cursor = this.cursor(runId, batch[from].time);
      this.writer.write(cursor, batch, from, to);
      if (this.options.events) this.logEvents(cursor, from === 0 && to === batch.length ? batch : batch.slice(from, to));
      from = to;
    }
    if (this.held.size > 0) {
      const now = Date.now();
      // Every commit renews, but at most ten times per timeout: one UPDATE per tick is not free.
      if (now - this.lastRenew > this.options.leaseTimeoutMs / 10) {
        this.lastRenew = now;
        this.s.renew.run(now, this.owner);
      }
    }
  }

  private logEvents(cursor: Cursor, events: readonly WorkflowEvent[]): void {
    const t0 = events[0].time;
    let bytes: Uint8Array;
    try {
      bytes = encodeEvents(events, t0);
    } catch {
      bytes = encodeEvents(safeEvents(events), t0);
    }
    this.s.event.run(cursor.rid, cursor.eventSeq++, t0, events.length, bytes);
    this.s.eventSeq.run(cursor.eventSeq, cursor.rid);
  }

  /** The run's cursor; a run recorded without `beginRun` (a plain recorder) gets its row on first sight when `since` is given. */
  private cursor(runId: string, since?: number): Cursor {
    let c = this.cursors.get(runId);
    if (c !== undefined) return c;
    if (this.closed) throw new InvalidStateError(`run store ${this.path} is closed`);
    let row = this.s.runById.get(runId) as RunRow | undefined;
    if (row === undefined) {
      if (since === undefined) throw new RunNotFoundError(runId, this.path);
      this.s.insertRun.run(runId, '', '', encodeValue({}), null, since, null, null);
      row = this.s.runById.get(runId) as RunRow;
    }
    const [eventSeq, addSeq, edgeSeq] = this.s.seqs.get({ rid: row.rid }) as [number, number, number];
    c = { rid: row.rid, runId, eventSeq, addSeq, edgeSeq };
    this.cursors.set(runId, c);
    return c;
  }

  private renewLeases(): void {
    if (this.closed || this.held.size === 0) return;
    try {
      this.lastRenew = Date.now();
      this.s.renew.run(this.lastRenew, this.owner);
    } catch {
      // Locked for now: the next tick (or commit) renews it.
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private writable(what: string): void {
    if (this.closed) throw new InvalidStateError(`cannot ${what}: run store ${this.path} is closed`);
    if (this.options.readonly) throw new InvalidStateError(`cannot ${what}: run store ${this.path} is open read-only`);
  }

  private guard<T>(doing: string, fn: () => T): T {
    if (this.closed) throw new InvalidStateError(`cannot go on ${doing}: run store ${this.path} is closed`);
    try {
      return fn();
    } catch (error) {
      throw storeFailure(error, this.path, doing, this.options.busyTimeoutMs);
    }
  }
}

function checkRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || runId === '') throw new TypeError(expectedMessage('runId', 'a non-empty string', runId));
}

/**
 * Opens (or creates) the durable run store at `options.path`.
 *
 * @example
 * ```ts
 * const store = openStore({ path: 'runs.db', retention: { maxRuns: 100 } });
 * const wf = workflow({ name: 'report', store });
 * ```
 * @throws StoreCorruptError, StoreForeignError, StoreVersionError, StoreLockedError naming the file;
 *   TypeError/RangeError for a bad option.
 */
export function openStore(options: StoreOptions): RunStore {
  return new RunStore(options);
}
