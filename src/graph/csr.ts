/**
 * Building {@link CsrGraph}s from edge lists and from task dependencies, and walking them.
 *
 * @packageDocumentation
 */
import { checkGraph, explainCsr } from '../kernels/graph-check.js';
import type { CsrGraph } from '../kernels/types.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';

/** The most nodes a graph may have: the WASM kernels take the node count as an i32. */
export const MAX_NODES = 0x7fffffff;

/**
 * An edge list: flat `[from0, to0, from1, to1, ...]` (a typed array or a number array), or
 * `[from, to]` pairs.
 */
export type EdgeList = ArrayLike<number> | readonly (readonly [number, number])[];

/**
 * Builds a CSR graph from `nodeCount` and an edge list. Successors keep the edge list's order
 * (which fixes the kernels' tie-breaking). Duplicate edges are kept: they change no kernel result.
 *
 * @param nodeCount - the number of nodes, `0 .. MAX_NODES`
 * @param edges - flat `[from, to, ...]` endpoints or `[from, to]` pairs
 * @throws `TypeError` when `edges` is not an edge list; `RangeError` naming the first endpoint
 *   that is not a node index, or an odd number of flat endpoints.
 */
export function buildCsr(nodeCount: number, edges: EdgeList): CsrGraph {
  const n = checkInteger('nodeCount', nodeCount, 0, MAX_NODES);
  const flat = flatten(edges, n);
  const m = flat.length >>> 1;
  const offsets = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) offsets[flat[2 * e] + 1]++;
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const cursor = offsets.slice(0, n);
  const targets = new Uint32Array(m);
  for (let e = 0; e < m; e++) targets[cursor[flat[2 * e]]++] = flat[2 * e + 1];
  return { nodeCount: n, offsets, targets };
}

/** Checks every endpoint and returns the edges as flat `[from, to, ...]`. */
function flatten(edges: EdgeList, n: number): ArrayLike<number> {
  if (typeof edges !== 'object' || edges === null || typeof edges.length !== 'number') {
    throw new TypeError(expectedMessage('edges', 'an array of [from, to] pairs or of flat endpoints', edges));
  }
  if (Array.isArray(edges) && edges.length > 0 && Array.isArray(edges[0])) {
    const pairs = edges as readonly (readonly [number, number])[];
    const flat = new Uint32Array(2 * pairs.length);
    for (let e = 0; e < pairs.length; e++) {
      const pair = pairs[e];
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(expectedMessage(`edges[${e}]`, 'a [from, to] pair', pair));
      flat[2 * e] = checkEndpoint(`edges[${e}] from`, pair[0], n);
      flat[2 * e + 1] = checkEndpoint(`edges[${e}] to`, pair[1], n);
    }
    return flat;
  }
  const flat = edges as ArrayLike<number>;
  if (flat.length % 2 !== 0) throw new RangeError(expectedMessage('edges', 'an even number of endpoints', flat.length));
  for (let i = 0; i < flat.length; i++) checkEndpoint(`edges[${i >>> 1}] ${i & 1 ? 'to' : 'from'}`, flat[i], n);
  return flat;
}

function checkEndpoint(name: string, x: unknown, n: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= n) {
    throw new RangeError(expectedMessage(name, `a node index < ${n}`, x));
  }
  return x;
}

/** A graph over string ids: the CSR and the id of each node index. */
export interface IdGraph {
  /** Node `i` is `ids[i]`. */
  readonly ids: readonly string[];
  /** Index of each id. */
  readonly index: ReadonlyMap<string, number>;
  /** Edges run from a dependency to its dependent (parent → child), in `dependsOn` order. */
  readonly graph: CsrGraph;
}

/**
 * Builds the dependency graph of tasks: `dependsOn[i]` lists the ids task `ids[i]` waits for
 * (`undefined` or `[]` for none). Repeated dependencies count once. Cycles are not checked here:
 * the graph kernels report them (`CYCLE_DETECTED`).
 *
 * @throws `TypeError` for a non-string or empty id, a `dependsOn` of the wrong length or a
 *   dependency list that is not an array of strings; `RangeError` for a duplicate id, an unknown
 *   dependency or a task that depends on itself (each naming the ids).
 */
export function csrFromDependencies(ids: readonly string[], dependsOn: readonly (readonly string[] | undefined)[]): IdGraph {
  if (!Array.isArray(ids)) throw new TypeError(expectedMessage('ids', 'an array of strings', ids));
  if (!Array.isArray(dependsOn) || dependsOn.length !== ids.length) {
    throw new TypeError(expectedMessage('dependsOn', `an array of ${ids.length} dependency lists`, dependsOn));
  }
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id.length === 0) throw new TypeError(expectedMessage(`ids[${i}]`, 'a non-empty string', id));
    const first = index.get(id);
    if (first !== undefined) throw new RangeError(`Duplicate task id \`${id}\` (at ${first} and ${i})`);
    index.set(id, i);
  });
  const edges: number[] = [];
  const seen = new Set<number>();
  dependsOn.forEach((deps, child) => {
    if (deps === undefined) return;
    if (!Array.isArray(deps)) throw new TypeError(expectedMessage(`dependsOn[${child}]`, 'an array of task ids', deps));
    seen.clear();
    deps.forEach((dep, k) => {
      if (typeof dep !== 'string') throw new TypeError(expectedMessage(`dependsOn[${child}][${k}]`, 'a task id string', dep));
      const parent = index.get(dep);
      if (parent === undefined) throw new RangeError(`Task \`${ids[child]}\` depends on unknown task \`${dep}\``);
      if (parent === child) throw new RangeError(`Task \`${ids[child]}\` depends on itself`);
      if (seen.has(parent)) return;
      seen.add(parent);
      edges.push(parent, child);
    });
  });
  return { ids, index, graph: buildCsr(ids.length, edges) };
}

/**
 * The reverse graph (predecessors): each edge u → v becomes v → u. Node `v`'s predecessors are
 * listed in increasing index order.
 *
 * @throws `TypeError`/`RangeError` for a malformed graph, as the graph kernels do.
 */
export function reverseCsr(graph: CsrGraph): CsrGraph {
  const n = checkGraph(graph);
  const { offsets, targets } = graph;
  const rev = new Uint32Array(n + 1);
  for (let e = 0; e < targets.length; e++) {
    if (targets[e] >= n) explainCsr(graph);
    rev[targets[e] + 1]++;
  }
  for (let v = 0; v < n; v++) {
    if (offsets[v + 1] < offsets[v]) explainCsr(graph);
    rev[v + 1] += rev[v];
  }
  const cursor = rev.slice(0, n);
  const sources = new Uint32Array(targets.length);
  for (let v = 0; v < n; v++) {
    for (let e = offsets[v]; e < offsets[v + 1]; e++) sources[cursor[targets[e]]++] = v;
  }
  return { nodeCount: n, offsets: rev, targets: sources };
}

/**
 * The nodes of one critical path, given the upward ranks that `GraphKernels.upwardRank` wrote:
 * start at the highest-ranked source, then repeatedly step to the highest-ranked successor (ties
 * to the smaller index) until a sink. With non-negative weights the path's weights sum to the
 * critical-path length `upwardRank` returned (with negative weights the largest rank may sit
 * below a source; the path still starts at a source).
 *
 * @param graph - an acyclic graph
 * @param rank - its upward ranks, one per node
 * @throws `TypeError`/`RangeError` for a malformed graph or a `rank` of the wrong type or length.
 */
export function criticalPath(graph: CsrGraph, rank: Float64Array): number[] {
  const n = checkGraph(graph);
  if (!(rank instanceof Float64Array)) throw new TypeError(expectedMessage('rank', 'a Float64Array', rank));
  if (rank.length < n) throw new RangeError(expectedMessage('rank', `a Float64Array of length >= nodeCount = ${n}`, rank));
  const { offsets, targets } = graph;
  const hasParent = new Uint8Array(n);
  for (let e = 0; e < targets.length; e++) {
    if (targets[e] >= n) explainCsr(graph);
    hasParent[targets[e]] = 1;
  }
  let v = -1;
  for (let i = 0; i < n; i++) if (!hasParent[i] && (v < 0 || rank[i] > rank[v])) v = i;
  const path: number[] = [];
  // Each step moves to a successor, so on an acyclic graph the walk ends within n steps; the
  // bound keeps a cyclic graph (whose ranks are meaningless) from looping forever.
  while (v >= 0 && path.length < n) {
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
