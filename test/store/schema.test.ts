import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/store/run-store.js';
import { SCHEMA_VERSION, STORE_MIGRATIONS, applyMigrations, schemaVersion, type Migration } from '../../src/store/schema.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('weft-store-schema-');
});
afterEach(() => tmp.remove());

// A format with a version 3 that the real code does not have yet: a column on runs.
const V3: Migration = {
  version: 3,
  description: 'runs get a label',
  up: (db) => db.exec("ALTER TABLE weft_runs ADD COLUMN label TEXT NOT NULL DEFAULT 'none'"),
};

/** A version-1 file written with raw SQL, as weft 1 would have left it, holding one run. */
function writeVersion1File(path: string): void {
  const db = new Database(path);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.exec(`
CREATE TABLE weft_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE weft_store_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at REAL NOT NULL);
INSERT INTO weft_store_meta VALUES ('format', 'weft-run-store'), ('created_at', '0');`);
  STORE_MIGRATIONS[0].up(db);
  db.exec(`INSERT INTO weft_store_migrations VALUES (1, 'v1', 0);
INSERT INTO weft_runs (rid, id, workflow, definition_hash, definition, status, started_at) VALUES (1, 'old-run', 'w', 'h', x'80', 'succeeded', 5);`);
  db.close();
}

describe('schema migrations', () => {
  it('the store writes the current version', () => {
    const store = new RunStore({ path: tmp.file('a.db') });
    store.close();
    const db = new Database(tmp.file('a.db'), { readonly: true });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT value FROM weft_store_meta WHERE key = 'format'").pluck().get()).toBe('weft-run-store');
    db.close();
  });

  it('brings an older file up to date once, keeping its rows', () => {
    const path = tmp.file('old.db');
    writeVersion1File(path);
    const store = new RunStore({ path }, [...STORE_MIGRATIONS, V3]);
    expect(store.runs().map((r) => [r.runId, r.status])).toEqual([['old-run', 'succeeded']]);
    store.close();
    // Opening again applies nothing more.
    new RunStore({ path }, [...STORE_MIGRATIONS, V3]).close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT version, description FROM weft_store_migrations ORDER BY version').all()).toEqual([
      { version: 1, description: 'v1' },
      { version: 2, description: 'defined dependencies, once per definition' },
      { version: 3, description: 'runs get a label' },
    ]);
    expect(db.prepare('SELECT label FROM weft_runs').pluck().all()).toEqual(['none']);
    db.close();
  });

  it('version 2 gives a version-1 file the definitions table: its old runs have no defined dependencies, new ones do', () => {
    const path = tmp.file('old.db');
    writeVersion1File(path);
    const store = new RunStore({ path });
    expect(store.dependencies('old-run')).toEqual({}); // its definition blob is an empty map
    store.beginRun('new-run', { workflow: 'w', definitionHash: 'h2', definition: { a: '1', b: '2' }, dependencies: { b: ['a'] }, input: undefined });
    expect(store.dependencies('new-run')).toEqual({ a: [], b: ['a'] });
    store.close();
  });

  it('a migration that fails leaves the file at its old version', () => {
    const path = tmp.file('old.db');
    writeVersion1File(path);
    const broken: Migration = { version: 3, description: 'breaks', up: (db) => { db.exec('ALTER TABLE weft_runs ADD COLUMN half TEXT'); throw new Error('disk on fire'); } };
    expect(() => new RunStore({ path }, [...STORE_MIGRATIONS, broken])).toThrow('disk on fire');
    const db = new Database(path, { readonly: true });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('weft_runs') WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses migrations not numbered 1, 2, 3 ...', () => {
    const db = new Database(':memory:');
    expect(() => applyMigrations(db, [V3], 0)).toThrow('Expected `migrations[0].version` to be 1, got `3` (number)');
    db.close();
  });
});
