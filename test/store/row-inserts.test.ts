import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RowInserts, type NewRow } from '../../src/store/row-inserts.js';
import { openRunDatabase, type RunDatabase } from './run-database.js';

let fixture: RunDatabase;
let db: Database.Database;
let rid: number;
beforeEach(() => {
  fixture = openRunDatabase('weft-row-inserts-');
  ({ db, rid } = fixture);
});
afterEach(() => fixture.dispose());

const row = (id: string, extra: Partial<NewRow> = {}): NewRow => ({
  id, status: 'succeeded', attempts: 1, startedAt: 10.5, deadline: null, endedAt: 11.25, outputInline: new Uint8Array([7]), outputBlob: null,
  error: null, suspended: null, parent: null, agent: null, ...extra,
});

const all = () => db.prepare('SELECT id, status, attempts, output, output_blob, error, started_at, ended_at, deadline, parent, agent, suspended FROM weft_tasks WHERE run = ? ORDER BY id').all(rid);

describe('RowInserts', () => {
  it('writes rows of mixed shapes, many per statement, as the plain INSERT would', () => {
    const rows: NewRow[] = [];
    for (let i = 0; i < 100; i++) {
      const id = `t${String(i).padStart(3, '0')}`;
      if (i % 10 === 1) rows.push(row(id, { status: 'running', endedAt: null, outputInline: null, deadline: 99, agent: 'a' }));
      else if (i % 10 === 2) rows.push(row(id, { status: 'failed', outputInline: null, error: new Uint8Array([1, 2]), parent: 't000' }));
      else if (i % 10 === 3) rows.push(row(id, { status: 'suspended', suspended: new Uint8Array([9]), attempts: 3 }));
      else if (i % 10 === 4) rows.push(row(id, { status: 'odd-status', outputInline: null, outputBlob: 5 }));
      else rows.push(row(id));
    }
    expect(new RowInserts(db).insert(rid, rows)).toEqual([]);
    const got = all() as Record<string, unknown>[];
    expect(got).toHaveLength(100);
    rows.forEach((r, k) => {
      expect(got[k]).toEqual({
        id: r.id, status: r.status, attempts: r.attempts, output: r.outputInline === null ? null : Buffer.from(r.outputInline), output_blob: r.outputBlob,
        error: r.error === null ? null : Buffer.from(r.error), started_at: r.startedAt, ended_at: r.endedAt, deadline: r.deadline, parent: r.parent, agent: r.agent,
        suspended: r.suspended === null ? null : Buffer.from(r.suspended),
      });
    });
  });

  it('hands back the rows that exist already and inserts the rest of their chunk', () => {
    db.prepare("INSERT INTO weft_tasks (run, id, status, attempts) VALUES (?, 't005', 'running', 1), (?, 't070', 'running', 1)").run(rid, rid);
    const rows = [...Array(80).keys()].map((i) => row(`t${String(i).padStart(3, '0')}`));
    const existing = new RowInserts(db).insert(rid, rows);
    expect(existing.map((r) => r.id)).toEqual(['t005', 't070']);
    const got = all() as { id: string; status: string }[];
    expect(got).toHaveLength(80);
    expect(got.filter((r) => r.status === 'running').map((r) => r.id)).toEqual(['t005', 't070']);
  });

  it('throws other errors', () => {
    db.exec("CREATE TRIGGER no_x BEFORE INSERT ON weft_tasks WHEN NEW.id = 'x' BEGIN SELECT RAISE(ABORT, 'no x'); END");
    expect(() => new RowInserts(db).insert(rid, [row('x')])).toThrow('no x');
    expect(() => new RowInserts(db).insert(rid, [...Array(40).keys()].map((i) => row(i === 3 ? 'x' : `y${i}`)))).toThrow('no x');
  });
});
