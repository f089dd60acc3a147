import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { createHashingEmbedder } from '../../src/memory/hashing-embedder.js';
import { createMemory } from '../../src/memory/create-memory.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-memory-persist-');
afterAll(() => tmp.remove());

const notes = (count: number) => Array.from({ length: count }, (_, i) => ({ text: `note ${i} about topic ${i % 13} and item ${i * 7}`, metadata: { i, group: i % 3 } }));

describe('memory persistence', () => {
  it('keeps items, metadata, entities and vectors across reopen', async () => {
    const path = tmp.file('reopen.db');
    const m = await createMemory({ path, dim: 64 });
    await m.rememberMany(notes(20));
    await m.remember('Bob plays chess', { entity: 'Bob' });
    await m.remember('temporary', { runId: 'r' });
    const before = await m.recall('topic 5 item', { k: 5 });
    await m.close();

    const again = await createMemory({ path, dim: 64 });
    expect(again.count()).toBe(22);
    expect(again.entity('Bob')?.text).toBe('Bob plays chess');
    expect((await again.recall('topic 5 item', { k: 5 })).map((h) => [h.id, h.score])).toEqual(before.map((h) => [h.id, h.score]));
    expect(again.count({ filter: { group: 1 } })).toBe(7);
    await again.close();
  });

  it('refuses a database written with another dimension or embedder', async () => {
    const path = tmp.file('mismatch.db');
    await (await createMemory({ path, dim: 32 })).close();
    const dim = await createMemory({ path, dim: 64 }).catch((e: unknown) => e);
    expect(isWeftError(dim, 'DIMENSION_MISMATCH')).toBe(true);
    expect((dim as Error).message).toBe(`memory ${path} was written with a dimension that: expected dimension 32, got 64`);
    const emb = await createMemory({ path, embedder: createHashingEmbedder({ dim: 32, bigrams: true }) }).catch((e: unknown) => e);
    expect(isWeftError(emb, 'EMBEDDER_MISMATCH')).toBe(true);
    expect((emb as Error).message).toBe(`memory ${path} was written with embedder hashing-v2:uni, opened with hashing-v2:uni+bi`);
    const fn = await createMemory({ path, dim: 32, embedder: async (t) => t.map(() => new Float32Array(32)), embedderId: 'my-model' }).catch(
      (e: unknown) => e,
    );
    expect((fn as Error).name).toBe('EmbedderMismatchError');
  });

  it('saves the HNSW index in the database and reloads it on open', async () => {
    const path = tmp.file('index.db');
    const m = await createMemory({ path, dim: 64, hnswThreshold: 100 });
    await m.rememberMany(notes(150));
    await m.whenIndexed();
    expect(m.indexed).toBe(true);
    await m.recall('note 42', { k: 3 });
    expect(m.lastSearchPath).toBe('hnsw');
    await m.close();

    const db = new Database(path, { readonly: true });
    const saved = db.prepare('SELECT length(bytes) FROM weft_memory_index').pluck().get() as number;
    db.close();
    expect(saved).toBeGreaterThan(150 * 64 * 4);

    const again = await createMemory({ path, dim: 64, hnswThreshold: 100 });
    // Loaded, not rebuilding: the index serves the first query.
    expect(again.indexed).toBe(true);
    const hits = await again.recall('note 42 about topic 3', { k: 1 });
    expect(hits[0].text).toBe('note 42 about topic 3 and item 294');
    expect(again.lastSearchPath).toBe('hnsw');
    await again.close();
  });

  it('brings a stale saved index up to date (items added and deleted after it was saved)', async () => {
    const path = tmp.file('stale.db');
    const m = await createMemory({ path, dim: 32, hnswThreshold: 50 });
    const items = await m.rememberMany(notes(60));
    await m.flush();
    // Written by a second connection, which the index saved above has never seen.
    const other = await createMemory({ path, dim: 32, hnswThreshold: Infinity });
    other.forget(items[0].id);
    const [added] = await other.rememberMany(['a completely new sentence about zebras']);
    await other.close();
    await m.close().catch(() => {});

    const again = await createMemory({ path, dim: 32, hnswThreshold: 50 });
    expect(again.indexed).toBe(true);
    const [hit] = await again.recall('zebras sentence', { k: 1 });
    expect(hit.id).toBe(added.id);
    const all = await again.recall(items[0].text, { k: 60 });
    expect(again.lastSearchPath).toBe('hnsw');
    expect(all.map((h) => h.id)).not.toContain(items[0].id);
    // All 60 live items: an index still holding the deleted one would answer it in their place.
    expect(all).toHaveLength(60);
    await again.close();
  });

  it.each([
    ['corrupt', Buffer.from('definitely not an hnswlib index')],
    ['truncated', null],
  ])('rebuilds a %s index instead of failing', async (kind, bytes) => {
    const path = tmp.file(`${kind}.db`);
    const m = await createMemory({ path, dim: 64, hnswThreshold: 50 });
    await m.rememberMany(notes(80));
    await m.close();
    const db = new Database(path);
    if (bytes === null) db.prepare('UPDATE weft_memory_index SET bytes = substr(bytes, 1, 100)').run();
    else db.prepare('UPDATE weft_memory_index SET bytes = ?').run(bytes);
    db.close();

    const again = await createMemory({ path, dim: 64, hnswThreshold: 50 });
    // Until the rebuild is done, recall is exact, so results are right meanwhile.
    const early = await again.recall('note 7 about topic 7', { k: 1 });
    expect(early[0].text).toBe('note 7 about topic 7 and item 49');
    await again.whenIndexed();
    expect(again.indexed).toBe(true);
    expect((await again.recall('note 7 about topic 7', { k: 1 }))[0].text).toBe('note 7 about topic 7 and item 49');
    await again.close();
  });

  it('keeps the saved index when a connection without one closes', async () => {
    const path = tmp.file('keep.db');
    const m = await createMemory({ path, dim: 32, hnswThreshold: 50 });
    await m.rememberMany(notes(60));
    await m.whenIndexed();
    await m.close();
    const small = await createMemory({ path, dim: 32, hnswThreshold: Infinity });
    await small.remember('one more');
    await small.close();
    const again = await createMemory({ path, dim: 32, hnswThreshold: 50 });
    expect(again.indexed).toBe(true);
    expect((await again.recall('one more', { k: 1 }))[0].text).toBe('one more');
    await again.close();
  });

  it('sees writes made by another connection to the same file', async () => {
    const path = tmp.file('shared.db');
    const a = await createMemory({ path, dim: 32 });
    const b = await createMemory({ path, dim: 32 });
    await a.remember('written through a');
    const [hit] = await b.recall('written through a');
    expect(hit?.text).toBe('written through a');
    b.forget(hit.id);
    expect(await a.recall('written through a')).toEqual([]);
    await a.close();
    await b.close();
  });

  it('uses WAL and stores vectors as float32 blobs', async () => {
    const path = tmp.file('format.db');
    const m = await createMemory({ path, dim: 8 });
    await m.remember('hello');
    await m.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT length(vector) FROM weft_memory_items').pluck().get()).toBe(32);
    db.close();
  });
});
