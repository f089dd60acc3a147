import { E_INVALID } from '../abi';
import { u32At } from './csr';
import { kahn } from './topo-sort';

/**
 * Upward rank: rank[v] = weight[v] + max(rank[successor]) (+ 0 for a sink), the weighted longest
 * path from v to a sink, computed in reverse topological order. Returns the largest rank (the
 * critical-path length; 0 for n = 0).
 * When there is no result it returns NaN for a cycle and -Infinity for malformed CSR. Neither can
 * be a real result: weights are finite (the host checks), so every sink's rank is finite and the
 * largest rank is > -Infinity; and finite + ±Infinity (an overflowed rank) is never NaN.
 * Regions: weights and outRank n f64; scratch 2n u32 (order, in-degrees).
 */
export function upwardRank(n: i32, offsets: usize, targets: usize, weights: usize, outRank: usize, scratch: usize): f64 {
  const order = scratch;
  const count = kahn(n, offsets, targets, order, scratch + ((<usize>n) << 2));
  if (count == E_INVALID) return -Infinity;
  if (count < n) return NaN;
  // f64.max rather than compare-and-branch: the same value here (ranks are never NaN or -0, see
  // above), and no mispredicted branch per edge.
  let best = -Infinity;
  for (let i = n - 1; i >= 0; i--) {
    const v = u32At(order, <u32>i);
    let p = targets + ((<usize>u32At(offsets, v)) << 2);
    const stop = targets + ((<usize>u32At(offsets, v + 1)) << 2);
    let tail: f64 = 0;
    if (p < stop) {
      tail = load<f64>(outRank + ((<usize>load<u32>(p)) << 3));
      for (p += 4; p < stop; p += 4) tail = max<f64>(tail, load<f64>(outRank + ((<usize>load<u32>(p)) << 3)));
    }
    const rank = load<f64>(weights + ((<usize>v) << 3)) + tail;
    store<f64>(outRank + ((<usize>v) << 3), rank);
    best = max<f64>(best, rank);
  }
  return n == 0 ? 0 : best;
}
