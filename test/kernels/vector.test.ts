import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import type { KernelSet, Metric } from '../../src/kernels/types.js';
import { bothBackends } from '../helpers/backends.js';

// Float tolerance: the backends sum in different orders (WASM in f32 lanes, TS in f64), so
// results may differ by the classic summation bound n·2⁻²⁴·Σ|terms| (plus a little slack).
const U = 2 ** -24;
function close(actual: number, expected: number, n: number, magnitude: number): boolean {
  return Math.abs(actual - expected) <= 2 * n * U * magnitude + 1e-7;
}

function absDot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
  return s;
}

function f64dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const f32 = (xs: number[]) => new Float32Array(xs);
// Components in [-1, 1], with magnitudes below 1e-6 flushed to 0: WASM accumulates squares in
// f32, where values under ~1e-19 underflow (a documented limit; embeddings never come close).
const unit = fc
  .float({ min: Math.fround(-1), max: Math.fround(1), noNaN: true, noDefaultInfinity: true })
  .map((x) => (Math.abs(x) < 1e-6 ? 0 : x));
const vec = (n: number) => fc.array(unit, { minLength: n, maxLength: n }).map((xs) => new Float32Array(xs));
const vecPair = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(vec(n), vec(n)));

let wasm: KernelSet;
let ts: KernelSet;
beforeAll(async () => {
  [wasm, ts] = await bothBackends();
});

describe.each(['wasm', 'ts'] as const)('vector kernels (%s)', (name) => {
  const k = () => (name === 'wasm' ? wasm : ts);

  it('computes known dot, cosine and squared L2 values', () => {
    const a = f32([1, 2, 3]);
    const b = f32([4, 5, 6]);
    expect(k().vector.dot(a, b)).toBe(32);
    expect(k().vector.l2sq(a, b)).toBe(27);
    expect(k().vector.cosine(a, b)).toBeCloseTo(32 / Math.sqrt(14 * 77), 6);
    expect(k().vector.cosine(a, f32([0, 0, 0]))).toBe(0);
  });

  it('handles every tail length around the SIMD widths', () => {
    for (const n of [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65]) {
      const a = new Float32Array(n).map((_, i) => i + 1);
      const b = new Float32Array(n).fill(2);
      expect(k().vector.dot(a, b)).toBe(n * (n + 1));
      expect(k().vector.l2sq(a, a)).toBe(0);
      expect(k().vector.cosine(a, a)).toBeCloseTo(1, 6);
    }
  });

  it('normalizes in place and returns the former norm', () => {
    const v = f32([3, 4]);
    expect(k().vector.normalize(v)).toBeCloseTo(5, 6);
    expect(v[0]).toBeCloseTo(0.6, 6);
    expect(v[1]).toBeCloseTo(0.8, 6);
    const zero = f32([0, 0, 0]);
    expect(k().vector.normalize(zero)).toBe(0);
    expect([...zero]).toEqual([0, 0, 0]);
  });

  it('scans rows with each metric', () => {
    const q = f32([1, 0]);
    const m = f32([1, 0, 0, 1, -1, 0, 2, 2]);
    const out = new Float32Array(4);
    k().vector.scan(q, m, 'dot', out);
    expect([...out]).toEqual([1, 0, -1, 2]);
    k().vector.scan(q, m, 'l2', out);
    expect([...out]).toEqual([0, 2, 4, 5]);
    k().vector.scan(q, m, 'cosine', out);
    expect(out[0]).toBeCloseTo(1, 6);
    expect(out[1]).toBeCloseTo(0, 6);
    expect(out[3]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('selects top-k best first, ties to the smaller id, skipping NaN', () => {
    const scores = f32([0.5, NaN, 0.9, 0.5, 0.1, 0.9, -1]);
    const ids = new Uint32Array(4);
    const sc = new Float32Array(4);
    expect(k().vector.topK(scores, 4, false, ids, sc)).toBe(4);
    expect([...ids]).toEqual([2, 5, 0, 3]);
    expect([...sc]).toEqual([0.9, 0.9, 0.5, 0.5].map(Math.fround));
    expect(k().vector.topK(scores, 3, true, ids, sc)).toBe(3);
    expect([...ids.subarray(0, 3)]).toEqual([6, 4, 0]);
    expect(k().vector.topK(f32([NaN, 1]), 4, false, ids, sc)).toBe(1);
    expect(k().vector.topK(scores, 0, false, ids, sc)).toBe(0);
  });

  it('scanTopK finds the nearest rows (l2 ascending, dot descending)', () => {
    const m = f32([0, 0, 5, 5, 1, 1, 2, 2]);
    const ids = new Uint32Array(2);
    const sc = new Float32Array(2);
    expect(k().vector.scanTopK(f32([1, 1]), m, 'l2', 2, ids, sc)).toBe(2);
    expect([...ids]).toEqual([2, 0]); // rows 0 and 3 tie at distance 2: the smaller id wins
    expect([...sc]).toEqual([0, 2]);
    k().vector.scanTopK(f32([1, 1]), m, 'dot', 2, ids, sc);
    expect([...ids]).toEqual([1, 3]);
  });

  it('reads kernel buffers in place, also after memory grows', () => {
    const a = k().allocFloat32(4);
    a.array.set([1, 2, 3, 4]);
    const big = k().allocFloat32(4_000_000); // forces WASM memory to grow
    expect(k().vector.dot(a, a)).toBe(30);
    expect([...a.array]).toEqual([1, 2, 3, 4]);
    k().vector.normalize(a);
    expect(a.array[3]).toBeCloseTo(4 / Math.sqrt(30), 6);
    big.free();
    a.free();
    expect(a.freed).toBe(true);
    expect(() => a.array).toThrow(expect.objectContaining({ code: 'BUFFER_FREED' }));
  });

  it('rejects mismatched dimensions with a typed error', () => {
    let error: unknown;
    try {
      k().vector.dot(f32([1, 2]), f32([1, 2, 3]));
    } catch (e) {
      error = e;
    }
    expect(isWeftError(error, 'DIMENSION_MISMATCH')).toBe(true);
    expect((error as Error).message).toBe('dot: b: expected dimension 2, got 3');
    expect(() => k().vector.scan(f32([1, 2]), f32([1, 2, 3]), 'dot', new Float32Array(2))).toThrow(
      'scan: matrix length 3 is not a whole number of rows; row: expected dimension 2, got 1',
    );
  });

  it('rejects bad arguments with messages naming them', () => {
    expect(() => k().vector.scan(f32([1]), f32([1]), 'manhattan' as Metric, new Float32Array(1))).toThrow(
      "Expected `metric` to be one of 'dot', 'cosine', 'l2', got `\"manhattan\"` (string)",
    );
    expect(() => k().vector.scan(f32([1]), f32([1, 2]), 'dot', new Float32Array(1))).toThrow(
      'out is too small: needs 2, has 1',
    );
    expect(() => k().vector.topK(f32([1]), -1, false, new Uint32Array(1), new Float32Array(1))).toThrow(
      'Expected `k` to be an integer >= 0, got `-1` (number)',
    );
    expect(() => k().vector.dot([1, 2] as unknown as Float32Array, f32([1, 2]))).toThrow(
      'Expected `a` to be a Float32Array or an F32Buffer, got `[1,2]` (array)',
    );
    expect(() => k().vector.scan(f32([]), f32([]), 'dot', new Float32Array(0))).toThrow(
      'Expected `query` to be a vector of length >= 1',
    );
  });
});

describe('vector kernels: WASM and TS agree', () => {
  it('dot and l2sq agree within the summation bound', () => {
    fc.assert(
      fc.property(vecPair, ([a, b]) => {
        const mag = absDot(a, b);
        expect(close(wasm.vector.dot(a, b), f64dot(a, b), a.length, mag)).toBe(true);
        expect(close(wasm.vector.dot(a, b), ts.vector.dot(a, b), a.length, mag)).toBe(true);
        const d = a.map((x, i) => x - b[i]);
        expect(close(wasm.vector.l2sq(a, b), ts.vector.l2sq(a, b), a.length, f64dot(d, d))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('cosine and normalize agree within the summation bound', () => {
    fc.assert(
      fc.property(vecPair, ([a, b]) => {
        const na = Math.sqrt(f64dot(a, a));
        const nb = Math.sqrt(f64dot(b, b));
        const mag = na > 0 && nb > 0 ? absDot(a, b) / (na * nb) : 0;
        expect(close(wasm.vector.cosine(a, b), ts.vector.cosine(a, b), a.length, mag + 1)).toBe(true);
        const x = a.slice();
        const y = a.slice();
        const nx = wasm.vector.normalize(x);
        const ny = ts.vector.normalize(y);
        expect(close(nx, ny, a.length, na)).toBe(true);
        for (let i = 0; i < x.length; i++) expect(close(x[i], y[i], a.length, 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('topK returns identical ids and scores for the same scores', () => {
    const scores = fc.float32Array({ noDefaultInfinity: true, minLength: 0, maxLength: 500 });
    fc.assert(
      fc.property(scores, fc.integer({ min: 0, max: 40 }), fc.boolean(), (s, k, asc) => {
        const n = Math.min(k, s.length);
        const out = [new Uint32Array(n), new Float32Array(n), new Uint32Array(n), new Float32Array(n)] as const;
        const cw = wasm.vector.topK(s, k, asc, out[0], out[1]);
        const ct = ts.vector.topK(s, k, asc, out[2], out[3]);
        expect(cw).toBe(ct);
        expect([...out[0]]).toEqual([...out[2]]);
        expect(Object.is(out[1][0], out[3][0]) || (out[1][0] === 0 && out[3][0] === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('scanTopK agrees exactly on integer-valued data (where f32 sums are exact)', () => {
    const small = fc.integer({ min: -8, max: 8 });
    const input = fc.record({ dim: fc.integer({ min: 1, max: 40 }), rows: fc.integer({ min: 1, max: 60 }) }).chain(({ dim, rows }) =>
      fc.tuple(fc.array(small, { minLength: dim, maxLength: dim }), fc.array(small, { minLength: dim * rows, maxLength: dim * rows })),
    );
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 12 }), fc.constantFrom<Metric>('dot', 'cosine', 'l2'), ([q, m], k, metric) => {
        const query = f32(q);
        const matrix = f32(m);
        const rows = m.length / q.length;
        const n = Math.min(k, rows);
        const a = [new Uint32Array(n), new Float32Array(n)] as const;
        const b = [new Uint32Array(n), new Float32Array(n)] as const;
        expect(wasm.vector.scanTopK(query, matrix, metric, k, a[0], a[1])).toBe(ts.vector.scanTopK(query, matrix, metric, k, b[0], b[1]));
        expect([...a[0]]).toEqual([...b[0]]);
        expect([...a[1]]).toEqual([...b[1]]);
        const sw = new Float32Array(rows);
        const st = new Float32Array(rows);
        wasm.vector.scan(query, matrix, metric, sw);
        ts.vector.scan(query, matrix, metric, st);
        expect([...sw]).toEqual([...st]);
      }),
      { numRuns: 300 },
    );
  });

  it('scanTopK over a 20,000 x 384 kernel buffer matches the TS twin', () => {
    const rows = 20_000;
    const dim = 384;
    const matrix = wasm.allocFloat32(rows * dim);
    const arr = matrix.array;
    for (let i = 0; i < arr.length; i++) arr[i] = ((i * 2654435761) % 17) - 8;
    const plain = arr.slice();
    const q = new Float32Array(dim).map((_, i) => (i % 5) - 2);
    const a = [new Uint32Array(10), new Float32Array(10)] as const;
    const b = [new Uint32Array(10), new Float32Array(10)] as const;
    wasm.vector.scanTopK(q, matrix, 'dot', 10, a[0], a[1]);
    ts.vector.scanTopK(q, plain, 'dot', 10, b[0], b[1]);
    expect([...a[0]]).toEqual([...b[0]]);
    expect([...a[1]]).toEqual([...b[1]]);
    matrix.free();
  });
});
