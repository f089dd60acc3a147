import { DimensionMismatchError } from '../../errors.js';
import { checkOut, checkPair, checkScan, checkTopK, metricCode } from '../check.js';
import type { F32Input, Metric, VectorKernels } from '../types.js';
import { WasmF32Buffer, copyBytes, placeF32 } from './buffer.js';
import { align16, type WasmArena } from './memory.js';
import { rethrowTrap } from './trap.js';

/** Creates the WebAssembly vector kernels over `arena`. */
export function createWasmVectorKernels(arena: WasmArena): VectorKernels {
  const ex = arena.exports;

  // The pairwise kernels cost tens of nanoseconds, so the adapter must too: resident buffers of
  // this arena go straight to the kernel, and scratch addresses are kept in locals, not arrays.
  let pa = 0;
  let pb = 0;
  function pair(op: string, a: F32Input, b: F32Input): number {
    // A brand check on `arena`: measured ~50 ns cheaper per call than two `instanceof`s.
    if ((a as WasmF32Buffer).arena === arena && (b as WasmF32Buffer).arena === arena) {
      if (a.length !== b.length) throw new DimensionMismatchError(`${op}: b`, a.length, b.length);
      pa = (a as WasmF32Buffer).ptr;
      pb = (b as WasmF32Buffer).ptr;
      return a.length;
    }
    const n = checkPair(op, a, b);
    const ca = copyBytes(arena, a, n);
    const base = arena.scratch(ca + copyBytes(arena, b, n));
    pa = placeF32(arena, a, base);
    pb = placeF32(arena, b, base + ca);
    return n;
  }

  function scanInto(query: F32Input, matrix: F32Input, rows: number, dim: number, extra: number): [number, number, number] {
    const cq = copyBytes(arena, query, dim);
    const cm = copyBytes(arena, matrix, rows * dim);
    const base = arena.scratch(cq + cm + extra);
    return [placeF32(arena, query, base), placeF32(arena, matrix, base + cq), base + cq + cm];
  }

  return {
    dot(a, b) {
      const n = pair('dot', a, b);
      return ex.dot(pa, pb, n);
    },
    cosine(a, b) {
      const n = pair('cosine', a, b);
      return ex.cosine(pa, pb, n);
    },
    l2sq(a, b) {
      const n = pair('l2sq', a, b);
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
