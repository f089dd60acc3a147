import { checkCsr, u32At } from './csr';
import { topoSortChecked } from './topo-sort';

/**
 * Upward rank: rank[v] = weight[v] + max(rank[successor]) (0 when v is a sink's), computed in
 * reverse topological order. Returns the largest rank (the critical-path length), NaN when the
 * graph has a cycle, or -Infinity for malformed CSR. Scratch: 2n u32 (order, in-degrees).
 */
export function upwardRank(n: i32, offsets: usize, targets: usize, weights: usize, outRank: usize, scratch: usize): f64 {
  if (checkCsr(n, offsets, targets) != 0) return -Infinity;
  const order = scratch;
  const indeg = scratch + ((<usize>n) << 2);
  if (topoSortChecked(n, offsets, targets, order, indeg) < n) return NaN;
  let best: f64 = 0;
  for (let i = n - 1; i >= 0; i--) {
    const v = u32At(order, <u32>i);
    const end = u32At(offsets, v + 1);
    let tail: f64 = 0;
    let any = false;
    for (let e = u32At(offsets, v); e < end; e++) {
      const r = load<f64>(outRank + ((<usize>u32At(targets, e)) << 3));
      if (!any || r > tail) tail = r;
      any = true;
    }
    const rank = load<f64>(weights + ((<usize>v) << 3)) + tail;
    store<f64>(outRank + ((<usize>v) << 3), rank);
    if (i == n - 1 || rank > best) best = rank;
  }
  return best;
}
