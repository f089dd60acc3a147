// The pure-TS twin of assembly/vector: the fastest plain TS we know how to write (four
// accumulators so the adds pipeline, index arithmetic instead of subarray views, f64 sums).
import { checkOut, checkPair, checkScan, checkTopK, metricCode } from '../check.js';
import type { F32Input, Metric, VectorKernels } from '../types.js';
import { f32Of } from './buffer.js';

function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  for (; i < n; i++) s0 += a[ao + i] * b[bo + i];
  return s0 + s1 + s2 + s3;
}

function l2At(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const n4 = n & ~3;
  for (; i < n4; i += 4) {
    const d0 = a[ao + i] - b[bo + i];
    const d1 = a[ao + i + 1] - b[bo + i + 1];
    const d2 = a[ao + i + 2] - b[bo + i + 2];
    const d3 = a[ao + i + 3] - b[bo + i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; i++) {
    const d = a[ao + i] - b[bo + i];
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

function cosineAt(a: Float32Array, ao: number, aa: number, b: Float32Array, bo: number, n: number): number {
  let ab0 = 0;
  let ab1 = 0;
  let bb0 = 0;
  let bb1 = 0;
  let i = 0;
  const n2 = n & ~1;
  for (; i < n2; i += 2) {
    const y0 = b[bo + i];
    const y1 = b[bo + i + 1];
    ab0 += a[ao + i] * y0;
    ab1 += a[ao + i + 1] * y1;
    bb0 += y0 * y0;
    bb1 += y1 * y1;
  }
  if (i < n) {
    const y = b[bo + i];
    ab0 += a[ao + i] * y;
    bb0 += y * y;
  }
  const bb = bb0 + bb1;
  if (aa === 0 || bb === 0) return 0;
  return (ab0 + ab1) / Math.sqrt(aa * bb);
}

// (score, id) ordering for top-k: `sign` is -1 for ascending selection.
function worse(sa: number, ia: number, sb: number, ib: number, sign: number): boolean {
  const ka = sa * sign;
  const kb = sb * sign;
  return ka < kb || (ka === kb && ia > ib);
}

function siftDown(ids: Uint32Array, sc: Float32Array, size: number, start: number, sign: number): void {
  let i = start;
  const s = sc[i];
  const id = ids[i];
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    const r = c + 1;
    if (r < size && worse(sc[r], ids[r], sc[c], ids[c], sign)) c = r;
    if (!worse(sc[c], ids[c], s, id, sign)) break;
    sc[i] = sc[c];
    ids[i] = ids[c];
    i = c;
  }
  sc[i] = s;
  ids[i] = id;
}

function siftUp(ids: Uint32Array, sc: Float32Array, start: number, sign: number): void {
  let i = start;
  const s = sc[i];
  const id = ids[i];
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(s, id, sc[p], ids[p], sign)) break;
    sc[i] = sc[p];
    ids[i] = ids[p];
    i = p;
  }
  sc[i] = s;
  ids[i] = id;
}

function topKInto(scores: Float32Array, n: number, k: number, ascending: boolean, ids: Uint32Array, sc: Float32Array): number {
  const sign = ascending ? -1 : 1;
  let size = 0;
  if (k === 0) return 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s) continue;
    if (size < k) {
      sc[size] = s;
      ids[size] = i;
      siftUp(ids, sc, size, sign);
      size++;
    } else if (worse(sc[0], ids[0], s, i, sign)) {
      sc[0] = s;
      ids[0] = i;
      siftDown(ids, sc, size, 0, sign);
    }
  }
  for (let end = size - 1; end > 0; end--) {
    const es = sc[end];
    const ei = ids[end];
    sc[end] = sc[0];
    ids[end] = ids[0];
    sc[0] = es;
    ids[0] = ei;
    siftDown(ids, sc, end, 0, sign);
  }
  return size;
}

function scanInto(q: Float32Array, m: Float32Array, rows: number, dim: number, metric: number, out: Float32Array): void {
  if (metric === 0) {
    for (let r = 0, o = 0; r < rows; r++, o += dim) out[r] = dotAt(q, 0, m, o, dim);
  } else if (metric === 1) {
    const qq = dotAt(q, 0, q, 0, dim);
    for (let r = 0, o = 0; r < rows; r++, o += dim) out[r] = cosineAt(q, 0, qq, m, o, dim);
  } else {
    for (let r = 0, o = 0; r < rows; r++, o += dim) out[r] = l2At(q, 0, m, o, dim);
  }
}

/** Creates the pure-TS vector kernels. */
export function createTsVectorKernels(): VectorKernels {
  let tmp = new Float32Array(0);
  return {
    dot(a: F32Input, b: F32Input): number {
      const n = checkPair('dot', a, b);
      return dotAt(f32Of(a), 0, f32Of(b), 0, n);
    },
    cosine(a: F32Input, b: F32Input): number {
      const n = checkPair('cosine', a, b);
      const x = f32Of(a);
      return cosineAt(x, 0, dotAt(x, 0, x, 0, n), f32Of(b), 0, n);
    },
    l2sq(a: F32Input, b: F32Input): number {
      const n = checkPair('l2sq', a, b);
      return l2At(f32Of(a), 0, f32Of(b), 0, n);
    },
    normalize(v: F32Input): number {
      const x = f32Of(v);
      const norm = Math.sqrt(dotAt(x, 0, x, 0, x.length));
      if (norm === 0) return 0;
      const inv = 1 / norm;
      for (let i = 0; i < x.length; i++) x[i] *= inv;
      return norm;
    },
    scan(query: F32Input, matrix: F32Input, metric: Metric, out: Float32Array): void {
      const code = metricCode(metric);
      const [rows, dim] = checkScan(query, matrix);
      checkOut('out', out, rows);
      scanInto(f32Of(query), f32Of(matrix), rows, dim, code, out);
    },
    topK(scores: Float32Array, k: number, ascending: boolean, outIds: Uint32Array, outScores: Float32Array): number {
      checkTopK(k, scores.length, outIds, outScores);
      return topKInto(scores, scores.length, k, ascending, outIds, outScores);
    },
    scanTopK(query, matrix, metric, k, outIds, outScores): number {
      const code = metricCode(metric);
      const [rows, dim] = checkScan(query, matrix);
      checkTopK(k, rows, outIds, outScores);
      if (tmp.length < rows) tmp = new Float32Array(rows);
      scanInto(f32Of(query), f32Of(matrix), rows, dim, code, tmp);
      return topKInto(tmp, rows, k, code === 2, outIds, outScores);
    },
  };
}
