// Opening the store's file: telling a run store from an empty file, garbage, another program's
// database, a newer weft's file or a file locked by someone else, before writing a byte to it
// (even `journal_mode = WAL` writes the header), then bringing an older file up to date.

import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { StoreCorruptError, StoreForeignError, StoreLockedError, StoreVersionError } from '../errors.js';
import { STORE_FORMAT, STORE_MIGRATIONS, applyMigrations, createMetaTables, schemaVersion, type Migration } from './schema.js';

// Loaded on the first open, not when weft is imported: a program that never opens a store does
// not pay for loading the native addon.
let Database: typeof BetterSqlite3 | undefined;
const sqlite = () => (Database ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3);

/** How {@link openDatabase} opens the file. */
export interface OpenDatabaseOptions {
  readonly busyTimeoutMs: number;
  readonly synchronous: 'normal' | 'full';
  readonly readonly: boolean;
  /** The format's steps (the store's own unless a test fakes a newer format). */
  readonly migrations?: readonly Migration[];
}

/**
 * Maps SQLite's failures to the store's typed errors: a damaged file to `STORE_CORRUPT`, a lock
 * held past the busy timeout to `STORE_LOCKED`; anything else is returned unchanged.
 */
export function storeFailure(error: unknown, path: string, doing: string, busyTimeoutMs: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return new StoreCorruptError(path, (error as Error).message, { cause: error });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StoreLockedError(path, doing, busyTimeoutMs, { cause: error });
  return error;
}

/**
 * Opens (or creates) the run store at `path`: WAL, incremental auto-vacuum (set before the first
 * table, the only time SQLite accepts it), the schema at its latest version.
 * @throws StoreCorruptError, StoreForeignError, StoreVersionError, StoreLockedError naming the file.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions): Db {
  const migrations = options.migrations ?? STORE_MIGRATIONS;
  const latest = migrations.length;
  let db: Db | undefined;
  try {
    const Ctor = sqlite();
    db = new Ctor(path, { timeout: options.busyTimeoutMs, readonly: options.readonly, fileMustExist: options.readonly });
    prepareFile(db, path, latest, migrations, options.readonly);
    if (!options.readonly) db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // A WAL that once grew large is cut back to 4 MiB after checkpoints (else it keeps its size).
    if (!options.readonly) db.pragma('journal_size_limit = 4194304');
    // A checkpoint every 4,000 pages (16 MiB of WAL) rather than SQLite's 1,000: each one fsyncs
    // the WAL and the file, and a page that several commits rewrote is copied once. A 100K-task
    // run spent ~9% of its time waiting on them (A/B on the same batches).
    if (!options.readonly) db.pragma('wal_autocheckpoint = 4000');
    return db;
  } catch (error) {
    db?.close();
    throw storeFailure(error, path, 'opening the file', options.busyTimeoutMs);
  }
}

function tablesOf(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

function prepareFile(db: Db, path: string, latest: number, migrations: readonly Migration[], readonly: boolean): void {
  const tables = tablesOf(db);
  if (tables.length === 0 && readonly) throw new StoreForeignError(path, ['(none: an empty file)']);
  if (tables.length === 0) db.pragma('auto_vacuum = INCREMENTAL');
  if (tables.length > 0) checkFormat(db, path, tables, latest, readonly);
  if (readonly) return;
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  // Immediate: two processes opening one new file do not both create it; the second waits, then sees it.
  const now = Date.now();
  db.transaction(() => {
    const current = tablesOf(db);
    if (current.length === 0) createMetaTables(db, now);
    else checkFormat(db, path, current, latest, false);
    applyMigrations(db, migrations, now);
  }).immediate();
}

function checkFormat(db: Db, path: string, tables: readonly string[], latest: number, readonly: boolean): void {
  if (!tables.includes('weft_store_meta') || !tables.includes('weft_store_migrations')) throw new StoreForeignError(path, tables);
  const format = db.prepare("SELECT value FROM weft_store_meta WHERE key = 'format'").pluck().get();
  if (format !== STORE_FORMAT) throw new StoreForeignError(path, tables);
  const version = schemaVersion(db);
  if (version > latest) throw new StoreVersionError(path, version, latest);
  if (version < latest && readonly) throw new StoreVersionError(path, version, latest, 'an older file: open it once without `readonly` to migrate it');
}

