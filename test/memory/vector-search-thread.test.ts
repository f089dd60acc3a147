import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelSet } from '../../src/kernels/types.js';
import { DEFAULT_HNSW_PARAMS } from '../../src/memory/hnsw-index.js';
import { PENDING_LIMIT, VectorSearch } from '../../src/memory/vector-search.js';
import { wasmKernels } from '../helpers/backends.js';

// The serving index linked on a worker thread: inserts only append, and wait in caughtUp() while
// more than PENDING_LIMIT items are behind. The thread runs dist/: `npm run build:ts` first.
const DIM = 8;
// A pseudo-random unit vector per id (no two alike, unlike a periodic formula).
const vec = (i: number) => {
  let s = (i + 1) * 48271;
  const v = Float32Array.from({ length: DIM }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('VectorSearch with the index linked on a worker thread', () => {
  let kernels: KernelSet;
  beforeAll(async () => {
    kernels = await wasmKernels();
  });
  /** A search whose index serves 300 items, linked on a thread of its own or not. */
  const served = async (indexThread: boolean) => {
    const s = new VectorSearch({ dim: DIM, kernels, hnswThreshold: 100, hnsw: DEFAULT_HNSW_PARAMS, exactFilterLimit: 10, indexThread });
    s.add(range(0, 300), range(0, 300).map(vec));
    await s.whenIndexed();
    expect(s.linksElsewhere).toBe(indexThread);
    return s;
  };

  it('takes inserts beyond the pending limit without linking them here, and holds the caller back until the thread catches up', async () => {
    const s = await served(true);
    const extra = range(1000, PENDING_LIMIT + 1500);
    s.add(extra, extra.map(vec));
    // All of them wait unlinked (an index linked here would have linked the excess in add()).
    expect(s.pendingLinks).toBe(extra.length);
    expect(s.search(vec(extra[extra.length - 1]), 1)[0].id).toBe(extra[extra.length - 1]);
    expect(s.lastPath).toBe('hnsw');
    await s.caughtUp();
    expect(s.pendingLinks).toBeLessThanOrEqual(PENDING_LIMIT);
    await s.whenIndexed();
    expect(s.pendingLinks).toBe(0);
    expect(s.search(vec(1500), 1)[0].id).toBe(1500);
    s.dispose();
  });

  it('links the excess in the insert itself when it links on its own thread', async () => {
    const s = await served(false);
    const extra = range(1000, PENDING_LIMIT + 500);
    s.add(extra, extra.map(vec));
    // The insert linked the excess before returning (and the background step a little more).
    const left = s.pendingLinks;
    expect(left).toBeLessThanOrEqual(PENDING_LIMIT);
    await s.caughtUp();
    expect(s.pendingLinks).toBe(left);
    s.dispose();
  });
});
