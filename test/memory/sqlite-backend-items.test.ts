import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SqliteBackend } from '../../src/memory/sqlite-backend.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-sqlite-items-');
afterAll(() => tmp.remove());

const row = (text: string, n: number) => ({
  scope: 'long-term' as const,
  runId: null,
  entity: null,
  text,
  metadata: { n },
  vector: Float32Array.from([1, 0]),
  now: 1000 + n,
});

describe('SqliteBackend item reads (no vectors)', () => {
  it('returns every field of each id asked, in the order asked, at each statement arity and past the fixed ones', () => {
    const b = new SqliteBackend(tmp.file('arity.db'));
    const ids = b.insert(Array.from({ length: 200 }, (_, i) => row(`t${i}`, i)));
    for (const n of [1, 2, 10, 63, 64, 65, 150]) {
      // Descending ids: SQLite hands rows back by rowid, the reads must restore the order asked.
      const asked = ids.slice(0, n).reverse();
      const got = b.getMany(asked, false);
      expect(got.map((r) => r.id)).toEqual(asked);
      expect(got.map((r) => r.text)).toEqual(asked.map((id) => `t${id - ids[0]}`));
      expect(got[0]).toEqual({
        id: asked[0],
        scope: 'long-term',
        runId: null,
        entity: null,
        text: `t${asked[0] - ids[0]}`,
        metadata: { n: asked[0] - ids[0] },
        vector: new Float32Array(0),
        createdAt: 1000 + asked[0] - ids[0],
        updatedAt: 1000 + asked[0] - ids[0],
      });
    }
    b.close();
  });

  it('skips unknown ids and repeats a repeated id, with the fixed-arity and the JSON statement alike', () => {
    const b = new SqliteBackend(tmp.file('gaps.db'));
    const ids = b.insert(Array.from({ length: 100 }, (_, i) => row(`t${i}`, i)));
    const few = [ids[3], 99_999, ids[3], ids[1]];
    expect(b.getMany(few, false).map((r) => r.id)).toEqual([ids[3], ids[3], ids[1]]);
    const many = [...ids.slice(0, 70), 99_999, ids[5]];
    expect(b.getMany(many, false).map((r) => r.id)).toEqual([...ids.slice(0, 70), ids[5]]);
    expect(b.getMany([], false)).toEqual([]);
    b.close();
  });

  it('sees rows another connection wrote and deleted since its statements were prepared', () => {
    const file = tmp.file('other.db');
    const b = new SqliteBackend(file);
    const [a, c] = b.insert([row('a', 0), row('c', 1)]);
    expect(b.getMany([a, c], false).map((r) => r.text)).toEqual(['a', 'c']);
    const version = b.externalVersion();
    const other = new Database(file);
    other.prepare('DELETE FROM weft_memory_items WHERE id = ?').run(c);
    other.prepare("UPDATE weft_memory_items SET text = 'a2' WHERE id = ?").run(a);
    other.close();
    // The prepared data_version statement reads afresh on each call.
    expect(b.externalVersion()).not.toBe(version);
    expect(b.getMany([a, c], false).map((r) => r.text)).toEqual(['a2']);
    // recallItems reads the version with the rows, and without rows on its own.
    expect(b.recallItems([a, c])).toMatchObject({ rows: [{ id: a, text: 'a2' }], version: b.externalVersion() });
    expect(b.recallItems([c]).version).toBe(b.externalVersion());
    expect(b.recallItems([]).version).toBe(b.externalVersion());
    const seen = b.externalVersion();
    const third = new Database(file);
    third.prepare('DELETE FROM weft_memory_items').run();
    third.close();
    expect(b.recallItems([a])).toEqual({ rows: [], version: b.externalVersion() });
    expect(b.externalVersion()).not.toBe(seen);
    b.close();
  });

  it('maps the file for reads by default, as mmapBytes says, and refuses a bad mmapBytes before opening', () => {
    const file = tmp.file('mmap.db');
    const read = (b: SqliteBackend) => (b as unknown as { db: Database.Database }).db.pragma('mmap_size', { simple: true });
    const byDefault = new SqliteBackend(file);
    expect(read(byDefault)).toBe(268_435_456);
    byDefault.close();
    const off = new SqliteBackend(file, { mmapBytes: 0 });
    expect(read(off)).toBe(0);
    off.close();
    expect(() => new SqliteBackend(tmp.file('never.db'), { mmapBytes: -1 })).toThrow(
      'Expected `mmapBytes` to be an integer >= 0, got `-1` (number)',
    );
    expect(() => new SqliteBackend(tmp.file('never.db'), { mmapBytes: 1.5 })).toThrow(RangeError);
    expect(existsSync(tmp.file('never.db'))).toBe(false);
  });
});
