// Graph shapes of the scheduler suite, as parent lists (task i depends on parents[i]), and their
// definition as weft workflows. Every engine and peer builds its own graph from the same lists.
import { reverseCsr } from '../../src/graph/csr.js';
import { workflow, type TaskFn, type Workflow } from '../../src/workflow/index.js';
import { randomDag } from '../graph.bench.js';

/** A DAG as task ids and each task's parents (indices into `ids`). */
export interface Shape {
  readonly ids: readonly string[];
  readonly parents: readonly (readonly number[])[];
}

/** The same seeded random DAG as the graph suite (`randomDag`), duplicate parents removed. */
export function randomShape(n: number, parents: number, seed: number): Shape {
  const preds = reverseCsr(randomDag(n, parents, seed));
  const ids = Array.from({ length: n }, (_, i) => `t${i}`);
  const lists: number[][] = new Array(n);
  for (let v = 0; v < n; v++) {
    const list: number[] = [];
    for (let e = preds.offsets[v]; e < preds.offsets[v + 1]; e++) {
      const p = preds.targets[e];
      if (!list.includes(p)) list.push(p);
    }
    lists[v] = list;
  }
  return { ids, parents: lists };
}

/** `steps` tasks in a line. */
export function chainShape(steps: number): Shape {
  return { ids: Array.from({ length: steps }, (_, i) => `s${i}`), parents: Array.from({ length: steps }, (_, i) => (i === 0 ? [] : [i - 1])) };
}

/** One source, `width` tasks depending on it, one join depending on all of them: width + 2 tasks. */
export function fanOutShape(width: number): Shape {
  const ids = ['source', ...Array.from({ length: width }, (_, i) => `w${i}`), 'join'];
  const parents: number[][] = [[], ...Array.from({ length: width }, () => [0]), Array.from({ length: width }, (_, i) => i + 1)];
  return { ids, parents };
}

/** A trace's graph (parent → child CSR) as a shape. */
export function traceShape(ids: readonly string[], graph: { offsets: Uint32Array; targets: Uint32Array }): Shape {
  const parents: number[][] = Array.from({ length: ids.length }, () => []);
  for (let v = 0; v < ids.length; v++) for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) parents[graph.targets[e]].push(v);
  return { ids, parents };
}

/** Each task's level: 0 for sources, else 1 + the deepest parent's (a topological layering). */
export function levels(shape: Shape): number[][] {
  const depth = new Array<number>(shape.ids.length).fill(-1);
  const visit = (v: number): number => {
    if (depth[v] >= 0) return depth[v];
    let d = 0;
    for (const p of shape.parents[v]) d = Math.max(d, visit(p) + 1);
    return (depth[v] = d);
  };
  const out: number[][] = [];
  for (let v = 0; v < depth.length; v++) (out[visit(v)] ??= []).push(v);
  return out;
}

/** Options of {@link defineShape}. */
export interface DefineOptions {
  readonly concurrency?: number;
  /** Spread tasks round-robin over this many concurrency groups (caps: unlimited). @default 0 */
  readonly groups?: number;
  /** Compile (validate) the definition now. @default true */
  readonly validate?: boolean;
}

/** The shape as a weft workflow whose every task runs `fn`, validated (compiled) once unless told not to. */
export function defineShape(shape: Shape, fn: TaskFn, options: DefineOptions = {}): Workflow {
  const groupCount = options.groups ?? 0;
  const groupNames = Array.from({ length: groupCount }, (_, g) => `g${g}`);
  const wf = workflow({
    name: 'bench',
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    groups: Object.fromEntries(groupNames.map((g) => [g, Infinity])),
  });
  const { ids, parents } = shape;
  for (let i = 0; i < ids.length; i++) {
    const ps = parents[i];
    wf.task({
      id: ids[i],
      run: fn,
      ...(ps.length === 0 ? {} : { dependsOn: ps.map((p) => ids[p]) }),
      ...(groupCount === 0 ? {} : { group: groupNames[i % groupCount] }),
    });
  }
  if (options.validate !== false) wf.validate();
  return wf;
}
