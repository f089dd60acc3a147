import { describe, expect, it } from 'vitest';
import { InMemoryBackend } from '../../src/memory/in-memory-backend.js';
import { SqliteBackend } from '../../src/memory/sqlite-backend.js';

const texts = ['the quick brown fox', 'the lazy dog sleeps', 'quick quick quick', 'a fox and a dog'];

describe('InMemoryBackend', () => {
  it('ranks keywords like SQLite FTS5 (BM25)', () => {
    const mem = new InMemoryBackend();
    const sql = new SqliteBackend(':memory:');
    for (const b of [mem, sql]) b.insert(texts.map((text) => ({ scope: 'long-term' as const, runId: null, entity: null, text, metadata: {}, vector: new Float32Array(2), now: 1 })));
    for (const q of ['quick', 'fox dog', 'lazy fox']) {
      const a = mem.keyword(q, {}, 10);
      const b = sql.keyword(q, {}, 10);
      expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
      a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i].score, 4));
    }
    sql.close();
  });

  it('copies what it stores', () => {
    const mem = new InMemoryBackend();
    const metadata = { a: 1 };
    const vector = new Float32Array([1, 2]);
    const [id] = mem.insert([{ scope: 'long-term', runId: null, entity: null, text: 't', metadata, vector, now: 1 }]);
    metadata.a = 2;
    vector[0] = 9;
    const [r] = mem.getMany([id]);
    expect([r.metadata, Array.from(r.vector)]).toEqual([{ a: 1 }, [1, 2]]);
  });
});
