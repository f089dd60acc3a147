// The durable run store: a recorder that group-commits each batch, the lease and read-back a
// resume needs, the step journal, queries and retention, on one SQLite connection (one writer).

import type { Database, Statement } from 'better-sqlite3';
import { InvalidStateError, RunLeasedError, RunNotFoundError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import type { WorkflowEvent } from '../workflow/types.js';
import { BatchWriter, type RunCursor } from './batch-writer.js';
import { BlobStore } from './blobs.js';
import type { RecordedRun, RecordedTask, RunMeta } from './durable-store.js';
import type { RunStore as RunStoreApi } from './store-api.js';
import type { StoreDatabase } from './store-database.js';
import { encodeEvents, safeEvents } from './event-log.js';
import { leaseIsLive, newLeaseOwner } from './lease.js';
import { openDatabase, storeFailure } from './open-database.js';
import { StoreQueries, type RunQuery, type RunSummary, type StoredEvent, type TaskQuery } from './queries.js';
import { RunReader, type RunRow } from './read-run.js';
import { pruneRuns, type PruneResult } from './retention.js';
import type { Migration } from './schema.js';
import { encodeValue } from './store-codec.js';
import { resolveStoreOptions, type ResolvedStoreOptions, type StoreOptions } from './store-options.js';
import { StepJournal } from './step-journal.js';

interface Cursor extends RunCursor {
  eventSeq: number;
}

/** The SQLite run store behind {@link RunStoreApi} (what `openStore` returns). */
export class RunStore implements RunStoreApi {
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
  private readonly steps: StepJournal;
  private readonly cursors = new Map<string, Cursor>();
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastRenew = 0;
  private readonly s: Record<'runById' | 'insertRun' | 'takeLease' | 'release' | 'renew' | 'event' | 'seqs' | 'taskIds' | 'hasDefinition' | 'insertDefinition', Statement>;
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
      this.steps = new StepJournal(db, this.blobs, this.options.inlineBytes);
      this.s = {
        runById: db.prepare('SELECT rid, id, workflow, definition_hash, definition, status, input, started_at, ended_at, lease_owner, lease_at FROM weft_runs WHERE id = ?'),
        insertRun: db.prepare("INSERT INTO weft_runs (id, workflow, definition_hash, definition, status, input, started_at, lease_owner, lease_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)"),
        takeLease: db.prepare('UPDATE weft_runs SET lease_owner = ?, lease_at = ? WHERE rid = ?'),
        release: db.prepare("UPDATE weft_runs SET lease_owner = NULL, lease_at = NULL, status = CASE status WHEN 'running' THEN 'interrupted' ELSE status END WHERE rid = ? AND lease_owner = ?"),
        renew: db.prepare('UPDATE weft_runs SET lease_at = ? WHERE lease_owner = ?'),
        event: db.prepare('INSERT INTO weft_events (run, seq, time, count, events) VALUES (?, ?, ?, ?, ?)'),
        taskIds: db.prepare('SELECT id FROM weft_tasks WHERE run = ?').pluck(),
        hasDefinition: db.prepare('SELECT 1 FROM weft_definitions WHERE hash = ?').pluck(),
        insertDefinition: db.prepare('INSERT INTO weft_definitions (hash, dependencies) VALUES (?, ?)'),
        // The next sequence numbers come from the rows themselves (primary-key seeks), so a commit
        // does not also rewrite the run's row, one page more per tick (weft_runs.event_seq is unused).
        seqs: db.prepare('SELECT (SELECT coalesce(max(seq) + 1, 0) FROM weft_events WHERE run = @rid), (SELECT coalesce(max(seq) + 1, 0) FROM weft_additions WHERE run = @rid), (SELECT coalesce(max(seq) + 1, 0) FROM weft_edges WHERE run = @rid) FROM weft_runs WHERE rid = @rid').raw(true),
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

  /**
   * Takes run `runId`'s lease and returns what is recorded of it, or records it new (`undefined`).
   * @throws RunLeasedError (`RUN_LEASED`) while another live store (or this one) holds it.
   */
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
            // Once per definition: the next run of the same workflow finds its graph stored.
            if (meta.dependencies !== undefined && this.s.hasDefinition.get(meta.definitionHash) === undefined) {
              this.s.insertDefinition.run(meta.definitionHash, encodeValue(meta.dependencies));
            }
            return undefined;
          }
          if (row.lease_owner !== this.owner && leaseIsLive(row.lease_owner, row.lease_at, now, this.options.leaseTimeoutMs)) {
            throw new RunLeasedError(runId, this.path, row.lease_owner as string, now - (row.lease_at as number));
          }
          this.s.takeLease.run(this.owner, now, row.rid);
          const run = this.reader.read(row);
          // The ids just read are the rows the run has: its first commit need not read them again.
          this.cursor(runId, undefined, run.tasks);
          return run;
        })
        .immediate(),
    );
    this.held.add(runId);
    this.timer ??= setInterval(() => this.renewLeases(), Math.max(1, Math.floor(this.options.leaseTimeoutMs / 3))).unref();
    return recorded;
  }

  /** Releases run `runId`'s lease (a run without `run:end` becomes `interrupted`), then applies retention. */
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

  /** The journaled result of step `key` of task `taskId`, if any. @throws RunNotFoundError for an unknown run. */
  readStep(runId: string, taskId: string, key: string): { readonly value: unknown } | undefined {
    const { rid } = this.cursor(runId);
    return this.guard('reading a step', () => this.steps.get(rid, taskId, key));
  }

  /** Journals step `key`'s result, committed when this returns. @throws EncodeUnsupportedError for a value the codec cannot write. */
  writeStep(runId: string, taskId: string, key: string, value: unknown): void {
    this.writable('write a step');
    const { rid } = this.cursor(runId);
    this.guard('writing a step', () => this.steps.put(rid, taskId, key, value));
  }

  /**
   * Runs `fn` on this connection in one transaction with step `key`'s journal row (a savepoint
   * when nested), or returns the journaled value without calling `fn`. `fn` must be synchronous.
   */
  transaction<T>(runId: string, taskId: string, key: string, fn: (db: StoreDatabase) => T): T {
    if (typeof fn !== 'function') throw new TypeError(expectedMessage('fn', 'a function', fn));
    this.writable('run a transaction');
    const { rid } = this.cursor(runId);
    return this.guard('running a step transaction', () => this.steps.transaction(rid, taskId, key, fn));
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

  /**
   * The tasks run `runId`'s workflow defined, by task id, each with its defined dependencies.
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  dependencies(runId: string): Record<string, readonly string[]> {
    checkRunId(runId);
    return this.guard('reading the defined dependencies', () => this.queries.dependencies(runId));
  }

  /** Applies `retention` now (it also runs when the store opens and when a run ends). */
  prune(now = Date.now()): PruneResult {
    this.writable('prune');
    return this.guard('pruning old runs', () => pruneRuns(this.db, this.blobs, this.options.retention, now));
  }

  /** Stops the heartbeat, releases the leases this store holds, closes the file (idempotent). */
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
    // Every commit renews the leases, but at most ten times per timeout: one UPDATE per tick is not free.
    const now = Date.now();
    if (this.held.size > 0 && now - this.lastRenew > this.options.leaseTimeoutMs / 10) this.s.renew.run((this.lastRenew = now), this.owner);
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
  }

  /** The run's cursor; a run recorded without `beginRun` (a plain recorder) gets its row on first sight when `since` is given. */
  private cursor(runId: string, since?: number, known?: ReadonlyMap<string, unknown>): Cursor {
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
    // The ids only: the cursor lives as long as the run, and the recorded tasks (outputs and all) must not.
    c = { rid: row.rid, runId, eventSeq, addSeq, edgeSeq, known: new Set(known !== undefined ? known.keys() : (this.s.taskIds.all(row.rid) as string[])) };
    this.cursors.set(runId, c);
    return c;
  }

  private renewLeases(): void {
    if (this.closed || this.held.size === 0) return;
    try {
      this.s.renew.run((this.lastRenew = Date.now()), this.owner);
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
