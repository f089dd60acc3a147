import { Status } from './exports.js';
import { checkArray, checkGraph, checkWeights, explainCsr } from '../graph-check.js';
import { throwCycle } from '../ts/graph.js';
import type { CsrGraph, GraphKernels } from '../types.js';
import { align16, type WasmArena } from './memory.js';
import { rethrowTrap } from './trap.js';

/** Creates the WebAssembly graph kernels over `arena`. Each call copies the CSR in and results out. */
export function createWasmGraphKernels(arena: WasmArena): GraphKernels {
  const ex = arena.exports;

  // Lays out [offsets | targets | extra...] in scratch and copies the CSR in; returns addresses.
  function place(graph: CsrGraph, n: number, m: number, extra: readonly number[]): number[] {
    const sizes = [align16((n + 1) * 4), align16(m * 4), ...extra.map(align16)];
    let at = arena.scratch(sizes.reduce((a, b) => a + b, 0));
    const ptrs: number[] = [];
    for (const size of sizes) {
      ptrs.push(at);
      at += size;
    }
    arena.u32.set(graph.offsets, ptrs[0] >>> 2);
    arena.u32.set(graph.targets, ptrs[1] >>> 2);
    return ptrs;
  }

  function call<T>(name: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      return rethrowTrap(name, error);
    }
  }

  const kernels: GraphKernels = {
    topoSort(graph, outOrder) {
      const [n, m] = checkGraph(graph);
      checkArray('outOrder', outOrder, Uint32Array, n);
      const [po, pt, out, scratch] = place(graph, n, m, [n * 4, n * 4]);
      const count = call('topoSort', () => ex.topoSort(n, po, pt, out, scratch));
      if (count === Status.E_INVALID) explainCsr(graph);
      outOrder.set(arena.u32.subarray(out >>> 2, (out >>> 2) + count));
      return count;
    },
    findCycle(graph, outCycle) {
      const [n, m] = checkGraph(graph);
      checkArray('outCycle', outCycle, Uint32Array, n);
      const [po, pt, out, scratch] = place(graph, n, m, [n * 4, 3 * n * 4]);
      const len = call('findCycle', () => ex.findCycle(n, po, pt, out, scratch));
      if (len === Status.E_INVALID) explainCsr(graph);
      outCycle.set(arena.u32.subarray(out >>> 2, (out >>> 2) + len));
      return len;
    },
    upwardRank(graph, weights, outRank) {
      const [n, m] = checkGraph(graph);
      checkWeights(weights, n);
      checkArray('outRank', outRank, Float64Array, n);
      const [po, pt, pw, out, scratch] = place(graph, n, m, [n * 8, n * 8, 2 * n * 4]);
      arena.f64.set(weights.subarray(0, n), pw >>> 3);
      const best = call('upwardRank', () => ex.upwardRank(n, po, pt, pw, out, scratch));
      if (best === -Infinity) explainCsr(graph);
      if (Number.isNaN(best)) throwCycle(graph, kernels.findCycle);
      outRank.set(arena.f64.subarray(out >>> 3, (out >>> 3) + n));
      return best;
    },
    levels(graph, outLevels) {
      const [n, m] = checkGraph(graph);
      checkArray('outLevels', outLevels, Uint32Array, n);
      const [po, pt, out, scratch] = place(graph, n, m, [n * 4, 2 * n * 4]);
      const count = call('levels', () => ex.levels(n, po, pt, out, scratch));
      if (count === Status.E_INVALID) explainCsr(graph);
      if (count === Status.E_CYCLE) throwCycle(graph, kernels.findCycle);
      outLevels.set(arena.u32.subarray(out >>> 2, (out >>> 2) + n));
      return count;
    },
  };
  return kernels;
}
