import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { buildCsr } from '../../src/graph/csr.js';
import { parseTrace } from '../../src/graph/wfcommons.js';
import type { CsrGraph } from '../../src/kernels/types.js';
import { getKernels } from '../../src/kernels/index.js';
import { ANCESTOR_BOUND_MAX_NODES, ancestorLowerBound, lookaheadPriority, simulate } from '../../src/replay/simulate.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

/**
 * An independent, naive list scheduler (quadratic, time-stepped over events) to check
 * `simulate` against: at each event time, start ready tasks by (rank desc, index asc).
 */
function naive(graph: CsrGraph, d: Float64Array, workers: number): number {
  const n = graph.nodeCount;
  const rank = new Float64Array(n);
  getKernels().graph.upwardRank(graph, d, rank);
  const parents: number[][] = Array.from({ length: n }, () => []);
  for (let v = 0; v < n; v++) for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) parents[graph.targets[e]].push(v);
  const end = new Array<number>(n).fill(Infinity);
  const started = new Array<boolean>(n).fill(false);
  let t = 0;
  let left = n;
  while (left > 0) {
    const busy = end.filter((x, v) => started[v] && x > t).length;
    const ready = [...Array(n).keys()]
      .filter((v) => !started[v] && parents[v].every((p) => end[p] <= t))
      .sort((a, b) => rank[b] - rank[a] || a - b);
    let instant = false;
    for (const v of ready.slice(0, workers - busy)) {
      started[v] = true;
      end[v] = t + d[v];
      left--;
      instant ||= d[v] === 0;
    }
    // A zero-length task frees its lane at once: dispatch again at the same time.
    if (instant) continue;
    const next = end.filter((x, v) => started[v] && x > t);
    if (left > 0 && next.length > 0) t = Math.min(...next);
  }
  return n === 0 ? 0 : Math.max(...end);
}

/** Random DAGs: edges only from lower to higher index, durations on a coarse grid (ties happen). */
const dagArb = fc
  .integer({ min: 0, max: 30 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.nat(Math.max(0, n - 1)), fc.nat(Math.max(0, n - 1))), { maxLength: 3 * n }),
      d: fc.array(fc.integer({ min: 0, max: 8 }).map((x) => x / 2), { minLength: n, maxLength: n }),
      workers: fc.integer({ min: 1, max: 6 }),
    }),
  )
  .map(({ n, edges, d, workers }) => {
    const flat = edges.filter(([a, b]) => a < b).flatMap(([a, b]) => [a, b]);
    return { graph: buildCsr(n, flat), d: f64(d), workers };
  });

describe('simulate', () => {
  it('a chain takes its critical path', () => {
    const g = buildCsr(3, [0, 1, 1, 2]);
    expect(simulate(g, f64([1, 2, 3]))).toEqual({ idealMs: 6, criticalPathMs: 6, totalWorkMs: 6, lowerBoundMs: 6, workers: 4 });
  });

  it('independent tasks: longest first on free lanes, ties by index, lowest free lane first', () => {
    const g = buildCsr(5, []);
    const sim = simulate(g, f64([1, 3, 1, 2, 1]), { workers: 2, schedule: true });
    expect(sim.idealMs).toBe(4);
    expect(sim.lowerBoundMs).toBe(4);
    expect(sim.schedule).toEqual([
      { node: 1, lane: 0, startMs: 0, endMs: 3 },
      { node: 3, lane: 1, startMs: 0, endMs: 2 },
      { node: 0, lane: 1, startMs: 2, endMs: 3 },
      { node: 2, lane: 0, startMs: 3, endMs: 4 },
      { node: 4, lane: 1, startMs: 3, endMs: 4 },
    ]);
  });

  it('prefers the task with the longer path to a sink, not the longer task', () => {
    // 0 (1) → 2 (5); 1 (3) alone. Rank: 0 = 6, 1 = 3. One lane: 0, then 2 (rank 5), then 1.
    const g = buildCsr(3, [0, 2]);
    const sim = simulate(g, f64([1, 3, 5]), { workers: 1, schedule: true });
    expect(sim.schedule!.map((s) => s.node)).toEqual([0, 2, 1]);
    expect(sim.idealMs).toBe(9);
  });

  it('retires every task ending at the same instant before dispatching', () => {
    // 0 and 1 both end at 1. Retiring 0 alone first would start its child 3 (rank 1) before
    // 1's child 2 (rank 4) is even ready; retiring both first starts 2 first.
    const g = buildCsr(5, [0, 3, 1, 2]);
    const sim = simulate(g, f64([1, 1, 4, 1, 1]), { workers: 2, schedule: true });
    expect(sim.schedule!.map((s) => [s.node, s.startMs])).toEqual([[1, 0], [0, 0], [2, 1], [3, 1], [4, 2]]);
    expect(sim.idealMs).toBe(5);
  });

  it('an empty graph takes 0', () => {
    expect(simulate(buildCsr(0, []), f64([]), { schedule: true })).toEqual({
      idealMs: 0, criticalPathMs: 0, totalWorkMs: 0, lowerBoundMs: 0, workers: 4, schedule: [],
    });
  });

  it('takes an explicit priority (higher first)', () => {
    const sim = simulate(buildCsr(3, []), f64([1, 2, 3]), { workers: 1, schedule: true, priority: f64([0, 2, 1]) });
    expect(sim.schedule!.map((s) => s.node)).toEqual([1, 2, 0]);
  });

  it('matches a naive list scheduler, respects dependencies and lanes, and stays within Graham\'s bound', () => {
    fc.assert(
      fc.property(dagArb, ({ graph, d, workers }) => {
        const sim = simulate(graph, d, { workers, schedule: true });
        expect(sim.idealMs).toBe(naive(graph, d, workers));
        expect(sim.idealMs).toBeGreaterThanOrEqual(sim.lowerBoundMs);
        expect(sim.idealMs).toBeLessThanOrEqual(sim.totalWorkMs / workers + sim.criticalPathMs * (1 - 1 / workers) + 1e-9);
        const at = new Map(sim.schedule!.map((s) => [s.node, s]));
        expect(at.size).toBe(graph.nodeCount);
        for (let v = 0; v < graph.nodeCount; v++) {
          for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
            expect(at.get(graph.targets[e])!.startMs).toBeGreaterThanOrEqual(at.get(v)!.endMs);
          }
        }
        const byLane = new Map<number, { startMs: number; endMs: number }[]>();
        for (const s of sim.schedule!) byLane.set(s.lane, [...(byLane.get(s.lane) ?? []), s]);
        for (const [lane, slots] of byLane) {
          expect(lane).toBeLessThan(workers);
          slots.sort((a, b) => a.startMs - b.startMs);
          for (let k = 1; k < slots.length; k++) expect(slots[k].startMs).toBeGreaterThanOrEqual(slots[k - 1].endMs);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on one lane takes the total work', () => {
    fc.assert(
      fc.property(dagArb, ({ graph, d }) => {
        const sim = simulate(graph, d, { workers: 1 });
        expect(sim.idealMs).toBeCloseTo(sim.totalWorkMs, 9);
      }),
    );
  });

  it('on a bundled real trace (montage, 103 tasks) agrees with the naive scheduler', () => {
    const file = fileURLToPath(new URL('../../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url));
    const trace = parseTrace(readFileSync(file, 'utf8'), file);
    const d = trace.runtimeSeconds.map((s) => s * 1000 * 0.001);
    for (const workers of [1, 2, 4, 8]) {
      const sim = simulate(trace.graph, d, { workers });
      expect(sim.idealMs).toBe(naive(trace.graph, d, workers));
      expect(sim.idealMs).toBeGreaterThanOrEqual(sim.lowerBoundMs);
    }
  });

  it('refuses a cyclic graph with CYCLE_DETECTED', () => {
    let error: unknown;
    try {
      simulate(buildCsr(2, [0, 1, 1, 0]), f64([1, 1]));
    } catch (e) {
      error = e;
    }
    expect(isWeftError(error, 'CYCLE_DETECTED')).toBe(true);
  });

  it('validates its arguments with the standard message', () => {
    const g = buildCsr(2, [0, 1]);
    expect(() => simulate(g, f64([1, 1]), { workers: 0 })).toThrow(new RangeError('Expected `workers` to be an integer >= 1, got `0` (number)'));
    expect(() => simulate(g, [1, 1] as unknown as Float64Array)).toThrow(new TypeError('Expected `durationsMs` to be a Float64Array, got `[1,1]` (array)'));
    expect(() => simulate(g, f64([1]))).toThrow(new RangeError('Expected `durationsMs` to be a Float64Array of length 2, got `Float64Array(1)` (object)'));
    expect(() => simulate(g, f64([1, -1]))).toThrow(new RangeError('Expected `durationsMs[1]` to be a finite number >= 0, got `-1` (number)'));
    expect(() => simulate(g, f64([1, Infinity]))).toThrow(RangeError);
    expect(() => simulate(g, f64([1, 1]), { schedule: 1 as unknown as boolean })).toThrow(new TypeError('Expected `schedule` to be a boolean, got `1` (number)'));
    expect(() => simulate(g, f64([1, 1]), { priority: f64([1]) })).toThrow(new TypeError('Expected `priority` to be a Float64Array of length 2, got `Float64Array(1)` (object)'));
    expect(() => simulate(g, f64([1, 1]), null as never)).toThrow(new TypeError('Expected `options` to be an object, got `null` (null)'));
  });
});

describe('ancestorLowerBound', () => {
  it('sees that a join waits for all its parents\' work (the soykb shape)', () => {
    // 8 tasks of 1 ms, then a join of 10 ms: the trivial bound is max(11, 18 / 4) = 11, but the
    // join cannot start before 8 ms of work is done on 4 lanes.
    const edges = Array.from({ length: 8 }, (_, i) => [i, 8]).flat();
    const g = buildCsr(9, edges);
    const d = f64([1, 1, 1, 1, 1, 1, 1, 1, 10]);
    expect(simulate(g, d).lowerBoundMs).toBe(11);
    expect(ancestorLowerBound(g, d, 4)).toBe(12);
    expect(simulate(g, d).idealMs).toBe(12);
  });

  it('lies between the trivial bound and every list schedule, whatever its priority', () => {
    fc.assert(
      fc.property(dagArb, fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 30, maxLength: 30 }), ({ graph, d, workers }, noise) => {
        const bound = ancestorLowerBound(graph, d, workers);
        const sim = simulate(graph, d, { workers });
        expect(bound).toBeGreaterThanOrEqual(sim.lowerBoundMs);
        expect(bound).toBeLessThanOrEqual(sim.idealMs + 1e-9);
        const random = Float64Array.from({ length: graph.nodeCount }, (_, i) => noise[i]);
        expect(bound).toBeLessThanOrEqual(simulate(graph, d, { workers, priority: random }).idealMs + 1e-9);
        expect(bound).toBeLessThanOrEqual(simulate(graph, d, { workers, priority: lookaheadPriority(graph, d, workers) }).idealMs + 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses graphs beyond ANCESTOR_BOUND_MAX_NODES (it needs n² bits)', () => {
    const n = ANCESTOR_BOUND_MAX_NODES + 1;
    expect(() => ancestorLowerBound(buildCsr(n, []), new Float64Array(n))).toThrow(
      new RangeError(`Expected \`graph.nodeCount\` to be at most ${ANCESTOR_BOUND_MAX_NODES}, got \`${n}\` (number)`),
    );
  });
});

describe('lookaheadPriority', () => {
  it('is the upward rank, raised where wide work hangs below a task', () => {
    // 0 (1 ms) fans out to 4 tasks of 2 ms; 5 is a lone 4 ms task. On 2 lanes: rank 0 = 3 < 5's
    // 4, but 0's lookahead is 1 + 8 / 2 = 5.
    const g = buildCsr(6, [0, 1, 0, 2, 0, 3, 0, 4]);
    const d = f64([1, 2, 2, 2, 2, 4]);
    expect([...lookaheadPriority(g, d, 2)]).toEqual([5, 2, 2, 2, 2, 4]);
    expect([...lookaheadPriority(g, d, 8)]).toEqual([3, 2, 2, 2, 2, 4]);
  });
});
