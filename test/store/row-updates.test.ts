import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { M_ENDED, M_ERROR, M_OUTPUT, M_STATUS, RowUpdates, type ChangedRow } from '../../src/store/row-updates.js';
import { openRunDatabase, type RunDatabase } from './run-database.js';

let fixture: RunDatabase;
let db: Database.Database;
let rid: number;
beforeEach(() => {
  fixture = openRunDatabase('weft-row-updates-');
  ({ db, rid } = fixture);
  db.prepare("INSERT INTO weft_tasks (run, id, status, attempts, started_at, deadline, parent, agent, suspended) VALUES (?, 'a', 'suspended', 2, 5, 900, 'p', 'old', x'01')").run(rid);
});
afterEach(() => fixture.dispose());

const change = (mask: number, extra: Partial<ChangedRow> = {}): ChangedRow => ({
  id: 'a', mask, status: 'cancelled', attempts: 3, startedAt: 50, deadline: 60, endedAt: 70, outputInline: null, outputBlob: null,
  error: new Uint8Array([4, 2]), suspended: null, parent: 'q', agent: null, ...extra,
});
const row = () => db.prepare("SELECT status, attempts, output, error, started_at, ended_at, deadline, parent, agent, suspended FROM weft_tasks WHERE run = ? AND id = 'a'").get(rid);

describe('RowUpdates', () => {
  it('sets the columns of the mask only; keeps a parent, takes a new agent', () => {
    const updates = new RowUpdates(db);
    expect(updates.update(rid, change(M_STATUS | M_ERROR | M_ENDED, { agent: 'new' }))).toBe(true);
    expect(row()).toEqual({
      status: 'cancelled', attempts: 3, output: null, error: Buffer.from([4, 2]), started_at: 5, ended_at: 70, deadline: 900, parent: 'p', agent: 'new', suspended: Buffer.from([1]),
    });
    expect(updates.update(rid, change(M_OUTPUT, { outputInline: new Uint8Array([9]) }))).toBe(true);
    expect(row()).toMatchObject({ status: 'cancelled', output: Buffer.from([9]), agent: 'new' });
  });

  it('reports a task without a row (the caller inserts it)', () => {
    expect(new RowUpdates(db).update(rid, change(M_STATUS, { id: 'missing' }))).toBe(false);
    expect(db.prepare('SELECT count(*) FROM weft_tasks').pluck().get()).toBe(1);
  });
});
