import { describe, expect, it } from 'vitest';
import { AnnIndex } from '../../src/memory/ann-index.js';
import { DEFAULT_HNSW_PARAMS } from '../../src/memory/hnsw-index.js';
import { clusteredVectors } from './clustered-vectors.js';

// Seeded clustered unit vectors, so every run builds the same graph.
const DIM = 24;
const dataset = (count: number, seed: number) => clusteredVectors(count, DIM, { seed, centres: 20, noise: 0.4, cycle: false });
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
function exact(data: Float32Array[], ids: number[], q: Float32Array, k: number, keep: (id: number) => boolean = () => true): number[] {
  return data
    .map((v, i) => ({ id: ids[i], s: dot(v, q) }))
    .filter((h) => keep(h.id))
    .sort((a, b) => b.s - a.s || a.id - b.id)
    .slice(0, k)
    .map((h) => h.id);
}
const data = dataset(3000, 11);
const ids = data.map((_, i) => 1000 + i);
const queries = dataset(60, 12);
const params = { ...DEFAULT_HNSW_PARAMS, efConstruction: 100, efSearch: 64 };

async function built(n = data.length): Promise<AnnIndex> {
  const index = await AnnIndex.create(DIM, params, 16);
  index.add(ids.slice(0, n), data.slice(0, n));
  expect(index.pending).toBe(n);
  expect(index.link(Infinity)).toBe(0);
  return index;
}

function recall(index: AnnIndex, keep?: (id: number) => boolean, allowed?: number[]): number {
  let found = 0;
  for (const q of queries) {
    const truth = new Set(exact(data, ids, q, 10, keep));
    const got = index.search(q, 10, allowed);
    expect(got).toHaveLength(10);
    found += got.filter((h) => truth.has(h.id)).length;
  }
  return found / (queries.length * 10);
}

describe('AnnIndex (weft HNSW in WebAssembly)', () => {
  it('reaches recall@10 >= 0.95 against exact search, with cosine scores, best first', async () => {
    const index = await built();
    expect(index.size).toBe(data.length);
    expect(recall(index)).toBeGreaterThanOrEqual(0.95);
    const [best, second] = index.search(data[7], 2);
    expect(best.id).toBe(ids[7]);
    expect(best.score).toBeCloseTo(1, 5);
    expect(second.score).toBeLessThanOrEqual(best.score);
  });

  it('builds the same graph from one batch as from single inserts (same seed)', async () => {
    const batch = await built(800);
    const single = await AnnIndex.create(DIM, params, 16);
    for (let i = 0; i < 800; i++) {
      single.add([ids[i]], [data[i]]);
      single.link(1);
    }
    expect(await single.toBytes()).toEqual(await batch.toBytes());
  });

  it('scans pending items exactly, so an index still linking misses nothing', async () => {
    const index = await built(500);
    index.add(ids.slice(500, 1500), data.slice(500, 1500));
    expect(index.pending).toBe(1000);
    // An item only pending is found as the exact nearest of its own vector.
    expect(index.search(data[1200], 1)[0].id).toBe(ids[1200]);
  });

  it('never returns deleted items, and serves a replaced vector under the same id', async () => {
    const index = await built();
    const gone = new Set(ids.filter((_, i) => i % 3 === 0));
    for (const id of gone) index.delete(id);
    expect(index.size).toBe(data.length - gone.size);
    expect(index.tombstoneShare).toBeCloseTo(gone.size / data.length, 5);
    for (const q of queries) {
      const got = index.search(q, 10);
      expect(got).toHaveLength(10);
      expect(got.some((h) => gone.has(h.id))).toBe(false);
    }
    expect(recall(index, (id) => !gone.has(id))).toBeGreaterThanOrEqual(0.95);
    index.add([ids[1]], [data[2]]);
    index.link(Infinity);
    expect(index.size).toBe(data.length - gone.size);
    expect(index.search(data[2], 2).map((h) => h.id).sort()).toEqual([ids[1], ids[2]].sort());
  });

  it('keeps filtered searches inside the allowed ids with recall >= 0.95', async () => {
    const index = await built();
    const allowed = ids.filter((id) => id % 2 === 0);
    const set = new Set(allowed);
    for (const q of queries) expect(index.search(q, 10, allowed).every((h) => set.has(h.id))).toBe(true);
    expect(recall(index, (id) => set.has(id), allowed)).toBeGreaterThanOrEqual(0.95);
  });

  it('round-trips through bytes with tombstones and pending items', async () => {
    const index = await built(2000);
    index.delete(ids[3]);
    index.add(ids.slice(2000, 2100), data.slice(2000, 2100));
    const copy = await AnnIndex.fromBytes(DIM, params, await index.toBytes());
    expect(copy.size).toBe(index.size);
    expect(copy.pending).toBe(100);
    expect(copy.has(ids[3])).toBe(false);
    for (const q of queries.slice(0, 10)) expect(copy.search(q, 10)).toEqual(index.search(q, 10));
    copy.link(Infinity);
    expect(copy.search(data[2050], 1)[0].id).toBe(ids[2050]);
  });

  it('refuses bytes of another dimension or M, truncated bytes and a corrupt graph', async () => {
    const index = await built(300);
    const bytes = await index.toBytes();
    await expect(AnnIndex.fromBytes(DIM + 1, params, bytes)).rejects.toThrow(`vectors of ${DIM} floats, expected ${DIM + 1}`);
    await expect(AnnIndex.fromBytes(DIM, { ...params, m: 8 }, bytes)).rejects.toThrow('built with M 16');
    await expect(AnnIndex.fromBytes(DIM, params, bytes.subarray(0, 5000))).rejects.toThrow(/truncated|does not validate/);
    await expect(AnnIndex.fromBytes(DIM, params, new Uint8Array(100))).rejects.toThrow('not a weft HNSW file');
    // A level-0 link of node 0 pointing past the last node: the graph check must catch it.
    const bad = bytes.slice();
    const link0 = 64 + 300 * DIM * 4 + 300 * 4;
    new DataView(bad.buffer).setUint32(link0 + 4, 1_000_000, true);
    await expect(AnnIndex.fromBytes(DIM, params, bad)).rejects.toThrow('does not validate');
  });
});
