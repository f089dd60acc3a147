// The pure-TS twin of assembly/graph: the same algorithms, loop for loop, so results are
// identical (same queue order, same DFS order, same f64 operations).
import { CycleDetectedError } from '../../errors.js';
import { checkArray, checkGraph, checkWeights, explainCsr } from '../graph-check.js';
import type { CsrGraph, GraphKernels } from '../types.js';

function csrValid(n: number, offsets: Uint32Array, targets: Uint32Array): boolean {
  for (let v = 1; v <= n; v++) if (offsets[v] < offsets[v - 1]) return false;
  for (let e = 0; e < targets.length; e++) if (targets[e] >= n) return false;
  return true;
}

function kahn(n: number, offsets: Uint32Array, targets: Uint32Array, order: Uint32Array, indeg: Uint32Array): number {
  indeg.fill(0, 0, n);
  const m = offsets[n];
  for (let e = 0; e < m; e++) indeg[targets[e]]++;
  let tail = 0;
  for (let v = 0; v < n; v++) if (indeg[v] === 0) order[tail++] = v;
  let head = 0;
  while (head < tail) {
    const v = order[head++];
    const end = offsets[v + 1];
    for (let e = offsets[v]; e < end; e++) {
      const t = targets[e];
      if (--indeg[t] === 0) order[tail++] = t;
    }
  }
  return tail;
}

const BLACK = 0xffffffff;

function dfsCycle(n: number, offsets: Uint32Array, targets: Uint32Array, out: Uint32Array): number {
  const state = new Uint32Array(n);
  const stack = new Uint32Array(n);
  const cursor = new Uint32Array(n);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    let sp = 0;
    stack[sp++] = root;
    state[root] = sp;
    cursor[root] = offsets[root];
    while (sp > 0) {
      const v = stack[sp - 1];
      const c = cursor[v];
      if (c < offsets[v + 1]) {
        cursor[v] = c + 1;
        const t = targets[c];
        const st = state[t];
        if (st === 0) {
          stack[sp++] = t;
          state[t] = sp;
          cursor[t] = offsets[t];
        } else if (st !== BLACK) {
          const from = st - 1;
          for (let i = from; i < sp; i++) out[i - from] = stack[i];
          return sp - from;
        }
      } else {
        state[v] = BLACK;
        sp--;
      }
    }
  }
  return 0;
}

/** Throws CYCLE_DETECTED with the nodes of one cycle of `graph`. */
export function throwCycle(graph: CsrGraph, find: (g: CsrGraph, out: Uint32Array) => number): never {
  const out = new Uint32Array(graph.nodeCount);
  const len = find(graph, out);
  throw new CycleDetectedError([...out.subarray(0, len)]);
}

/** Creates the pure-TS graph kernels. */
export function createTsGraphKernels(): GraphKernels {
  let scratch = new Uint32Array(0);
  const scratchOf = (n: number) => (scratch.length >= n ? scratch : (scratch = new Uint32Array(n)));

  const kernels: GraphKernels = {
    topoSort(graph, outOrder) {
      const [n] = checkGraph(graph);
      checkArray('outOrder', outOrder, Uint32Array, n);
      if (!csrValid(n, graph.offsets, graph.targets)) explainCsr(graph);
      return kahn(n, graph.offsets, graph.targets, outOrder, scratchOf(n));
    },
    findCycle(graph, outCycle) {
      const [n] = checkGraph(graph);
      checkArray('outCycle', outCycle, Uint32Array, n);
      if (!csrValid(n, graph.offsets, graph.targets)) explainCsr(graph);
      return dfsCycle(n, graph.offsets, graph.targets, outCycle);
    },
    upwardRank(graph, weights, outRank) {
      const [n] = checkGraph(graph);
      checkWeights(weights, n);
      checkArray('outRank', outRank, Float64Array, n);
      const { offsets, targets } = graph;
      if (!csrValid(n, offsets, targets)) explainCsr(graph);
      const all = scratchOf(2 * n);
      const order = all.subarray(0, n);
      if (kahn(n, offsets, targets, order, all.subarray(n, 2 * n)) < n) throwCycle(graph, kernels.findCycle);
      let best = 0;
      for (let i = n - 1; i >= 0; i--) {
        const v = order[i];
        const end = offsets[v + 1];
        let tail = 0;
        let any = false;
        for (let e = offsets[v]; e < end; e++) {
          const r = outRank[targets[e]];
          if (!any || r > tail) tail = r;
          any = true;
        }
        const rank = weights[v] + tail;
        outRank[v] = rank;
        if (i === n - 1 || rank > best) best = rank;
      }
      return best;
    },
    levels(graph, outLevels) {
      const [n] = checkGraph(graph);
      checkArray('outLevels', outLevels, Uint32Array, n);
      const { offsets, targets } = graph;
      if (!csrValid(n, offsets, targets)) explainCsr(graph);
      const all = scratchOf(2 * n);
      const order = all.subarray(0, n);
      if (kahn(n, offsets, targets, order, all.subarray(n, 2 * n)) < n) throwCycle(graph, kernels.findCycle);
      outLevels.fill(0, 0, n);
      let top = 0;
      for (let i = 0; i < n; i++) {
        const v = order[i];
        const next = outLevels[v] + 1;
        if (next > top) top = next;
        const end = offsets[v + 1];
        for (let e = offsets[v]; e < end; e++) {
          const t = targets[e];
          if (outLevels[t] < next) outLevels[t] = next;
        }
      }
      return top;
    },
  };
  return kernels;
}
