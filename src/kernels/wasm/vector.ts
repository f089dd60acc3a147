import { checkOut, checkPair, checkScan, checkTopK, metricCode } from '../check.js';
import type { F32Input, Metric, VectorKernels } from '../types.js';
import { copyBytes, placeF32 } from './buffer.js';
import { align16, type WasmArena } from './memory.js';
import { rethrowTrap } from './trap.js';

/** Creates the WebAssembly vector kernels over `arena`. */
export function createWasmVectorKernels(arena: WasmArena): VectorKernels {
  const ex = arena.exports;

  // Places a and b in memory (copying plain arrays into scratch) and returns their addresses.
  function pair(a: F32Input, b: F32Input, n: number): [number, number] {
    const ca = copyBytes(arena, a, n);
    const base = arena.scratch(ca + copyBytes(arena, b, n));
    return [placeF32(arena, a, base), placeF32(arena, b, base + ca)];
  }

  function scanInto(query: F32Input, matrix: F32Input, rows: number, dim: number, extra: number): [number, number, number] {
    const cq = copyBytes(arena, query, dim);
    const cm = copyBytes(arena, matrix, rows * dim);
    const base = arena.scratch(cq + cm + extra);
    return [placeF32(arena, query, base), placeF32(arena, matrix, base + cq), base + cq + cm];
  }

  return {
    dot(a, b) {
      const n = checkPair('dot', a, b);
      const [pa, pb] = pair(a, b, n);
      return ex.dot(pa, pb, n);
    },
    cosine(a, b) {
      const n = checkPair('cosine', a, b);
      const [pa, pb] = pair(a, b, n);
      return ex.cosine(pa, pb, n);
    },
    l2sq(a, b) {
      const n = checkPair('l2sq', a, b);
      const [pa, pb] = pair(a, b, n);
      return ex.l2sq(pa, pb, n);
    },
    normalize(v) {
      if (v instanceof Float32Array) {
        const p = arena.scratch(v.length * 4);
        arena.f32.set(v, p >>> 2);
        const norm = ex.normalize(p, v.length);
        v.set(arena.f32.subarray(p >>> 2, (p >>> 2) + v.length));
        return norm;
      }
      const p = placeF32(arena, v, arena.scratch(copyBytes(arena, v, v.length)));
      const norm = ex.normalize(p, v.length);
      if (!(v.array.buffer === arena.f32.buffer)) v.array.set(arena.f32.subarray(p >>> 2, (p >>> 2) + v.length));
      return norm;
    },
    scan(query: F32Input, matrix: F32Input, metric: Metric, out: Float32Array): void {
      const code = metricCode(metric);
      const [rows, dim] = checkScan(query, matrix);
      checkOut('out', out, rows);
      const [pq, pm, po] = scanInto(query, matrix, rows, dim, rows * 4);
      try {
        ex.scan(pq, pm, rows, dim, code, po);
      } catch (error) {
        rethrowTrap('scan', error);
      }
      out.set(arena.f32.subarray(po >>> 2, (po >>> 2) + rows));
    },
    topK(scores, k, ascending, outIds, outScores) {
      const want = checkTopK(k, scores.length, outIds, outScores);
      const n = scores.length;
      const ps = arena.scratch(align16(n * 4) + 2 * align16(want * 4));
      const pi = ps + align16(n * 4);
      const po = pi + align16(want * 4);
      arena.f32.set(scores, ps >>> 2);
      const count = ex.topK(ps, n, want, ascending ? 1 : 0, pi, po);
      outIds.set(arena.u32.subarray(pi >>> 2, (pi >>> 2) + count));
      outScores.set(arena.f32.subarray(po >>> 2, (po >>> 2) + count));
      return count;
    },
    scanTopK(query, matrix, metric, k, outIds, outScores) {
      const code = metricCode(metric);
      const [rows, dim] = checkScan(query, matrix);
      const want = checkTopK(k, rows, outIds, outScores);
      const [pq, pm, pt] = scanInto(query, matrix, rows, dim, align16(rows * 4) + 2 * align16(want * 4));
      const pi = pt + align16(rows * 4);
      const po = pi + align16(want * 4);
      let count = 0;
      try {
        count = ex.scanTopK(pq, pm, rows, dim, code, want, pt, pi, po);
      } catch (error) {
        rethrowTrap('scanTopK', error);
      }
      outIds.set(arena.u32.subarray(pi >>> 2, (pi >>> 2) + count));
      outScores.set(arena.f32.subarray(po >>> 2, (po >>> 2) + count));
      return count;
    },
  };
}
