import { E_INVALID } from '../abi';
import { checkCsr, setU32, u32At } from './csr';

/**
 * Kahn's algorithm with a FIFO queue seeded with the sources in index order. The output array is
 * the queue itself. Scratch: n u32 (in-degrees). Returns the number of nodes ordered (< n iff
 * the graph has a cycle), or E_INVALID for malformed CSR.
 */
export function topoSort(n: i32, offsets: usize, targets: usize, outOrder: usize, scratch: usize): i32 {
  if (checkCsr(n, offsets, targets) != 0) return E_INVALID;
  return topoSortChecked(n, offsets, targets, outOrder, scratch);
}

/** topoSort for CSR already checked by the caller. */
export function topoSortChecked(n: i32, offsets: usize, targets: usize, outOrder: usize, indeg: usize): i32 {
  const un = <u32>n;
  memory.fill(indeg, 0, (<usize>n) << 2);
  const m = u32At(offsets, un);
  for (let e: u32 = 0; e < m; e++) {
    const t = u32At(targets, e);
    setU32(indeg, t, u32At(indeg, t) + 1);
  }
  let tail: u32 = 0;
  for (let v: u32 = 0; v < un; v++) {
    if (u32At(indeg, v) == 0) setU32(outOrder, tail++, v);
  }
  let head: u32 = 0;
  while (head < tail) {
    const v = u32At(outOrder, head++);
    const end = u32At(offsets, v + 1);
    for (let e = u32At(offsets, v); e < end; e++) {
      const t = u32At(targets, e);
      const d = u32At(indeg, t) - 1;
      setU32(indeg, t, d);
      if (d == 0) setU32(outOrder, tail++, t);
    }
  }
  return <i32>tail;
}

const BLACK: u32 = 0xffffffff;

/**
 * Finds one cycle by iterative depth-first search (roots in index order, edges in CSR order), so
 * a million-node chain cannot overflow a call stack. Writes the cycle's nodes in edge order and
 * returns its length; 0 when acyclic; E_INVALID for malformed CSR.
 * Scratch: 3n u32 (state: 0 unvisited, stack position + 1 while on the stack, BLACK when done;
 * the stack; each node's next edge).
 */
export function findCycle(n: i32, offsets: usize, targets: usize, outCycle: usize, scratch: usize): i32 {
  if (checkCsr(n, offsets, targets) != 0) return E_INVALID;
  const un = <u32>n;
  const state = scratch;
  const stack = scratch + ((<usize>n) << 2);
  const cursor = stack + ((<usize>n) << 2);
  memory.fill(state, 0, (<usize>n) << 2);
  for (let root: u32 = 0; root < un; root++) {
    if (u32At(state, root) != 0) continue;
    let sp: u32 = 0;
    setU32(stack, sp++, root);
    setU32(state, root, sp);
    setU32(cursor, root, u32At(offsets, root));
    while (sp > 0) {
      const v = u32At(stack, sp - 1);
      const c = u32At(cursor, v);
      if (c < u32At(offsets, v + 1)) {
        setU32(cursor, v, c + 1);
        const t = u32At(targets, c);
        const st = u32At(state, t);
        if (st == 0) {
          setU32(stack, sp++, t);
          setU32(state, t, sp);
          setU32(cursor, t, u32At(offsets, t));
        } else if (st != BLACK) {
          // t is on the stack at position st - 1: the cycle is the stack from there to the top.
          const from = st - 1;
          for (let i = from; i < sp; i++) setU32(outCycle, i - from, u32At(stack, i));
          return <i32>(sp - from);
        }
      } else {
        setU32(state, v, BLACK);
        sp--;
      }
    }
  }
  return 0;
}
