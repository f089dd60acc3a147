/**
 * Building {@link CsrGraph}s from edge lists and from task dependencies, and walking them.
 *
 * @packageDocumentation
 */
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { CsrGraph } from '../kernels/types.js';

/**
 * Builds a CSR graph from `nodeCount` and an edge list: either flat `[from0, to0, from1, to1, ...]`
 * (a Uint32Array or number array) or `[from, to]` pairs. Successors keep the edge list's order.
 * Duplicate edges are kept (they change no kernel result).
 *
 * @throws RangeError naming the first edge whose endpoint is not a node index.
 */
export function buildCsr(nodeCount: number, edges: ArrayLike<number> | readonly (readonly [number, number])[]): CsrGraph {
  const n = checkInteger('nodeCount', nodeCount, 0, 0xfffffffe);
  const flat = isPairs(edges) ? edges.flat() : edges;
  if (flat.length % 2 !== 0) throw new RangeError(expectedMessage('edges', 'an even number of endpoints', flat.length));
  const m = flat.length / 2;
  const offsets = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const from = flat[2 * e];
    const to = flat[2 * e + 1];
    if (!isIndex(from, n)) throw new RangeError(expectedMessage(`edges[${e}] from`, `a node index < ${n}`, from));
    if (!isIndex(to, n)) throw new RangeError(expectedMessage(`edges[${e}] to`, `a node index < ${n}`, to));
    offsets[from + 1]++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, n);
  const targets = new Uint32Array(m);
  for (let e = 0; e < m; e++) targets[cursor[flat[2 * e]]++] = flat[2 * e + 1];
  return { nodeCount: n, offsets, targets };
}

function isPairs(edges: unknown): edges is readonly (readonly [number, number])[] {
  return Array.isArray(edges) && edges.length > 0 && Array.isArray(edges[0]);
}

function isIndex(x: unknown, n: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < n;
}

/** A graph over string ids: the CSR and the id of each node index. */
export interface IdGraph {
  /** Node `i` is `ids[i]`. */
  readonly ids: readonly string[];
  /** Index of each id. */
  readonly index: ReadonlyMap<string, number>;
  /** Edges run from a dependency to its dependent (parent → child). */
  readonly graph: CsrGraph;
}

/**
 * Builds the dependency graph of tasks: `dependsOn[i]` lists the ids task `ids[i]` waits for.
 * Repeated dependencies count once.
 *
 * @throws TypeError for a non-string or empty id; RangeError for a duplicate id, an unknown
 *   dependency, or a task that depends on itself (each naming the ids).
 */
export function csrFromDependencies(ids: readonly string[], dependsOn: readonly (readonly string[] | undefined)[]): IdGraph {
  if (!Array.isArray(ids)) throw new TypeError(expectedMessage('ids', 'an array of strings', ids));
  if (!Array.isArray(dependsOn) || dependsOn.length !== ids.length) {
    throw new TypeError(expectedMessage('dependsOn', `an array of ${ids.length} dependency lists`, dependsOn));
  }
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id.length === 0) throw new TypeError(expectedMessage(`ids[${i}]`, 'a non-empty string', id));
    if (index.has(id)) throw new RangeError(`Duplicate task id \`${id}\` (at ${index.get(id)} and ${i})`);
    index.set(id, i);
  });
  const edges: number[] = [];
  dependsOn.forEach((deps, child) => {
    if (deps === undefined) return;
    const seen = new Set<string>();
    for (const dep of deps) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const parent = index.get(dep);
      if (parent === undefined) throw new RangeError(`Task \`${ids[child]}\` depends on unknown task \`${dep}\``);
      if (parent === child) throw new RangeError(`Task \`${ids[child]}\` depends on itself`);
      edges.push(parent, child);
    }
  });
  return { ids, index, graph: buildCsr(ids.length, edges) };
}

/** The reverse graph (predecessors): edge u → v becomes v → u. */
export function reverseCsr(graph: CsrGraph): CsrGraph {
  const { nodeCount: n, offsets, targets } = graph;
  const rev = new Uint32Array(n + 1);
  for (let e = 0; e < targets.length; e++) rev[targets[e] + 1]++;
  for (let v = 0; v < n; v++) rev[v + 1] += rev[v];
  const cursor = rev.slice(0, n);
  const sources = new Uint32Array(targets.length);
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) sources[cursor[targets[e]]++] = v;
  }
  return { nodeCount: n, offsets: rev, targets: sources };
}

/**
 * The nodes of one critical path, given upward ranks (from `GraphKernels.upwardRank`): start at
 * the highest-ranked source, then repeatedly follow the successor with the highest rank
 * (ties to the smaller index).
 */
export function criticalPath(graph: CsrGraph, rank: Float64Array): number[] {
  const { nodeCount: n, offsets, targets } = graph;
  if (n === 0) return [];
  const hasParent = new Uint8Array(n);
  for (let e = 0; e < targets.length; e++) hasParent[targets[e]] = 1;
  let v = -1;
  for (let i = 0; i < n; i++) if (!hasParent[i] && (v < 0 || rank[i] > rank[v])) v = i;
  const path: number[] = [];
  while (v >= 0) {
    path.push(v);
    let next = -1;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const t = targets[e];
      if (next < 0 || rank[t] > rank[next] || (rank[t] === rank[next] && t < next)) next = t;
    }
    v = next;
  }
  return path;
}
