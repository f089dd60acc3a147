// What openStore returns, as weft's public types show it: the durable store the engine needs,
// plus queries and retention. The SQLite implementation (run-store.ts) stays out of the published
// types, which then need neither better-sqlite3's types nor Node's.

import type { DurableStore, RecordedTask } from './durable-store.js';
import type { RunQuery, RunSummary, StoredEvent, TaskQuery } from './query-types.js';
import type { PruneResult, ResolvedStoreOptions } from './store-options.js';

/** A durable run store on one SQLite file ({@link openStore}). */
export interface RunStore extends DurableStore {
  /** The resolved options. */
  readonly options: ResolvedStoreOptions;
  /** This store's lease owner name, `host:pid:instance`. */
  readonly owner: string;
  /** Recorded runs, newest first (100 by default). */
  runs(query?: RunQuery): RunSummary[];
  /**
   * The tasks of run `runId` as last recorded, in id order (100 by default).
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  tasks(runId: string, query?: TaskQuery): RecordedTask[];
  /**
   * The event log of run `runId`, oldest first (outputs and added specs are in the task rows).
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  events(runId: string, query?: { readonly limit?: number; readonly offset?: number }): StoredEvent[];
  /**
   * The tasks run `runId`'s workflow defined, by task id in definition order, each with its
   * defined dependencies (what the run added is in its event log). `{}` for a run recorded by a
   * plain recorder (`recorders: [store]`); empty lists for a run recorded before schema version 2.
   * @throws RunNotFoundError (`RUN_NOT_FOUND`) for a run the store does not hold.
   */
  dependencies(runId: string): Record<string, readonly string[]>;
  /** Applies `retention` now (it also runs when the store opens and when a run ends). */
  prune(now?: number): PruneResult;
}
