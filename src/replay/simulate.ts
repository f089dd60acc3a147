/**
 * The zero-overhead reference schedule of a DAG on N identical lanes: what the scheduler's
 * priority policy would reach if starting, finishing and dispatching a task cost nothing.
 * `weft replay` compares the engine's measured makespan with it (`idealMs`), so the difference
 * is the engine's own overhead, not the policy's.
 *
 * @packageDocumentation
 */
import { reverseCsr } from '../graph/csr.js';
import { checkGraph } from '../kernels/graph-check.js';
import { getKernels } from '../kernels/index.js';
import type { CsrGraph } from '../kernels/types.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /**
   * Lanes (workers) that run tasks at the same time.
   * @defaultValue 4
   */
  readonly workers?: number;
  /**
   * Whether to return the per-lane schedule (`Simulation.schedule`).
   * @defaultValue false
   */
  readonly schedule?: boolean;
  /**
   * The priority of each node (higher starts first, ties to the lower index). By default the
   * upward rank weighted by the durations: the engine's default policy.
   * @defaultValue the upward rank
   */
  readonly priority?: Float64Array;
}

/** The defaults of {@link SimulateOptions}. */
export const DEFAULT_SIMULATE_OPTIONS = Object.freeze({ workers: 4, schedule: false });

/** One task's slot in a simulated schedule. */
export interface ScheduledTask {
  /** The node index. */
  readonly node: number;
  /** The lane, `0 .. workers - 1` (a freed lane with the lowest index is reused first). */
  readonly lane: number;
  /** Start time, ms from the start of the run. */
  readonly startMs: number;
  /** End time, ms. */
  readonly endMs: number;
}

/** The result of {@link simulate}. All times are in the durations' unit (ms). */
export interface Simulation {
  /** Makespan of the zero-overhead list schedule. */
  readonly idealMs: number;
  /** The longest weighted path (the largest upward rank). */
  readonly criticalPathMs: number;
  /** The sum of all durations. */
  readonly totalWorkMs: number;
  /** `max(criticalPathMs, totalWorkMs / workers)`: no schedule on `workers` lanes is shorter. */
  readonly lowerBoundMs: number;
  /** The lanes used. */
  readonly workers: number;
  /** Every task in start order, when `schedule: true` was asked for. */
  readonly schedule?: readonly ScheduledTask[];
}

/**
 * Event-driven list scheduling: at time 0 and whenever tasks finish, every ready task (all of
 * whose parents have finished) is started on a free lane, highest priority first, ties to the
 * lower node index (definition order). Tasks finishing at the same instant are all retired
 * before the next dispatch, so the policy sees every task that became ready then.
 *
 * @param graph - the DAG, edges parent → child
 * @param durationsMs - each node's duration, finite and >= 0
 * @param options - see {@link SimulateOptions}
 * @throws `TypeError`/`RangeError` for a malformed graph, durations of the wrong type or length,
 *   a negative or non-finite duration, or a bad option; `CycleDetectedError` (`CYCLE_DETECTED`)
 *   for a cyclic graph.
 */
export function simulate(graph: CsrGraph, durationsMs: Float64Array, options: SimulateOptions = {}): Simulation {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const workers = checkInteger('workers', options.workers ?? DEFAULT_SIMULATE_OPTIONS.workers, 1);
  const wantSchedule = options.schedule ?? DEFAULT_SIMULATE_OPTIONS.schedule;
  if (typeof wantSchedule !== 'boolean') throw new TypeError(expectedMessage('schedule', 'a boolean', wantSchedule));
  const { rank, criticalPathMs, totalWorkMs, lowerBoundMs } = simulateBounds(graph, durationsMs, workers);
  const n = graph.nodeCount;
  let priority: Float64Array = rank;
  if (options.priority !== undefined) {
    if (!(options.priority instanceof Float64Array) || options.priority.length !== n) {
      throw new TypeError(expectedMessage('priority', `a Float64Array of length ${n}`, options.priority));
    }
    priority = options.priority;
  }
  const { idealMs, schedule } = listSchedule(graph, durationsMs, priority, workers, wantSchedule);
  return { idealMs, criticalPathMs, totalWorkMs, lowerBoundMs, workers, ...(wantSchedule ? { schedule } : {}) };
}

/** The list schedule itself, on validated inputs. */
function listSchedule(
  graph: CsrGraph,
  duration: Float64Array,
  priority: Float64Array,
  workers: number,
  record: boolean,
): { idealMs: number; schedule: ScheduledTask[] } {
  const n = graph.nodeCount;
  const { offsets, targets } = graph;
  const waiting = new Uint32Array(n);
  for (let e = 0; e < targets.length; e++) waiting[targets[e]]++;

  const ready = new NodeHeap((a, b) => priority[a] > priority[b] || (priority[a] === priority[b] && a < b));
  for (let v = 0; v < n; v++) if (waiting[v] === 0) ready.push(v);
  const endOf = new Float64Array(n);
  // Running tasks ordered by end time; equal ends retire in index order (it does not matter
  // which: they are all retired before the next dispatch).
  const running = new NodeHeap((a, b) => endOf[a] < endOf[b] || (endOf[a] === endOf[b] && a < b));
  const laneOf = new Uint32Array(n);
  const freeLanes = new NodeHeap((a, b) => a < b);
  for (let l = 0; l < workers && l < Math.max(n, 1); l++) freeLanes.push(l);
  const schedule: ScheduledTask[] = [];

  let now = 0;
  let finished = 0;
  while (finished < n) {
    while (freeLanes.size > 0 && ready.size > 0) {
      const v = ready.pop();
      const lane = freeLanes.pop();
      laneOf[v] = lane;
      endOf[v] = now + duration[v];
      running.push(v);
      if (record) schedule.push({ node: v, lane, startMs: now, endMs: endOf[v] });
    }
    // A DAG always has a ready or running task here; running empty would mean a cycle, which
    // upwardRank has already refused.
    now = endOf[running.peek()];
    while (running.size > 0 && endOf[running.peek()] === now) {
      const v = running.pop();
      finished++;
      freeLanes.push(laneOf[v]);
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const c = targets[e];
        if (--waiting[c] === 0) ready.push(c);
      }
    }
  }
  return { idealMs: now, schedule };
}

/** A binary min-heap of node indices under a strict `before` order. */
class NodeHeap {
  private items: number[] = [];
  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): number {
    return this.items[0];
  }

  push(x: number): void {
    const a = this.items;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(x, a[p])) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= a.length) break;
        if (c + 1 < a.length && this.before(a[c + 1], a[c])) c++;
        if (!this.before(a[c], last)) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** The most nodes {@link ancestorLowerBound} accepts: it keeps one bit per pair of nodes. */
export const ANCESTOR_BOUND_MAX_NODES = 16384;

/**
 * A lower bound on the makespan of any schedule on `workers` lanes, at least as tight as
 * `max(criticalPath, totalWork / workers)` and often much tighter: a task cannot start before
 * all its ancestors have finished, which takes at least their total work / `workers` (and at
 * least the longest path to it), and the run cannot end before the task's upward rank has
 * elapsed after that. The bound is the largest such sum over all tasks.
 *
 * On soykb-chameleon-10fastq-10ch (4 lanes) the trivial bound is 2954 s while this one is
 * 4436 s: `merge_gcvf` (2562 s) waits for 50 `haplotype_caller` tasks (~7500 s of work), so
 * the critical-path list schedule's 4454 s is within 0.4% of optimal there.
 *
 * Costs n² / 8 bytes and O(m · n / 32) time (ancestor sets as bitsets).
 *
 * @throws `RangeError` beyond {@link ANCESTOR_BOUND_MAX_NODES} nodes, and as {@link simulate}
 *   for bad arguments or a cyclic graph.
 */
export function ancestorLowerBound(graph: CsrGraph, durationsMs: Float64Array, workers: number = DEFAULT_SIMULATE_OPTIONS.workers): number {
  const { rank, lowerBoundMs } = simulateBounds(graph, durationsMs, workers);
  const n = graph.nodeCount;
  const before = ancestorWork(graph, durationsMs);
  // Longest path ending at each node, from the reverse graph's upward ranks.
  const reversed = reverseCsr(graph);
  const reach = new Float64Array(n);
  getKernels().graph.upwardRank(reversed, durationsMs, reach);
  let bound = lowerBoundMs;
  for (let v = 0; v < n; v++) bound = Math.max(bound, Math.max(before[v] / workers, reach[v] - durationsMs[v]) + rank[v]);
  return bound;
}

/**
 * A lookahead priority for {@link SimulateOptions.priority}: `max(rank, duration + descendant
 * work / workers)`, i.e. the larger of two lower bounds on the time the run still needs once the
 * task starts. Plain upward rank ignores how much work hangs below a task when that work is wide
 * rather than long; this ranks such tasks higher.
 *
 * Measured on the ten WfCommons traces (idealMs against `ancestorLowerBound`): on 4 lanes it
 * equals upward rank on eight, is 0.3% better on montage-2mass-05d and 0.1% worse on
 * 1000genome; on 8 lanes 1.2% better on montage-2mass-05d and equal elsewhere. The engine keeps
 * upward rank; this stays a simulation-only policy.
 *
 * Costs as {@link ancestorLowerBound}.
 *
 * @throws as {@link ancestorLowerBound}.
 */
export function lookaheadPriority(graph: CsrGraph, durationsMs: Float64Array, workers: number = DEFAULT_SIMULATE_OPTIONS.workers): Float64Array {
  const { rank } = simulateBounds(graph, durationsMs, workers);
  const below = ancestorWork(reverseCsr(graph), durationsMs);
  const priority = new Float64Array(graph.nodeCount);
  for (let v = 0; v < priority.length; v++) priority[v] = Math.max(rank[v], durationsMs[v] + below[v] / workers);
  return priority;
}

/** The total duration of each node's strict ancestors (bitsets of ancestors, in topological order). */
function ancestorWork(graph: CsrGraph, durationsMs: Float64Array): Float64Array {
  const n = graph.nodeCount;
  if (n > ANCESTOR_BOUND_MAX_NODES) {
    throw new RangeError(expectedMessage('graph.nodeCount', `at most ${ANCESTOR_BOUND_MAX_NODES}`, n));
  }
  const { offsets, targets } = graph;
  const order = new Uint32Array(n);
  getKernels().graph.topoSort(graph, order);
  const words = (n + 31) >>> 5;
  const sets = new Uint32Array(n * words);
  const work = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = order[k];
    const row = v * words;
    let sum = 0;
    for (let w = 0; w < words; w++) {
      for (let x = sets[row + w]; x !== 0; x &= x - 1) sum += durationsMs[(w << 5) + 31 - Math.clz32(x & -x)];
    }
    work[v] = sum;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const crow = targets[e] * words;
      for (let w = 0; w < words; w++) sets[crow + w] |= sets[row + w];
      sets[crow + (v >>> 5)] |= 1 << (v & 31);
    }
  }
  return work;
}

/** Validated inputs, upward ranks and the trivial bound (shared by the bound functions). */
function simulateBounds(
  graph: CsrGraph,
  durationsMs: Float64Array,
  workers: number,
): { rank: Float64Array; criticalPathMs: number; totalWorkMs: number; lowerBoundMs: number } {
  checkInteger('workers', workers, 1);
  const n = checkGraph(graph);
  if (!(durationsMs instanceof Float64Array)) throw new TypeError(expectedMessage('durationsMs', 'a Float64Array', durationsMs));
  if (durationsMs.length !== n) throw new RangeError(expectedMessage('durationsMs', `a Float64Array of length ${n}`, durationsMs));
  let totalWorkMs = 0;
  for (let i = 0; i < n; i++) {
    const d = durationsMs[i];
    if (!Number.isFinite(d) || d < 0) throw new RangeError(expectedMessage(`durationsMs[${i}]`, 'a finite number >= 0', d));
    totalWorkMs += d;
  }
  const rank = new Float64Array(n);
  // Also the cycle check: the kernel throws CYCLE_DETECTED naming the cycle.
  const criticalPathMs = getKernels().graph.upwardRank(graph, durationsMs, rank);
  return { rank, criticalPathMs, totalWorkMs, lowerBoundMs: Math.max(criticalPathMs, totalWorkMs / workers) };
}
