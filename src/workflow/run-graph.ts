// A run's view of its task graph: the compiled definition, shared with every other run until
// this one adds a task, plus the tasks and edges added while it runs. Knows the structure only;
// the tasks' states live in TaskState.

import { NO_RETRY, type ResolvedRetryPolicy } from '../scheduler/retry.js';
import type { CompiledWorkflow } from './compiled.js';
import type { TaskInput, TaskSpec } from './types.js';

/** @internal The input of a task without dependencies (shared, frozen). */
// Inputs are null-prototype objects: V8 keeps them in dictionary mode from the start, which is
// ~25x faster to build than a literal when every task has different dependency ids (measured
// 50 vs 1290 ns for three keys), and no dependency id can collide with an Object.prototype member.
export const EMPTY_INPUT: TaskInput = Object.freeze(Object.create(null) as TaskInput);

/** The spec of an empty slot. */
const ARCHIVED: TaskSpec = Object.freeze({ id: '', run: () => undefined });

/** @internal The tasks of one run and the edges between them. */
export class RunGraph {
  // Shared with the compiled workflow until a task is added (see own()): a run of a big static
  // graph copies nothing per task.
  specs: TaskSpec[];
  ids: string[];
  /** Tasks in the run (defined, then added). */
  n: number;
  private owned = false;
  /** Indices of tasks added while running. */
  private readonly added = new Map<string, number>();
  private readonly extraSucc = new Map<number, number[]>();
  private readonly extraPreds = new Map<number, number[]>();
  private readonly extraRetry = new Map<number, ResolvedRetryPolicy>();
  /** Per-attempt limits of the tasks that have one (few do; a map keeps the common case free). */
  readonly timeouts: Map<number, number>;
  /** Slots of archived tasks (run-archive.ts), taken again by the next added tasks. */
  private readonly free = new Set<number>();
  /** Tasks archived so far. */
  archived = 0;

  constructor(readonly wf: CompiledWorkflow) {
    this.n = wf.specs.length;
    this.specs = wf.specs as TaskSpec[];
    this.ids = wf.ids as string[];
    this.timeouts = new Map(wf.timeouts);
  }

  /** Whether task `i` was defined before the run (its edges are in the compiled CSR). */
  isDefined(i: number): boolean {
    return i < this.wf.specs.length;
  }

  /** Index of task `id`, or undefined. */
  indexOf(id: string): number | undefined {
    return this.wf.index.get(id) ?? this.added.get(id);
  }

  /** Task `i`'s retry policy. */
  retryPolicy(i: number): ResolvedRetryPolicy {
    return this.wf.retry.get(i) ?? this.extraRetry.get(i) ?? NO_RETRY;
  }

  /** Dependents added while running (the compiled ones are walked from the CSR). */
  addedDependents(i: number): readonly number[] | undefined {
    return this.extraSucc.size > 0 ? this.extraSucc.get(i) : undefined;
  }

  /** Calls `fn` with every dependent of task `i`. */
  forEachSucc(i: number, fn: (d: number) => void): void {
    if (this.isDefined(i)) {
      const { offsets, targets } = this.wf.graph;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) fn(targets[e]);
    }
    const extra = this.extraSucc.get(i);
    if (extra) for (const d of extra) fn(d);
  }

  /** Empty slots now. */
  get freeSlots(): number {
    return this.free.size;
  }

  /** Whether slot `i` is empty (its task was archived and nothing took the slot since). */
  isFree(i: number): boolean {
    return this.free.size > 0 && this.free.has(i);
  }

  /** Task `i`'s dependencies (still in memory): defined ones first, then those added while running. */
  predecessors(i: number): number[] {
    const deps = this.specs[i].dependsOn ?? [];
    let out = deps.map((id) => this.indexOf(id)!);
    if (this.archived > 0) out = out.filter((d) => d !== undefined);
    const extra = this.extraPreds.get(i);
    return extra ? out.concat(extra) : out;
  }

  /** Dependencies added to task `i` while running (`addDependency`), if any. */
  extraPredecessors(i: number): readonly number[] | undefined {
    return this.extraPreds.size > 0 ? this.extraPreds.get(i) : undefined;
  }

  /** Whether task `i` already waits for `d`. */
  hasDependency(i: number, d: number): boolean {
    return (this.specs[i].dependsOn ?? []).includes(this.ids[d]) || (this.extraPreds.get(i)?.includes(d) ?? false);
  }

  /** The outputs of task `i`'s dependencies, by id. */
  inputOf(i: number, outputs: readonly unknown[]): TaskInput {
    const extra = this.extraPreds.size > 0 ? this.extraPreds.get(i) : undefined;
    const ids = this.ids;
    let input: Record<string, unknown>;
    if (this.isDefined(i)) {
      const { offsets, targets } = this.wf.preds;
      const start = offsets[i];
      const end = offsets[i + 1];
      if (start === end && extra === undefined) return EMPTY_INPUT;
      input = Object.create(null) as Record<string, unknown>;
      for (let e = start; e < end; e++) {
        const p = targets[e];
        input[ids[p]] = outputs[p];
      }
    } else {
      const deps = this.specs[i].dependsOn;
      if ((deps === undefined || deps.length === 0) && extra === undefined) return EMPTY_INPUT;
      input = Object.create(null) as Record<string, unknown>;
      if (deps) for (let k = 0; k < deps.length; k++) input[deps[k]] = outputs[this.indexOf(deps[k])!];
    }
    if (extra) for (const p of extra) input[ids[p]] = outputs[p];
    return input;
  }

  /** The path from `from` to `to` along dependency → dependent edges, or undefined. */
  path(from: number, to: number): number[] | undefined {
    const parent = new Map<number, number>([[from, -1]]);
    const stack = [from];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v === to) {
        const path: number[] = [];
        for (let x = v; x !== -1; x = parent.get(x)!) path.push(x);
        return path.reverse();
      }
      this.forEachSucc(v, (d) => {
        if (!parent.has(d)) {
          parent.set(d, v);
          stack.push(d);
        }
      });
    }
    return undefined;
  }

  /** Appends a task (its dependencies already resolved to known ids) and returns its index. */
  add(spec: TaskSpec, retry: ResolvedRetryPolicy | undefined): number {
    this.own();
    let i: number;
    if (this.free.size > 0) {
      i = this.free.values().next().value!;
      this.free.delete(i);
      this.specs[i] = spec;
      this.ids[i] = spec.id;
    } else {
      i = this.n++;
      this.specs.push(spec);
      this.ids.push(spec.id);
    }
    if (spec.timeoutMs !== undefined) this.timeouts.set(i, spec.timeoutMs);
    this.added.set(spec.id, i);
    if (retry !== undefined) this.extraRetry.set(i, retry);
    return i;
  }

  /**
   * Forgets the added task `i` (archived: finished, with every dependent finished): its id, spec
   * and edges go, and its slot is taken by the next added task. Edges to it from its dependencies
   * stay: those have finished and never release it again.
   */
  release(i: number): void {
    this.added.delete(this.ids[i]);
    this.specs[i] = ARCHIVED;
    this.ids[i] = '';
    this.extraSucc.delete(i);
    this.extraPreds.delete(i);
    this.extraRetry.delete(i);
    this.timeouts.delete(i);
    this.free.add(i);
    this.archived++;
  }

  /** Records that `d` releases `i` when it succeeds (an edge added while running). */
  addDependent(d: number, i: number): void {
    const list = this.extraSucc.get(d);
    if (list) list.push(i);
    else this.extraSucc.set(d, [i]);
  }

  /** Records `d` as an extra dependency of the defined-or-added task `i` (for its input and predecessors). */
  addDependency(i: number, d: number): void {
    const preds = this.extraPreds.get(i);
    if (preds) preds.push(d);
    else this.extraPreds.set(i, [d]);
  }

  /** Makes the per-task arrays this run's own before it adds tasks. */
  private own(): void {
    if (this.owned) return;
    this.owned = true;
    // Up to n: the definition may have grown since this run started.
    this.specs = this.specs.slice(0, this.n);
    this.ids = this.ids.slice(0, this.n);
  }
}
