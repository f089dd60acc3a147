// The step journal: what `ctx.step(key, fn)` and `ctx.transaction(key, fn)` completed, per run,
// task and key, so a retried or resumed task skips the steps it already did.

import type { Database, Statement } from 'better-sqlite3';
import type { BlobStore } from './blobs.js';
import type { StoreDatabase } from './store-database.js';
import { fromSlot, toSlot } from './value-slot.js';

/** The journal's statements on one connection (run given by its integer key). */
export class StepJournal {
  private readonly read: Statement;
  private readonly write: Statement;

  /**
   * @param db - the store's connection
   * @param blobs - where large results go
   * @param inlineBytes - the largest result kept in its row
   */
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly inlineBytes: number,
  ) {
    this.read = db.prepare('SELECT value, value_blob FROM weft_steps WHERE run = ? AND task = ? AND key = ?').raw(true);
    this.write = db.prepare('INSERT OR REPLACE INTO weft_steps (run, task, key, value, value_blob, written_at) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** The journaled result, if the step completed. */
  get(rid: number, taskId: string, key: string): { readonly value: unknown } | undefined {
    const row = this.read.get(rid, taskId, key) as [Buffer | null, number | null] | undefined;
    return row === undefined ? undefined : { value: fromSlot(row[0], row[1], this.blobs) };
  }

  /** Journals a result (in the caller's transaction, or its own). */
  put(rid: number, taskId: string, key: string, value: unknown): void {
    const slot = toSlot(value, this.blobs, this.inlineBytes);
    this.write.run(rid, taskId, key, slot.inline, slot.blob, Date.now());
  }

  /** Runs `fn(db)` and journals its result in one transaction, unless the step is journaled already. */
  transaction<T>(rid: number, taskId: string, key: string, fn: (db: StoreDatabase) => T): T {
    // Nested in another transaction of this connection, better-sqlite3 makes this a savepoint.
    // IMMEDIATE: the write lock first. A deferred one reads the journal, then upgrades to write,
    // and in WAL mode that upgrade fails at once (SQLITE_BUSY, no busy wait) when another process
    // (a coordinator, another weft worker on the same file) committed in between.
    return this.db.transaction((): T => {
      const done = this.get(rid, taskId, key);
      if (done !== undefined) return done.value as T;
      const value = fn(this.db);
      this.put(rid, taskId, key, value);
      return value;
    }).immediate();
  }
}
