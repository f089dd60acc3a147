import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelSet } from '../../src/kernels/types.js';
import { DEFAULT_HNSW_PARAMS } from '../../src/memory/hnsw-index.js';
import { InMemoryBackend } from '../../src/memory/in-memory-backend.js';
import { VectorSearch } from '../../src/memory/vector-search.js';
import { wasmKernels } from '../helpers/backends.js';

const DIM = 8;
const vec = (i: number) => {
  const v = Float32Array.from({ length: DIM }, (_, j) => Math.sin(i * 1.7 + j * 0.3));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('VectorSearch', () => {
  let kernels: KernelSet;
  beforeAll(async () => {
    kernels = await wasmKernels();
  });
  const make = (hnswThreshold: number) => new VectorSearch({ dim: DIM, kernels, hnswThreshold, hnsw: DEFAULT_HNSW_PARAMS, exactFilterLimit: 10 });

  it('scans exactly below the threshold and switches to the index once built', async () => {
    const s = make(100);
    const ids = Array.from({ length: 99 }, (_, i) => i);
    s.add(ids, ids.map(vec));
    await s.whenIndexed();
    expect(s.indexed).toBe(false);
    s.add([99], [vec(99)]);
    // Exact until the background build completes.
    expect(s.search(vec(3), 1)[0].id).toBe(3);
    expect(s.lastPath).toBe('exact');
    await s.whenIndexed();
    expect(s.indexed).toBe(true);
    expect(s.search(vec(3), 1)[0].id).toBe(3);
    expect(s.lastPath).toBe('hnsw');
    s.dispose();
  });

  it('reconciles items added and deleted during a build', async () => {
    const s = make(50);
    const ids = Array.from({ length: 60 }, (_, i) => i);
    s.add(ids, ids.map(vec));
    s.add([1000], [vec(1000)]);
    s.delete([5]);
    await s.whenIndexed();
    expect(s.search(vec(1000), 1)[0].id).toBe(1000);
    expect(s.search(vec(5), 60).map((h) => h.id)).not.toContain(5);
    s.dispose();
  });

  it('opens from saved bytes, and ignores bytes it cannot read', async () => {
    const a = make(10);
    const ids = Array.from({ length: 30 }, (_, i) => i);
    a.add(ids, ids.map(vec));
    await a.whenIndexed();
    const bytes = (await a.indexBytes())!;
    const b = make(10);
    ids.forEach((id) => b.matrix.set(id, vec(id)));
    expect(await b.open(bytes)).toBe('loaded');
    // Loaded and unchanged: nothing to save on close.
    expect(b.indexDirty).toBe(false);
    b.add([5], [vec(5)]);
    expect(b.indexDirty).toBe(true);
    const c = make(10);
    ids.forEach((id) => c.matrix.set(id, vec(id)));
    expect(await c.open(new Uint8Array(100))).toBe('rebuilding');
    await c.whenIndexed();
    expect(c.indexed).toBe(true);
    expect(await make(10).open(bytes)).toBe('none');
    for (const s of [a, b, c]) s.dispose();
  });

  it('reloads from a backend', () => {
    const backend = new InMemoryBackend();
    const [id] = backend.insert([{ scope: 'long-term', runId: null, entity: null, text: 't', metadata: {}, vector: vec(1), now: 0 }]);
    const s = make(Infinity);
    s.add([999], [vec(2)]);
    s.reload(backend);
    expect(s.matrix.allIds()).toEqual([id]);
    s.dispose();
  });

  it('stops waiting, not building, when the wait is aborted', async () => {
    const s = make(20);
    const ids = Array.from({ length: 500 }, (_, i) => i);
    s.add(ids, ids.map(vec));
    const controller = new AbortController();
    const waiting = s.whenIndexed(controller.signal);
    controller.abort(new Error('enough'));
    await expect(waiting).rejects.toThrow('enough');
    await s.whenIndexed();
    expect(s.indexed).toBe(true);
    s.dispose();
  });

  it('stops a build in progress', async () => {
    const s = make(20);
    const ids = Array.from({ length: 2000 }, (_, i) => i);
    s.add(ids, ids.map(vec));
    await s.stop();
    expect(s.indexed).toBe(false);
    s.dispose();
  });

  it('serves items added to a built index at once (scanned until linked), for both index kinds', async () => {
    for (const index of ['weft', 'hnswlib-wasm'] as const) {
      const s = new VectorSearch({ dim: DIM, kernels, hnswThreshold: 50, hnsw: DEFAULT_HNSW_PARAMS, exactFilterLimit: 10, index });
      const ids = Array.from({ length: 300 }, (_, i) => i);
      s.add(ids, ids.map(vec));
      await s.whenIndexed();
      s.add([5000, 5001], [vec(5000), vec(5001)]);
      expect(s.search(vec(5000), 1)[0].id).toBe(5000);
      expect(s.lastPath).toBe('hnsw');
      await s.whenIndexed();
      expect(s.search(vec(5001), 1)[0].id).toBe(5001);
      s.dispose();
    }
  });

  it('rebuilds the weft index once a quarter of it is tombstones, and saves the repaired one', async () => {
    const s = make(50);
    const ids = Array.from({ length: 400 }, (_, i) => i);
    s.add(ids, ids.map(vec));
    await s.whenIndexed();
    s.markSaved();
    s.delete(ids.slice(0, 150));
    await s.whenIndexed();
    expect(s.indexDirty).toBe(true);
    const bytes = (await s.indexBytes())!;
    // The header's node count (offset 20) and tombstone count (36): only the live items remain.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getInt32(20, true)).toBe(250);
    expect(view.getInt32(36, true)).toBe(0);
    expect(s.search(vec(200), 1)[0].id).toBe(200);
    s.dispose();
  });
});
