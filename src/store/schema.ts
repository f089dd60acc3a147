// The file format of the run store and the framework that brings older files up to date. Each
// migration runs once, in order, inside one immediate transaction with the version bump, so a
// crash mid-way leaves the file at its old version, and a second process opening the same file
// waits for the first one's migration and then finds it done.

import type { Database } from 'better-sqlite3';

/** The schema version this weft writes (`weft_store_migrations` holds one row per version applied). */
export const SCHEMA_VERSION = 2;

/** The value of `format` in `weft_store_meta`: what tells a run store from another SQLite file. */
export const STORE_FORMAT = 'weft-run-store';

/** One step of the file format. */
export interface Migration {
  /** The version the file has after this step (1, 2, ...). */
  readonly version: number;
  /** What it changes, kept in `weft_store_migrations`. */
  readonly description: string;
  /** Applies the step (inside the migration's transaction). */
  up(db: Database): void;
}

/**
 * Version 1. Runs and tasks are keyed by a small integer (`weft_runs.rid`) so the per-task rows do
 * not repeat the run's id; task rows are WITHOUT ROWID on (run, id), which is also the order of
 * paged listings. Outputs and other values are MessagePack BLOBs, inline when small, else a
 * reference to `weft_blobs` (content-addressed: xxh64 + length, bytes compared on a match).
 * The status index leaves out succeeded tasks: they are most rows, an index would not narrow a
 * query for them much, and the hot path (a task that succeeds) then maintains no index entry.
 */
const V1 = `
CREATE TABLE weft_runs (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workflow TEXT NOT NULL,
  definition_hash TEXT NOT NULL,
  definition BLOB NOT NULL,
  status TEXT NOT NULL,
  input BLOB,
  started_at REAL NOT NULL,
  ended_at REAL,
  lease_owner TEXT,
  lease_at REAL,
  event_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX weft_runs_status ON weft_runs (status, started_at);
CREATE INDEX weft_runs_workflow ON weft_runs (workflow, started_at);
CREATE TABLE weft_tasks (
  run INTEGER NOT NULL,
  id TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  output BLOB,
  output_blob INTEGER,
  error BLOB,
  started_at REAL,
  ended_at REAL,
  deadline REAL,
  parent TEXT,
  agent TEXT,
  suspended BLOB,
  PRIMARY KEY (run, id)
) WITHOUT ROWID;
CREATE INDEX weft_tasks_status ON weft_tasks (run, status) WHERE status <> 'succeeded';
CREATE INDEX weft_tasks_parent ON weft_tasks (run, parent) WHERE parent IS NOT NULL;
CREATE INDEX weft_tasks_agent ON weft_tasks (run, agent) WHERE agent IS NOT NULL;
CREATE INDEX weft_tasks_blob ON weft_tasks (output_blob) WHERE output_blob IS NOT NULL;
CREATE TABLE weft_additions (
  run INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  parent TEXT,
  closure INTEGER NOT NULL,
  spec BLOB,
  depends_on BLOB NOT NULL,
  PRIMARY KEY (run, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX weft_additions_id ON weft_additions (run, id);
CREATE TABLE weft_edges (
  run INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  task TEXT NOT NULL,
  depends_on BLOB NOT NULL,
  PRIMARY KEY (run, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX weft_edges_pair ON weft_edges (run, task, depends_on);
CREATE TABLE weft_steps (
  run INTEGER NOT NULL,
  task TEXT NOT NULL,
  key TEXT NOT NULL,
  value BLOB,
  value_blob INTEGER,
  written_at REAL NOT NULL,
  PRIMARY KEY (run, task, key)
) WITHOUT ROWID;
CREATE INDEX weft_steps_blob ON weft_steps (value_blob) WHERE value_blob IS NOT NULL;
CREATE TABLE weft_events (
  run INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  time REAL NOT NULL,
  count INTEGER NOT NULL,
  events BLOB NOT NULL,
  PRIMARY KEY (run, seq)
) WITHOUT ROWID;
CREATE TABLE weft_blobs (
  id INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL,
  length INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX weft_blobs_hash ON weft_blobs (hash);
`;

/**
 * Version 2. The defined dependencies of each workflow definition, once per definition hash (the
 * hash covers the dependencies, so one hash has one graph): ten runs of one workflow store its
 * graph once, and what a run adds is in `weft_additions` and `weft_edges` as before. Runs
 * recorded under version 1 have no row here (their graph was kept as digests only).
 */
const V2 = `
CREATE TABLE weft_definitions (
  hash TEXT PRIMARY KEY,
  dependencies BLOB NOT NULL
) WITHOUT ROWID;
`;

/** The run store's migrations, oldest first. */
export const STORE_MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'runs, tasks, additions, edges, steps, events, blobs', up: (db) => db.exec(V1) },
  { version: 2, description: 'defined dependencies, once per definition', up: (db) => db.exec(V2) },
];

/** Creates the bookkeeping tables of an empty file (in the caller's transaction). */
export function createMetaTables(db: Database, now: number): void {
  db.exec(`
CREATE TABLE weft_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE weft_store_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at REAL NOT NULL);`);
  db.prepare('INSERT INTO weft_store_meta (key, value) VALUES (?, ?), (?, ?)').run('format', STORE_FORMAT, 'created_at', String(now));
}

/** The file's schema version: the highest migration applied (0 for a file that has none yet). */
export function schemaVersion(db: Database): number {
  return (db.prepare('SELECT coalesce(max(version), 0) FROM weft_store_migrations').pluck().get() as number) ?? 0;
}

/**
 * Applies the migrations above the file's version, in order, each in the caller's transaction.
 * Returns the versions applied.
 * @throws RangeError when `migrations` are not numbered 1, 2, 3, ... in order.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[], now: number): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new RangeError(`Expected \`migrations[${i}].version\` to be ${i + 1}, got \`${m.version}\` (number)`);
  });
  const from = schemaVersion(db);
  const applied: number[] = [];
  const mark = db.prepare('INSERT INTO weft_store_migrations (version, description, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(from)) {
    m.up(db);
    mark.run(m.version, m.description, now);
    applied.push(m.version);
  }
  return applied;
}
