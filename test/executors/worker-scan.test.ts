// The sharded scan on real threads equals the one-thread exact scan: same rows, same scores,
// same order (ties to the smaller row id), for every metric, shard count and k.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../src/executors/worker-pool.js';
import { createSharedMatrix, mergeTopK, parallelScan } from '../../src/executors/worker-scan.js';
import type { Metric } from '../../src/kernels/types.js';
import { wasmKernels, tsKernels } from '../helpers/backends.js';

const pool = createWorkerPool({ threads: 2 });
const tsPool = createWorkerPool({ threads: 2, wasm: false });
afterAll(() => Promise.all([pool.close(), tsPool.close()]));

const f32 = fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });
// Small integers make ties frequent: the merge must break them as the kernel does.
const small = fc.integer({ min: -3, max: 3 }).map(Math.fround);

describe('parallelScan', () => {
  it.each([
    ['wasm', pool, wasmKernels],
    ['ts', tsPool, async () => tsKernels()],
  ] as const)('equals scanTopK on one thread (%s kernels in the threads and here)', async (_name, threads, kernels) => {
    const one = await kernels();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        fc.constantFrom<Metric>('dot', 'cosine', 'l2'),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (dim, rows, ties, metric, k, shards, seed) => {
          const values = fc.sample(fc.array(ties ? small : f32, { minLength: (rows + 1) * dim, maxLength: (rows + 1) * dim }), { numRuns: 1, seed })[0];
          const data = Float32Array.from(values.slice(0, rows * dim));
          const query = Float32Array.from(values.slice(rows * dim));
          const matrix = createSharedMatrix(rows, dim, data);
          const got = await parallelScan(matrix, query, { k, metric, shards, pool: threads });
          const ids = new Uint32Array(k);
          const scores = new Float32Array(k);
          const n = one.vector.scanTopK(query, data, metric, k, ids, scores);
          expect([...got.ids]).toEqual([...ids.subarray(0, n)]);
          expect([...got.scores]).toEqual([...scores.subarray(0, n)]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sees rows written after a scan once told with changed()', async () => {
    const matrix = createSharedMatrix(4, 2, new Float32Array([1, 0, 0, 1, 0.5, 0.5, 0, 0]));
    const q = new Float32Array([1, 0]);
    expect([...(await parallelScan(matrix, q, { k: 1, pool })).ids]).toEqual([0]);
    matrix.data.set([9, 0], 6);
    matrix.changed();
    expect([...(await parallelScan(matrix, q, { k: 1, pool })).ids]).toEqual([3]);
  });

  it('validates its arguments', async () => {
    const matrix = createSharedMatrix(2, 3);
    await expect(parallelScan(matrix, new Float32Array(2), { k: 1, pool })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    await expect(parallelScan({} as never, new Float32Array(3), { k: 1, pool })).rejects.toThrow('Expected `matrix` to be a SharedMatrix (createSharedMatrix), got `{}` (object)');
    await expect(parallelScan(matrix, new Float32Array(3), { k: -1, pool })).rejects.toThrow('Expected `k` to be an integer >= 0, got `-1` (number)');
    expect(() => createSharedMatrix(2, 3, new Float32Array(5))).toThrow('Expected `rows.length` to be rowCount * dim = 6, got `5` (number)');
  });

  it('merges shard lists best first, ties to the smaller id, ascending for distances', () => {
    const a = { ids: new Uint32Array([5, 1]), scores: new Float32Array([3, 1]) };
    const b = { ids: new Uint32Array([2, 7]), scores: new Float32Array([3, 2]) };
    expect([...mergeTopK([a, b], 3, false).ids]).toEqual([2, 5, 7]);
    expect([...mergeTopK([a, b], 2, true).ids]).toEqual([1, 7]);
  });
});
