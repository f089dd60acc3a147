import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HNSW_PARAMS, HnswIndex } from '../../src/memory/hnsw-index.js';
import { loadHnsw, type HnswModule } from '../../src/memory/hnsw-loader.js';

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe('HnswIndex (hnswlib-wasm in Node)', () => {
  let lib: HnswModule;
  beforeAll(async () => {
    lib = await loadHnsw();
  });

  it('loads once and shares the module', async () => {
    expect(await loadHnsw()).toBe(lib);
  });

  it('queues adds until linked, finds nearest labels with cosine scores, grows past its capacity, honours deletes and filters', () => {
    const index = HnswIndex.create(lib, 3, DEFAULT_HNSW_PARAMS, 2);
    index.add([10, 20, 30], [unit([1, 0, 0]), unit([0, 1, 0]), unit([1, 1, 0])]);
    expect(index.pending).toBe(3);
    expect(index.link(2)).toBe(1);
    index.link(Infinity);
    index.add(Array.from({ length: 40 }, (_, i) => 100 + i), Array.from({ length: 40 }, (_, i) => unit([0, 0.1 * i, 1])));
    index.link(Infinity);
    expect(index.size).toBe(43);
    const [best] = index.search(unit([1, 0.05, 0]), 1);
    expect(best.id).toBe(10);
    expect(best.score).toBeCloseTo(unit([1, 0.05, 0])[0], 5);
    index.delete(10);
    expect(index.search(unit([1, 0.05, 0]), 1)[0].id).toBe(30);
    expect(index.search(unit([1, 0, 0]), 1, [20])[0].id).toBe(20);
    index.add([20], [unit([1, 0, 0])]);
    index.link(Infinity);
    expect(index.search(unit([1, 0, 0]), 1)[0].id).toBe(20);
  });

  it('round-trips through bytes', async () => {
    const index = HnswIndex.create(lib, 4, DEFAULT_HNSW_PARAMS, 10);
    index.add([1, 2, 3], [unit([1, 0, 0, 0]), unit([0, 1, 0, 0]), unit([0, 0, 1, 0])]);
    index.link(Infinity);
    index.delete(2);
    const bytes = await index.toBytes();
    const copy = await HnswIndex.fromBytes(lib, 4, DEFAULT_HNSW_PARAMS, bytes);
    expect(copy.ids().sort()).toEqual([1, 3]);
    expect(copy.search(unit([0, 0, 1, 0.1]), 1)[0].id).toBe(3);
  });

  it('rejects bytes of another dimension', async () => {
    const index = HnswIndex.create(lib, 4, DEFAULT_HNSW_PARAMS, 10);
    index.add([1], [unit([1, 0, 0, 0])]);
    index.link(Infinity);
    const bytes = await index.toBytes();
    await expect(HnswIndex.fromBytes(lib, 8, DEFAULT_HNSW_PARAMS, bytes)).rejects.toThrow('not an HNSW index of dimension 8: vectors of 4 floats, expected 8');
    await expect(HnswIndex.fromBytes(lib, 4, DEFAULT_HNSW_PARAMS, bytes.subarray(0, bytes.length - 1))).rejects.toThrow(/truncated|after the last/);
    // The module is still usable: nothing reached hnswlib.
    expect((await HnswIndex.fromBytes(lib, 4, DEFAULT_HNSW_PARAMS, bytes)).size).toBe(1);
  });
});
