import { E_CYCLE, E_INVALID } from '../abi';
import { u32At } from './csr';
import { kahn } from './topo-sort';

/**
 * Level of each node: 0 for sources, else 1 + the largest level of its predecessors, pushed
 * forward along a topological order. Returns the number of levels (the largest level + 1; 0 for
 * n = 0), E_CYCLE or E_INVALID.
 * Regions: outLevels n u32; scratch 2n u32 (order, in-degrees).
 */
export function levels(n: i32, offsets: usize, targets: usize, outLevels: usize, scratch: usize): i32 {
  const order = scratch;
  const count = kahn(n, offsets, targets, order, scratch + ((<usize>n) << 2));
  if (count == E_INVALID) return E_INVALID;
  if (count < n) return E_CYCLE;
  memory.fill(outLevels, 0, (<usize>n) << 2);
  let top: u32 = 0;
  for (let i = 0; i < n; i++) {
    const v = u32At(order, <u32>i);
    const next = u32At(outLevels, v) + 1;
    top = max<u32>(top, next);
    const stop = targets + ((<usize>u32At(offsets, v + 1)) << 2);
    for (let p = targets + ((<usize>u32At(offsets, v)) << 2); p < stop; p += 4) {
      // Unconditional max-store: cheaper than a data-dependent branch on irregular graphs.
      const at = outLevels + ((<usize>load<u32>(p)) << 2);
      store<u32>(at, max<u32>(load<u32>(at), next));
    }
  }
  return <i32>top;
}
