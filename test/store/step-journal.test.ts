import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { RunStore } from '../../src/store/store-api.js';
import type { RunMeta } from '../../src/store/durable-store.js';
import type { StoreDatabase } from '../../src/store/store-database.js';
import { tempDir } from '../helpers/temp-dir.js';

const META: RunMeta = { workflow: 'report', definitionHash: 'h1', definition: {}, input: undefined };

let tmp: ReturnType<typeof tempDir>;
let store: RunStore;
beforeEach(() => {
  tmp = tempDir('weft-store-steps-');
  store = openStore({ path: tmp.file('runs.db') });
});
afterEach(() => {
  store.close();
  tmp.remove();
});

describe('steps', () => {
  it('journals a step; readStep returns it (undefined values too), unknown keys are undefined', () => {
    store.beginRun('r1', META);
    expect(store.readStep('r1', 'a', 'fetch')).toBeUndefined();
    store.writeStep('r1', 'a', 'fetch', { body: 'ok' });
    store.writeStep('r1', 'a', 'nothing', undefined);
    expect(store.readStep('r1', 'a', 'fetch')).toEqual({ value: { body: 'ok' } });
    expect(store.readStep('r1', 'a', 'nothing')).toEqual({ value: undefined });
    expect(store.readStep('r1', 'b', 'fetch')).toBeUndefined();
  });

  it('writeStep is committed when it returns (another connection sees it)', () => {
    store.beginRun('r1', META);
    store.writeStep('r1', 'a', 'k', 42);
    const other = openStore({ path: tmp.file('runs.db') });
    expect(other.readStep('r1', 'a', 'k')).toEqual({ value: 42 });
    other.close();
  });

  it('transaction runs fn once with the journal row in one transaction; a second call returns the journaled value', () => {
    store.beginRun('r1', META);
    const fn = vi.fn((db: StoreDatabase) => {
      db.exec('CREATE TABLE IF NOT EXISTS app_orders (id INTEGER PRIMARY KEY, total REAL)');
      db.prepare('INSERT INTO app_orders (total) VALUES (?)').run(9.5);
      return { order: 1 };
    });
    expect(store.transaction('r1', 'a', 'order', fn)).toEqual({ order: 1 });
    expect(store.transaction('r1', 'a', 'order', fn)).toEqual({ order: 1 });
    expect(fn).toHaveBeenCalledTimes(1);
    const db = new Database(tmp.file('runs.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM app_orders').pluck().get()).toBe(1);
    db.close();
  });

  it('a transaction whose fn throws leaves neither its writes nor a journal row', () => {
    store.beginRun('r1', META);
    expect(() =>
      store.transaction('r1', 'a', 'order', (db) => {
        db.exec('CREATE TABLE app_t (x)');
        throw new Error('declined');
      }),
    ).toThrow('declined');
    expect(store.readStep('r1', 'a', 'order')).toBeUndefined();
    const db = new Database(tmp.file('runs.db'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'app_t'").pluck().get()).toBe(0);
    db.close();
  });

  it('a transaction nests as a savepoint (inside another transaction of the connection, and fn nesting its own)', () => {
    store.beginRun('r1', META);
    const value = store.transaction('r1', 'a', 'outer', (db) => {
      const inner = store.transaction('r1', 'a', 'inner', () => 'in');
      return db.transaction(() => `${inner}+out`)();
    });
    expect(value).toBe('in+out');
    expect(store.readStep('r1', 'a', 'inner')).toEqual({ value: 'in' });
  });

  it('steps of an unknown run: RUN_NOT_FOUND', () => {
    expect(() => store.readStep('nope', 'a', 'k')).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
  });
});
