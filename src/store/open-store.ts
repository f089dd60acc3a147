// openStore: the run store's entry point. Apart from the class so that the published types name
// only the RunStore interface (store-api.ts), not the SQLite implementation's.

import { RunStore as SqliteRunStore } from './run-store.js';
import type { RunStore } from './store-api.js';
import type { StoreOptions } from './store-options.js';

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
  return new SqliteRunStore(options);
}
