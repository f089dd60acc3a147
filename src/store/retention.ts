// Retention: deleting finished runs that are too old or too many, with everything that belongs to
// them, and giving the pages back. Only finished runs (succeeded, failed, cancelled) with no lease
// are candidates: a running or interrupted run may still be resumed.

import type { Database } from 'better-sqlite3';
import type { BlobStore } from './blobs.js';
import type { PruneResult, RetentionOptions } from './store-options.js';

export type { PruneResult } from './store-options.js';

const FINISHED = "status IN ('succeeded', 'failed', 'cancelled') AND lease_owner IS NULL";
const OWNED = ['weft_tasks', 'weft_additions', 'weft_edges', 'weft_steps', 'weft_events'];

/**
 * Deletes the runs `retention` no longer keeps at `now` (one transaction), then the blobs left
 * unreferenced, then returns the freed pages to the file system (`incremental_vacuum`: the file
 * is created with `auto_vacuum = INCREMENTAL`) and checkpoints the WAL, so a store that keeps N
 * runs stays the size of N runs.
 */
export function pruneRuns(db: Database, blobs: BlobStore, retention: RetentionOptions, now: number): PruneResult {
  const { maxAgeMs, maxRuns } = retention;
  if (maxAgeMs === undefined && maxRuns === undefined) return { runs: 0, blobs: 0 };
  const doomed = new Set<number>();
  if (maxAgeMs !== undefined) {
    for (const rid of db.prepare(`SELECT rid FROM weft_runs WHERE ${FINISHED} AND coalesce(ended_at, started_at) < ?`).pluck().all(now - maxAgeMs)) doomed.add(rid as number);
  }
  if (maxRuns !== undefined) {
    const older = db.prepare(`SELECT rid FROM weft_runs WHERE ${FINISHED} ORDER BY coalesce(ended_at, started_at) DESC, rid DESC LIMIT -1 OFFSET ?`).pluck().all(maxRuns);
    for (const rid of older) doomed.add(rid as number);
  }
  if (doomed.size === 0) return { runs: 0, blobs: 0 };
  const deletes = OWNED.map((table) => db.prepare(`DELETE FROM ${table} WHERE run = ?`));
  const dropRun = db.prepare('DELETE FROM weft_runs WHERE rid = ?');
  const freedBlobs = db.transaction(() => {
    for (const rid of doomed) {
      for (const d of deletes) d.run(rid);
      dropRun.run(rid);
    }
    // A definition no kept run refers to goes with its last run.
    db.prepare('DELETE FROM weft_definitions WHERE hash NOT IN (SELECT definition_hash FROM weft_runs)').run();
    return blobs.pruneUnreferenced();
  }).immediate();
  db.pragma('incremental_vacuum');
  // The deletes and the vacuum went through the WAL: fold it into the file and cut it back, so
  // the store's bytes on disk are the kept runs' (best effort: a reader elsewhere may hold it).
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { runs: doomed.size, blobs: freedBlobs };
}
