import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/temp-dir.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('weft-store-open-');
});
afterEach(() => tmp.remove());

function openError(path: string, options: object = {}): Error & { code: string; path: string } {
  try {
    openStore({ path, ...options }).close();
  } catch (error) {
    return error as Error & { code: string; path: string };
  }
  throw new Error('expected openStore to fail');
}

describe('openStore connection settings', () => {
  it('a writable store checkpoints its WAL every 4,000 pages and cuts it back to 4 MiB', () => {
    const store = openStore({ path: tmp.file('runs.db') });
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(4194304);
    store.close();
  });
});

describe('openStore on bad files', () => {
  it('garbage bytes: STORE_CORRUPT naming the file, and the file is left as it was', () => {
    const path = tmp.file('garbage.db');
    const bytes = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) & 0xff));
    writeFileSync(path, bytes);
    const error = openError(path);
    expect(isWeftError(error, 'STORE_CORRUPT')).toBe(true);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a usable SQLite database \(file is not a database\)/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a damaged page of a run store: STORE_CORRUPT when it is read, rows on intact pages stay readable', () => {
    const path = tmp.file('damaged.db');
    const store = openStore({ path });
    store.beginRun('r1', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
    store.record(Array.from({ length: 3000 }, (_, i) => ({ type: 'task:succeeded' as const, time: i, runId: 'r1', taskId: `t${i}`, attempt: 1, output: 'x'.repeat(50) })));
    store.close();
    // Overwrite the middle of the file (the task table's pages) with garbage; keep page 1 (the header and schema).
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    const mid = Math.floor(bytes.length / pageSize / 2) * pageSize;
    bytes.fill(0xa5, mid, mid + 4 * pageSize);
    writeFileSync(path, bytes);
    const reopened = openStore({ path });
    try {
      expect(() => reopened.tasks('r1', { limit: 100_000 })).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    } finally {
      reopened.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT id FROM weft_runs').pluck().all()).toEqual(['r1']);
    db.close();
  });

  it('a SQLite file of another program: STORE_FOREIGN naming the file and its tables, untouched (no WAL, no weft tables)', () => {
    const path = tmp.file('foreign.db');
    const db = new Database(path);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada')");
    db.close();
    const before = readFileSync(path);
    const error = openError(path);
    expect(isWeftError(error, 'STORE_FOREIGN')).toBe(true);
    expect(error.message).toContain(path);
    expect(error.message).toContain('customers');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a file of a newer weft: STORE_VERSION naming the file and both versions; its runs are kept', () => {
    const path = tmp.file('newer.db');
    const store = openStore({ path });
    store.beginRun('r1', { workflow: 'w', definitionHash: 'h', definition: {}, input: 1 });
    store.endRun('r1');
    store.close();
    const db = new Database(path);
    db.prepare('INSERT INTO weft_store_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(7, 'from the future', 0);
    db.close();
    const error = openError(path);
    expect(isWeftError(error, 'STORE_VERSION')).toBe(true);
    expect(error.message).toMatch(new RegExp(`run store ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: schema version 7, this weft supports version 2`));
    expect(error).toMatchObject({ found: 7, supported: 2 });
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT id FROM weft_runs').pluck().all()).toEqual(['r1']);
    check.close();
  });

  it('a database locked by another process (BEGIN EXCLUSIVE): STORE_LOCKED naming the file; the holder commits its data intact', async () => {
    const path = tmp.file('locked.db');
    const store = openStore({ path });
    store.beginRun('r1', { workflow: 'w', definitionHash: 'h', definition: {}, input: undefined });
    store.endRun('r1');
    store.close();
    // The child holds an exclusive lock until we tell it to commit.
    const child = fork(new URL('./lock-holder.mjs', import.meta.url), [path], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('error', reject);
      });
      const error = openError(path, { busyTimeoutMs: 20 });
      expect(isWeftError(error, 'STORE_LOCKED')).toBe(true);
      expect(error.message).toContain(path);
      expect(error.message).toContain('locked by another connection');
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.send('commit');
      await done;
    } finally {
      child.kill();
    }
    const reopened = openStore({ path });
    expect(reopened.runs().map((r) => r.runId)).toEqual(['r1']);
    reopened.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT note FROM lock_holder').pluck().all()).toEqual(['held']);
    db.close();
  });

  it('an empty (zero-byte) file becomes a store', () => {
    const path = tmp.file('empty.db');
    writeFileSync(path, '');
    const store = openStore({ path });
    expect(store.runs()).toEqual([]);
    store.close();
  });

  it('read-only on a missing migration: STORE_VERSION asking to open it writable', () => {
    const path = tmp.file('old.db');
    openStore({ path }).close();
    const db = new Database(path);
    db.exec('DELETE FROM weft_store_migrations');
    db.close();
    const error = openError(path, { readonly: true });
    expect(error.code).toBe('STORE_VERSION');
    expect(error.message).toMatch(/open it once without `readonly`/);
  });
});
