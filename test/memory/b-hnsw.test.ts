import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { tempDir } from '../helpers/temp-dir.js';
import { clusteredVectors } from './clustered-vectors.js';

const tmp = tempDir('weft-memory-hnsw-');
afterAll(() => tmp.remove());

// Clustered unit vectors through a plug-in embedder: the text is the vector's index.
const DIM = 16;
const clustered = (count: number, seed = 7) => clusteredVectors(count, DIM, { seed, centres: 8, noise: 0.3, cycle: true });
const vectors = clustered(1500);
const embedder = async (texts: readonly string[]) => texts.map((t) => vectors[Number(t.split(' ')[1])]);
const texts = vectors.map((_, i) => ({ text: `v ${i}`, metadata: { tenant: i % 100 === 0 ? 'rare' : 'common', i } }));

describe('memory with an HNSW index', () => {
  it('starts indexing at the threshold and keeps recall@10 close to exact', async () => {
    const exact = await createMemory({ dim: DIM, embedder, hnswThreshold: Infinity });
    const approx = await createMemory({ path: tmp.file('recall.db'), dim: DIM, embedder, hnswThreshold: 1000 });
    await exact.rememberMany(texts);
    await approx.rememberMany(texts.slice(0, 999));
    expect(approx.indexed).toBe(false);
    await approx.rememberMany(texts.slice(999));
    await approx.whenIndexed();
    expect(approx.indexed).toBe(true);
    let found = 0;
    for (let q = 0; q < 50; q++) {
      const query = `v ${q * 29}`;
      const truth = new Set((await exact.recall(query, { k: 10 })).map((h) => h.text));
      const got = await approx.recall(query, { k: 10 });
      expect(approx.lastSearchPath).toBe('hnsw');
      found += got.filter((h) => truth.has(h.text)).length;
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.95);
    await exact.close();
    await approx.close();
  });

  it('serves filters exactly when they are selective and through the index otherwise', async () => {
    const m = await createMemory({ path: tmp.file('filters.db'), dim: DIM, embedder, hnswThreshold: 1000, exactFilterLimit: 100 });
    await m.rememberMany(texts);
    await m.whenIndexed();
    const rare = await m.recall('v 3', { k: 10, filter: { tenant: 'rare' } });
    expect(m.lastSearchPath).toBe('exact-filtered');
    expect(rare).toHaveLength(10);
    expect(rare.every((h) => h.metadata.tenant === 'rare')).toBe(true);
    const common = await m.recall('v 3', { k: 10, filter: { tenant: 'common' } });
    expect(m.lastSearchPath).toBe('hnsw-filtered');
    expect(common).toHaveLength(10);
    expect(common.every((h) => h.metadata.tenant === 'common')).toBe(true);
    await m.close();
  });

  it('falls back to exact when the filtered index search returns fewer than k', async () => {
    // A filter passing 1 row in 3 and k equal to all 500 of them, on a sparse graph (m 2): the
    // filtered graph walk cannot reach every accepted row, which must not shorten the answer.
    const m = await createMemory({ dim: DIM, embedder, hnswThreshold: 1000, exactFilterLimit: 0, hnsw: { efSearch: 1, m: 2 } });
    await m.rememberMany(texts.map((t, i) => ({ text: t.text, metadata: { third: i % 3 === 0 } })));
    await m.whenIndexed();
    const hits = await m.recall('v 1', { k: 500, filter: { third: true } });
    expect(hits).toHaveLength(500);
    expect(hits.every((h) => h.metadata.third === true)).toBe(true);
    expect(m.lastSearchPath).toBe('hnsw-fallback');
    const exact = await createMemory({ dim: DIM, embedder, hnswThreshold: Infinity });
    await exact.rememberMany(texts.map((t, i) => ({ text: t.text, metadata: { third: i % 3 === 0 } })));
    const truth = await exact.recall('v 1', { k: 500, filter: { third: true } });
    expect(hits.map((h) => h.text)).toEqual(truth.map((h) => h.text));
    await m.close();
    await exact.close();
  });

  it('keeps the index in step with deletes and entity updates', async () => {
    const m = await createMemory({ dim: DIM, embedder, hnswThreshold: 1000 });
    const items = await m.rememberMany(texts);
    await m.whenIndexed();
    m.forget(items[5].id);
    const hits = await m.recall('v 5', { k: 10 });
    expect(hits.map((h) => h.id)).not.toContain(items[5].id);
    expect(hits).toHaveLength(10);
    await m.close();
  });

  it('replaces an updated entity\'s vector in a built index, in the same connection', async () => {
    // Entity texts merge facts line by line: embed a text as the vector of its last number.
    const lastNumber = async (ts: readonly string[]) => ts.map((t) => vectors[Number(/(\d+)\s*$/.exec(t)![1])]);
    const m = await createMemory({ dim: DIM, embedder: lastNumber, hnswThreshold: 1000 });
    await m.rememberMany(texts.slice(0, 1200));
    await m.whenIndexed();
    expect(m.indexed).toBe(true);
    // 1300 and 1400 lie in different clusters (i % 8), so the two vectors cannot stand in for each other.
    const first = await m.remember('v 1300', { entity: 'acme' });
    const updated = await m.remember('v 1400', { entity: 'acme' });
    expect(updated.id).toBe(first.id);
    const [hit] = await m.recall(vectors[1400], { k: 1 });
    expect(m.lastSearchPath).toBe('hnsw');
    expect(hit.id).toBe(first.id);
    expect(hit.score).toBeGreaterThan(0.999);
    const nearOld = await m.recall(vectors[1300], { k: 10 });
    expect(m.lastSearchPath).toBe('hnsw');
    expect(nearOld.find((h) => h.id === first.id && h.score > 0.99)).toBeUndefined();
    await m.close();
  });

  it('stops a background build on close instead of finishing it', async () => {
    const path = tmp.file('close-during-build.db');
    const m = await createMemory({ path, dim: DIM, embedder, hnswThreshold: 1000 });
    await m.rememberMany(texts);
    await m.close();
    expect(m.indexed).toBe(false);
    // A build finished during close would have been saved, and the next open would load it.
    const again = await createMemory({ path, dim: DIM, embedder, hnswThreshold: 1000 });
    expect(again.indexed).toBe(false);
    await again.whenIndexed();
    expect(again.indexed).toBe(true);
    await again.close();
  });
});
