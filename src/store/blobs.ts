// Large values stored once, by content: the key is xxh64 of the bytes (weft's kernel) plus their
// length, and a match is confirmed byte for byte, so two different values that collide on the
// hash are both kept. Rows point to a blob by its integer id; a blob no row points to any more is
// deleted by retention.

import type { Database, Statement } from 'better-sqlite3';
import { getKernels } from '../kernels/index.js';

/** The content-addressed blob table of one connection. */
export class BlobStore {
  private readonly find: Statement;
  private readonly insert: Statement;
  private readonly read: Statement;
  private readonly prune: Statement;

  /** @param db - the store's connection (schema in place) */
  constructor(db: Database) {
    this.find = db.prepare('SELECT id, data FROM weft_blobs WHERE hash = ? AND length = ?').raw(true);
    this.insert = db.prepare('INSERT INTO weft_blobs (hash, length, data) VALUES (?, ?, ?)');
    this.read = db.prepare('SELECT data FROM weft_blobs WHERE id = ?').pluck();
    this.prune = db.prepare(
      `DELETE FROM weft_blobs WHERE NOT EXISTS (SELECT 1 FROM weft_tasks WHERE output_blob = weft_blobs.id)
       AND NOT EXISTS (SELECT 1 FROM weft_steps WHERE value_blob = weft_blobs.id)`,
    );
  }

  /** The id of the blob holding `bytes`, stored now unless the same bytes are there already. */
  put(bytes: Uint8Array): number {
    // SQLite integers are signed 64-bit: the unsigned hash is stored as its two's complement.
    const hash = BigInt.asIntN(64, getKernels().codec.xxh64(bytes));
    const mine = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const [id, data] of this.find.iterate(hash, bytes.length) as Iterable<[number, Buffer]>) {
      if (mine.equals(data)) return id;
    }
    return Number(this.insert.run(hash, bytes.length, bytes).lastInsertRowid);
  }

  /** The bytes of blob `id` (`undefined` when it is gone). */
  get(id: number): Buffer | undefined {
    return this.read.get(id) as Buffer | undefined;
  }

  /** Deletes the blobs no task output or step refers to; returns how many. */
  pruneUnreferenced(): number {
    return this.prune.run().changes;
  }
}
