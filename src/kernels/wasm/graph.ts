import { checkGraph, checkOut, checkWeights, explainCsr, throwCycle } from '../graph-check.js';
import type { CsrGraph, GraphKernels } from '../types.js';
import { Status } from './exports.js';
import { align16, type WasmArena } from './memory.js';
import { rethrowTrap } from './trap.js';

/**
 * Creates the WebAssembly graph kernels over `arena`. Each call copies the CSR (and weights) into
 * the arena's scratch region, runs the kernel and copies the result out: at 100K nodes the copies
 * are ~3% of a topological sort, so keeping graphs resident in WASM memory is not worth an API.
 *
 * Scratch layout per call, each region 16-byte aligned:
 * `offsets (n+1 u32) | targets (m u32) | [weights n f64] | out (n u32 or f64) | work`, where work
 * is n u32 (topoSort), 2n u32 (upwardRank, levels: order and in-degrees) or 3n u32 (findCycle).
 */
export function createWasmGraphKernels(arena: WasmArena): GraphKernels {
  const ex = arena.exports;
  // Addresses of the current call's regions (locals of the adapter, not a per-call array).
  let pOffsets = 0;
  let pTargets = 0;
  let pFirst = 0;

  /** Reserves scratch for the CSR plus `extra` bytes and copies the CSR in; sets the addresses. */
  function place(graph: CsrGraph, n: number, extra: number): void {
    const offsetBytes = align16((n + 1) * 4);
    const targetBytes = align16(graph.targets.length * 4);
    pOffsets = arena.scratch(offsetBytes + targetBytes + extra);
    pTargets = pOffsets + offsetBytes;
    pFirst = pTargets + targetBytes;
    arena.u32.set(graph.offsets, pOffsets >>> 2);
    arena.u32.set(graph.targets, pTargets >>> 2);
  }

  const kernels: GraphKernels = {
    topoSort(graph, outOrder) {
      const n = checkGraph(graph);
      checkOut('outOrder', outOrder, Uint32Array, n);
      let count = 0;
      try {
        place(graph, n, 2 * align16(n * 4));
        count = ex.topoSort(n, pOffsets, pTargets, pFirst, pFirst + align16(n * 4));
      } catch (error) {
        rethrowTrap('topoSort', error);
      }
      if (count === Status.E_INVALID) explainCsr(graph);
      outOrder.set(arena.u32.subarray(pFirst >>> 2, (pFirst >>> 2) + count));
      return count;
    },
    findCycle(graph, outCycle) {
      const n = checkGraph(graph);
      checkOut('outCycle', outCycle, Uint32Array, n);
      let length = 0;
      try {
        place(graph, n, align16(n * 4) + align16(3 * n * 4));
        length = ex.findCycle(n, pOffsets, pTargets, pFirst, pFirst + align16(n * 4));
      } catch (error) {
        rethrowTrap('findCycle', error);
      }
      if (length === Status.E_INVALID) explainCsr(graph);
      outCycle.set(arena.u32.subarray(pFirst >>> 2, (pFirst >>> 2) + length));
      return length;
    },
    upwardRank(graph, weights, outRank) {
      const n = checkGraph(graph);
      checkWeights(weights, n);
      checkOut('outRank', outRank, Float64Array, n);
      const bytes = align16(n * 8);
      let best = 0;
      try {
        place(graph, n, 2 * bytes + align16(2 * n * 4));
        arena.f64.set(weights, pFirst >>> 3);
        best = ex.upwardRank(n, pOffsets, pTargets, pFirst, pFirst + bytes, pFirst + 2 * bytes);
      } catch (error) {
        rethrowTrap('upwardRank', error);
      }
      // -Infinity and NaN are the kernel's "malformed" and "cycle" (never real results, see there).
      if (best === -Infinity) explainCsr(graph);
      if (best !== best) throwCycle(graph, kernels.findCycle);
      const out = (pFirst + bytes) >>> 3;
      outRank.set(arena.f64.subarray(out, out + n));
      return best;
    },
    levels(graph, outLevels) {
      const n = checkGraph(graph);
      checkOut('outLevels', outLevels, Uint32Array, n);
      let count = 0;
      try {
        place(graph, n, align16(n * 4) + align16(2 * n * 4));
        count = ex.levels(n, pOffsets, pTargets, pFirst, pFirst + align16(n * 4));
      } catch (error) {
        rethrowTrap('levels', error);
      }
      if (count === Status.E_INVALID) explainCsr(graph);
      if (count === Status.E_CYCLE) throwCycle(graph, kernels.findCycle);
      outLevels.set(arena.u32.subarray(pFirst >>> 2, (pFirst >>> 2) + n));
      return count;
    },
  };
  return kernels;
}
