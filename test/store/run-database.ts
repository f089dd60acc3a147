// A store file with one begun run ('r1'), opened as a plain better-sqlite3 connection: for
// tests of the store's statement helpers, which work on the connection and a run's rid.
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The file's connection, the run's rid, and a cleanup. */
export interface RunDatabase {
  readonly db: Database.Database;
  readonly rid: number;
  dispose(): void;
}

/** Creates a store file in a fresh temp dir, begins run 'r1' in it and opens it raw. */
export function openRunDatabase(prefix: string): RunDatabase {
  const tmp = tempDir(prefix);
  const path = tmp.file('runs.db');
  const store = openStore({ path });
  store.beginRun('r1', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
  store.close();
  const db = new Database(path);
  const rid = db.prepare("SELECT rid FROM weft_runs WHERE id = 'r1'").pluck().get() as number;
  return {
    db,
    rid,
    dispose() {
      db.close();
      tmp.remove();
    },
  };
}
