import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/memory/sqlite-backend.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-sqlite-');
afterAll(() => tmp.remove());

const row = (text: string, metadata: Record<string, unknown> = {}, scope: 'long-term' | 'entity' = 'long-term') => ({
  scope,
  runId: null,
  entity: scope === 'entity' ? text : null,
  text,
  metadata,
  vector: Float32Array.from([0.5, -0.25, 1e-20]),
  now: 1000,
});

describe('SqliteBackend', () => {
  it('round-trips vectors bit for bit and metadata as JSON', () => {
    const b = new SqliteBackend(tmp.file('a.db'));
    const [id] = b.insert([row('x', { a: 1, deep: { b: [1, 2] } })]);
    const [r] = b.getMany([id]);
    expect(Array.from(r.vector)).toEqual(Array.from(Float32Array.from([0.5, -0.25, 1e-20])));
    expect(r.metadata).toEqual({ a: 1, deep: { b: [1, 2] } });
    b.close();
  });

  it('reads rows in the order asked, with or without their vectors', () => {
    const b = new SqliteBackend(tmp.file('items.db'));
    const ids = b.insert([row('x', { n: 1 }), row('y', { n: 2 }), row('z', { n: 3 })]);
    const asked = [ids[2], 999, ids[0]];
    const full = b.getMany(asked);
    const items = b.getMany(asked, false);
    expect(full.map((r) => r.text)).toEqual(['z', 'x']);
    expect(items.map((r) => [r.text, r.metadata])).toEqual([['z', { n: 3 }], ['x', { n: 1 }]]);
    expect(full.every((r) => r.vector.length === 3)).toBe(true);
    expect(items.every((r) => r.vector.length === 0)).toBe(true);
    expect(b.getMany([ids[1]], false)[0].text).toBe('y');
    b.close();
  });

  it('answers equality filters through the tag index', () => {
    const b = new SqliteBackend(tmp.file('b.db'));
    b.insert([row('x', { team: 'a' }), row('y', { team: 'b' }), row('z', { team: 'a', n: 1 })]);
    expect(b.count({ filter: { team: 'a' } })).toBe(2);
    expect(b.count({ filter: { team: 'a', n: 1 } })).toBe(1);
    const plan = (b as unknown as { db: { prepare(s: string): { all(...a: unknown[]): { detail: string }[] } } }).db
      .prepare('EXPLAIN QUERY PLAN SELECT item_id FROM weft_memory_tags WHERE key = ? AND value = ?')
      .all('team', '"a"')
      .map((p) => p.detail)
      .join(' ');
    expect(plan).toMatch(/USING PRIMARY KEY|USING COVERING INDEX/);
    b.close();
  });

  it('keeps FTS and tags in step with updates and deletes', () => {
    const b = new SqliteBackend(tmp.file('c.db'));
    const [id] = b.insert([row('Eve', { k: 1 }, 'entity')]);
    b.update(id, { text: 'Eve likes rust', metadata: { k: 2 }, vector: new Float32Array(3), now: 2000 });
    expect(b.keyword('rust', {}, 5).map((h) => h.id)).toEqual([id]);
    expect(b.count({ filter: { k: 1 } })).toBe(0);
    expect(b.count({ filter: { k: 2 } })).toBe(1);
    b.delete([id]);
    expect(b.keyword('rust', {}, 5)).toEqual([]);
    expect(b.count({ filter: { k: 2 } })).toBe(0);
    b.close();
  });

  it('stores one entity row per name', () => {
    const b = new SqliteBackend(tmp.file('d.db'));
    b.insert([row('Zed', {}, 'entity')]);
    expect(() => b.insert([row('Zed', {}, 'entity')])).toThrow(/UNIQUE/);
    b.close();
  });
});
