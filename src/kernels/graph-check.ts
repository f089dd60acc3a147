// Graph argument checks shared by both backends, so they throw the same errors for the same input.
// The O(1) shape checks run on every call; the per-entry checks (monotone offsets, targets <
// nodeCount) run inside the kernels' first pass, and only when a kernel reports malformed input
// does `explainCsr` walk the arrays to name the entry.
import { BufferTooSmallError, CycleDetectedError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { CsrGraph } from './types.js';

/** The TS kernels' status for malformed CSR: the WASM ABI's `Status.E_INVALID` (assembly/abi.ts). */
export const E_INVALID = -4;

/** Checks a graph's shape; returns its node count. */
export function checkGraph(graph: CsrGraph): number {
  if (typeof graph !== 'object' || graph === null) {
    throw new TypeError(expectedMessage('graph', 'a CsrGraph { nodeCount, offsets, targets }', graph));
  }
  // 2^31 - 1: the WASM ABI passes the node count as an i32.
  const n = checkInteger('graph.nodeCount', graph.nodeCount, 0, 0x7fffffff);
  const { offsets, targets } = graph;
  if (!(offsets instanceof Uint32Array)) throw new TypeError(expectedMessage('graph.offsets', 'a Uint32Array', offsets));
  if (!(targets instanceof Uint32Array)) throw new TypeError(expectedMessage('graph.targets', 'a Uint32Array', targets));
  if (offsets.length !== n + 1) {
    throw new RangeError(expectedMessage('graph.offsets', `a Uint32Array of length nodeCount + 1 = ${n + 1}`, offsets));
  }
  if (offsets[0] !== 0) throw new RangeError(expectedMessage('graph.offsets[0]', '0', offsets[0]));
  if (offsets[n] !== targets.length) {
    throw new RangeError(expectedMessage(`graph.offsets[${n}]`, `the edge count ${targets.length}`, offsets[n]));
  }
  return n;
}

/** Throws the RangeError that names the first malformed entry of a graph a kernel refused. */
export function explainCsr(graph: CsrGraph): never {
  const { nodeCount: n, offsets, targets } = graph;
  for (let v = 1; v <= n; v++) {
    if (offsets[v] < offsets[v - 1]) {
      throw new RangeError(expectedMessage(`graph.offsets[${v}]`, `>= graph.offsets[${v - 1}] (${offsets[v - 1]})`, offsets[v]));
    }
  }
  for (let e = 0; e < targets.length; e++) {
    if (targets[e] >= n) throw new RangeError(expectedMessage(`graph.targets[${e}]`, `a node index < ${n}`, targets[e]));
  }
  // Unreachable unless the arrays changed during the call.
  throw new RangeError('graph is malformed');
}

/** Checks an output array's type and that it holds at least `needed` elements. */
export function checkOut<T extends Uint32Array | Float64Array>(
  name: string,
  value: T,
  ctor: typeof Uint32Array | typeof Float64Array,
  needed: number,
): T {
  if (!(value instanceof ctor)) throw new TypeError(expectedMessage(name, `a ${ctor.name}`, value));
  if (value.length < needed) throw new BufferTooSmallError(name, needed, value.length);
  return value;
}

/** Checks weights: a Float64Array of exactly `n` finite values (one per node). */
export function checkWeights(weights: Float64Array, n: number): void {
  if (!(weights instanceof Float64Array)) throw new TypeError(expectedMessage('weights', 'a Float64Array', weights));
  if (weights.length !== n) {
    throw new RangeError(expectedMessage('weights', `a Float64Array of length nodeCount = ${n}`, weights));
  }
  for (let i = 0; i < n; i++) {
    // `x - x` is 0 for finite x and NaN for ±Infinity and NaN: one subtraction, no call.
    const x = weights[i];
    if (x - x !== 0) throw new RangeError(expectedMessage(`weights[${i}]`, 'a finite number', x));
  }
}

/**
 * Throws `CYCLE_DETECTED` listing one cycle of `graph`, found by the backend's own `findCycle`
 * (so both backends name the same cycle).
 */
export function throwCycle(graph: CsrGraph, findCycle: (graph: CsrGraph, out: Uint32Array) => number): never {
  const out = new Uint32Array(graph.nodeCount);
  const length = findCycle(graph, out);
  throw new CycleDetectedError(Array.from(out.subarray(0, length)));
}
