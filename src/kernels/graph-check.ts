// Graph argument checks shared by both backends. The O(1) shape checks run on every call; the
// per-edge checks (monotone offsets, targets < nodeCount) run inside the kernels' first pass, and
// only when a kernel reports malformed input does `explainCsr` walk the arrays to name the entry.
import { BufferTooSmallError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { CsrGraph } from './types.js';

/** Checks a graph's shape; returns `[nodeCount, edgeCount]`. */
export function checkGraph(graph: CsrGraph): [number, number] {
  if (typeof graph !== 'object' || graph === null) {
    throw new TypeError(expectedMessage('graph', 'a CsrGraph { nodeCount, offsets, targets }', graph));
  }
  const n = checkInteger('graph.nodeCount', graph.nodeCount, 0, 0xfffffffe);
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
  return [n, targets.length];
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
  throw new RangeError('graph is malformed');
}

/** Checks an output (or weights) array's type and length. */
export function checkArray<T extends Uint32Array | Float64Array>(
  name: string,
  value: T,
  ctor: typeof Uint32Array | typeof Float64Array,
  needed: number,
): T {
  if (!(value instanceof ctor)) throw new TypeError(expectedMessage(name, `a ${ctor.name}`, value));
  if (value.length < needed) throw new BufferTooSmallError(name, needed, value.length);
  return value;
}

/** Checks weights: a Float64Array of at least n finite values. */
export function checkWeights(weights: Float64Array, n: number): void {
  checkArray('weights', weights, Float64Array, n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(weights[i])) throw new RangeError(expectedMessage(`weights[${i}]`, 'a finite number', weights[i]));
  }
}
