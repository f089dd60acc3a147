import { scan } from './scan';

// Bounded heap over (score, id) pairs kept in the caller's output arrays: the root is the worst
// kept entry, so a candidate only costs a comparison unless it beats the root. `sign` is -1 for
// ascending selection; multiplying by -1 is exact, so ties stay ties.

@inline
function worse(sa: f32, ia: u32, sb: f32, ib: u32, sign: f32): bool {
  const ka = sa * sign;
  const kb = sb * sign;
  return ka < kb || (ka == kb && ia > ib);
}

@inline
function siftDown(ids: usize, sc: usize, size: i32, start: i32, sign: f32): void {
  let i = start;
  const s = load<f32>(sc + ((<usize>i) << 2));
  const id = load<u32>(ids + ((<usize>i) << 2));
  while (true) {
    let c = 2 * i + 1;
    if (c >= size) break;
    let cs = load<f32>(sc + ((<usize>c) << 2));
    let ci = load<u32>(ids + ((<usize>c) << 2));
    const r = c + 1;
    if (r < size) {
      const rs = load<f32>(sc + ((<usize>r) << 2));
      const ri = load<u32>(ids + ((<usize>r) << 2));
      if (worse(rs, ri, cs, ci, sign)) {
        c = r;
        cs = rs;
        ci = ri;
      }
    }
    if (!worse(cs, ci, s, id, sign)) break;
    store<f32>(sc + ((<usize>i) << 2), cs);
    store<u32>(ids + ((<usize>i) << 2), ci);
    i = c;
  }
  store<f32>(sc + ((<usize>i) << 2), s);
  store<u32>(ids + ((<usize>i) << 2), id);
}

@inline
function siftUp(ids: usize, sc: usize, start: i32, sign: f32): void {
  let i = start;
  const s = load<f32>(sc + ((<usize>i) << 2));
  const id = load<u32>(ids + ((<usize>i) << 2));
  while (i > 0) {
    const p = (i - 1) >> 1;
    const ps = load<f32>(sc + ((<usize>p) << 2));
    const pi = load<u32>(ids + ((<usize>p) << 2));
    if (!worse(s, id, ps, pi, sign)) break;
    store<f32>(sc + ((<usize>i) << 2), ps);
    store<u32>(ids + ((<usize>i) << 2), pi);
    i = p;
  }
  store<f32>(sc + ((<usize>i) << 2), s);
  store<u32>(ids + ((<usize>i) << 2), id);
}

/**
 * Writes the `k` best of `n` scores (largest, or smallest when `ascending`) best first into
 * `outIds`/`outScores`; ties go to the smaller id; NaN is skipped. Returns the count written.
 */
export function topK(scores: usize, n: i32, k: i32, ascending: i32, outIds: usize, outScores: usize): i32 {
  const sign: f32 = ascending ? -1 : 1;
  let size = 0;
  if (k <= 0) return 0;
  for (let i = 0; i < n; i++) {
    const s = load<f32>(scores + ((<usize>i) << 2));
    if (s != s) continue;
    if (size < k) {
      store<f32>(outScores + ((<usize>size) << 2), s);
      store<u32>(outIds + ((<usize>size) << 2), <u32>i);
      siftUp(outIds, outScores, size, sign);
      size++;
    } else if (worse(load<f32>(outScores), load<u32>(outIds), s, <u32>i, sign)) {
      store<f32>(outScores, s);
      store<u32>(outIds, <u32>i);
      siftDown(outIds, outScores, size, 0, sign);
    }
  }
  // Heap sort: move the worst to the end each time, leaving the array best first.
  for (let end = size - 1; end > 0; end--) {
    const es = load<f32>(outScores + ((<usize>end) << 2));
    const ei = load<u32>(outIds + ((<usize>end) << 2));
    store<f32>(outScores + ((<usize>end) << 2), load<f32>(outScores));
    store<u32>(outIds + ((<usize>end) << 2), load<u32>(outIds));
    store<f32>(outScores, es);
    store<u32>(outIds, ei);
    siftDown(outIds, outScores, end, 0, sign);
  }
  return size;
}

/** `scan` into the scratch region `tmp` (rows floats), then `topK`; l2 selects ascending. */
export function scanTopK(
  q: usize, m: usize, rows: i32, dim: i32, metric: i32, k: i32, tmp: usize, outIds: usize, outScores: usize,
): i32 {
  scan(q, m, rows, dim, metric, tmp);
  return topK(tmp, rows, k, metric == 2 ? 1 : 0, outIds, outScores);
}
