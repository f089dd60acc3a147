import { E_CYCLE, E_INVALID } from '../abi';
import { checkCsr, setU32, u32At } from './csr';
import { topoSortChecked } from './topo-sort';

/**
 * Level of each node: 0 for sources, else 1 + the largest level of its predecessors, pushed
 * forward along a topological order. Returns the number of levels, E_CYCLE or E_INVALID.
 * Scratch: 2n u32 (order, in-degrees).
 */
export function levels(n: i32, offsets: usize, targets: usize, outLevels: usize, scratch: usize): i32 {
  if (checkCsr(n, offsets, targets) != 0) return E_INVALID;
  const order = scratch;
  const indeg = scratch + ((<usize>n) << 2);
  if (topoSortChecked(n, offsets, targets, order, indeg) < n) return E_CYCLE;
  memory.fill(outLevels, 0, (<usize>n) << 2);
  let top: u32 = 0;
  for (let i = 0; i < n; i++) {
    const v = u32At(order, <u32>i);
    const next = u32At(outLevels, v) + 1;
    if (next > top) top = next;
    const end = u32At(offsets, v + 1);
    for (let e = u32At(offsets, v); e < end; e++) {
      const t = u32At(targets, e);
      if (u32At(outLevels, t) < next) setU32(outLevels, t, next);
    }
  }
  return <i32>top;
}
