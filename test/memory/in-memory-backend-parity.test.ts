import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryBackend } from '../../src/memory/in-memory-backend.js';
import { SqliteBackend } from '../../src/memory/sqlite-backend.js';
import type { MemoryBackend } from '../../src/memory/backend.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-parity-');
afterAll(() => tmp.remove());

const sample = JSON.parse(readFileSync(new URL('../fixtures/ir-sample/sample.json', import.meta.url), 'utf8')) as { docs: string[]; queries: string[] };

function fill(b: MemoryBackend): void {
  b.insert(
    sample.docs.map((text, i) => ({
      scope: 'long-term' as const,
      runId: null,
      entity: null,
      text,
      metadata: { topic: i % 4 },
      vector: new Float32Array(4),
      now: 0,
    })),
  );
}

describe('keyword ranking parity: in-memory index against SQLite FTS5', () => {
  const sqlite = new SqliteBackend(tmp.file('parity.db'));
  const memory = new InMemoryBackend();
  fill(sqlite);
  fill(memory);
  afterAll(() => {
    sqlite.close();
    memory.close();
  });

  it('returns the same ids in the same order, with the same scores, for every sample query', () => {
    for (const q of [...sample.queries, 'the', 'Libraries, LIBRARY and librarians', 'stars stars stars moon']) {
      const a = sqlite.keyword(q, {}, 20);
      const b = memory.keyword(q, {}, 20);
      expect(b.map((h) => h.id), q).toEqual(a.map((h) => h.id));
      b.forEach((h, i) => expect(h.score).toBeCloseTo(a[i].score, 9));
    }
  });

  it('stays equal with a filter, and after deletes and an update change the statistics', () => {
    const filter = { filter: { topic: 2 } };
    for (const q of sample.queries.slice(0, 5)) expect(memory.keyword(q, filter, 10).map((h) => h.id)).toEqual(sqlite.keyword(q, filter, 10).map((h) => h.id));
    const gone = [3, 17, 18, 60, 61, 99];
    sqlite.delete(gone);
    memory.delete(gone);
    const update = { text: 'bread, bread and more baking of bread', metadata: {}, vector: new Float32Array(4), now: 1 };
    sqlite.update(5, update);
    memory.update(5, update);
    for (const q of sample.queries) expect(memory.keyword(q, {}, 10).map((h) => h.id)).toEqual(sqlite.keyword(q, {}, 10).map((h) => h.id));
    expect(memory.keyword('bake bread', {}, 1)[0].id).toBe(5);
  });

  it('reports the same term statistics (Porter stems, rows holding them)', () => {
    const a = sqlite.termStatistics();
    const b = memory.termStatistics();
    expect(b.documents).toBe(a.documents);
    for (const t of ['librari', 'star', 'bread', 'the', 'absent']) expect(b.documentFrequency(t)).toBe(a.documentFrequency(t));
  });
});
