import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelSet } from '../../src/kernels/types.js';
import { VectorMatrix } from '../../src/memory/vector-matrix.js';
import { tsKernels, wasmKernels } from '../helpers/backends.js';

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v) || 1;
  return Float32Array.from(v, (x) => x / n);
}

function brute(rows: Map<number, Float32Array>, q: Float32Array, k: number): number[] {
  return [...rows]
    .map(([id, v]) => ({ id, s: v.reduce((a, x, i) => a + x * q[i], 0) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((h) => h.id);
}

const backends: [string, () => Promise<KernelSet> | KernelSet][] = [
  ['wasm', wasmKernels],
  ['ts', tsKernels],
];

describe.each(backends)('VectorMatrix (%s kernels)', (_name, make) => {
  let kernels: KernelSet;
  beforeAll(async () => {
    kernels = await make();
  });

  it('finds the nearest rows, never the unused (NaN) capacity', () => {
    const m = new VectorMatrix(3, kernels);
    m.set(10, unit([1, 0, 0]));
    m.set(11, unit([-1, -1, 0]));
    m.set(12, unit([0, -1, 0]));
    // Only negative-similarity rows but for one: spare zero rows would score 0 and win.
    const hits = m.search(unit([1, 0.1, 0]), 3);
    expect(hits.map((h) => h.id)).toEqual([10, 12, 11]);
    expect(hits[2].score).toBeLessThan(0);
  });

  it('deletes by moving the last row into the hole', () => {
    const m = new VectorMatrix(2, kernels);
    m.set(1, unit([1, 0]));
    m.set(2, unit([0, 1]));
    m.set(3, unit([1, 1]));
    m.delete(1);
    expect(m.size).toBe(2);
    expect(m.has(1)).toBe(false);
    expect(m.search(unit([1, 0]), 5).map((h) => h.id)).toEqual([3, 2]);
    expect(Array.from(m.get(3)!)).toEqual(Array.from(unit([1, 1])));
    m.delete(99);
    expect(m.size).toBe(2);
  });

  it('replaces the vector of an id set twice', () => {
    const m = new VectorMatrix(2, kernels);
    m.set(1, unit([1, 0]));
    m.set(1, unit([0, 1]));
    expect(m.size).toBe(1);
    expect(m.search(unit([0, 1]), 1)[0].score).toBeCloseTo(1, 6);
  });

  it('grows past one chunk and still agrees with brute force (also after deletes)', () => {
    const dim = 4;
    // Small chunks (256 rows): the first doubles 64 -> 256, then full chunks are appended.
    const m = new VectorMatrix(dim, kernels, 256);
    const rows = new Map<number, Float32Array>();
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const n = 3 * 256 + 100;
    for (let id = 0; id < n; id++) {
      const v = unit([rnd(), rnd(), rnd(), rnd()]);
      rows.set(id, v);
      m.set(id, v);
    }
    for (let id = 0; id < n; id += 3) {
      rows.delete(id);
      m.delete(id);
    }
    const q = unit([0.3, -0.2, 0.9, 0.1]);
    expect(m.size).toBe(rows.size);
    expect(m.search(q, 10).map((h) => h.id)).toEqual(brute(rows, q, 10));
    const among = [...rows.keys()].filter((id) => id % 5 === 0);
    const sub = new Map(among.map((id) => [id, rows.get(id)!]));
    expect(m.searchAmong(q, among, 7).map((h) => h.id)).toEqual(brute(sub, q, 7));
  });

  it('matches brute force on random sets, inserts and deletes (property)', () => {
    const vec = fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 3, maxLength: 3 }).map((v) => unit(v.map((x) => x + 0.5)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), vec, fc.boolean()), { maxLength: 120 }), vec, fc.integer({ min: 1, max: 12 }), (ops, q, k) => {
        const m = new VectorMatrix(3, kernels, 64);
        const rows = new Map<number, Float32Array>();
        for (const [id, v, del] of ops) {
          if (del) {
            m.delete(id);
            rows.delete(id);
          } else {
            m.set(id, v);
            rows.set(id, v);
          }
        }
        const got = m.search(q, k);
        const want = brute(rows, q, k);
        expect(got.length).toBe(want.length);
        // Equal scores may order differently; compare the scores, which are unambiguous.
        const score = (id: number) => rows.get(id)!.reduce((a, x, i) => a + x * q[i], 0);
        got.forEach((h, i) => expect(h.score).toBeCloseTo(score(want[i]), 5));
        m.clear();
      }),
      { numRuns: 60 },
    );
  });
});
