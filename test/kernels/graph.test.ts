import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CycleDetectedError } from '../../src/errors.js';
import { buildCsr } from '../../src/graph/csr.js';
import { readTrace } from '../../src/graph/wfcommons.js';
import type { CsrGraph, GraphKernels, KernelSet } from '../../src/kernels/types.js';
import { bothBackends } from '../helpers/backends.js';

let wasm: KernelSet;
let ts: KernelSet;
beforeAll(async () => {
  [wasm, ts] = await bothBackends();
});

// A diamond with a tail: 0 → 1, 0 → 2, 1 → 3, 2 → 3, 3 → 4.
const diamond = () => buildCsr(5, [[0, 1], [0, 2], [1, 3], [2, 3], [3, 4]]);

/** 0 → 1 → … → n-1, plus n-1 → 0 when `closed` (one cycle through every node). */
function chain(n: number, closed = false): CsrGraph {
  const edges = new Uint32Array(2 * (closed ? n : n - 1));
  for (let i = 0; i + 1 < n; i++) edges.set([i, i + 1], 2 * i);
  if (closed) edges.set([n - 1, 0], 2 * (n - 1));
  return buildCsr(n, edges);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe.each(['wasm', 'ts'] as const)('graph kernels (%s)', (name) => {
  const g = (): GraphKernels => (name === 'wasm' ? wasm : ts).graph;

  it('orders a DAG topologically: FIFO, sources seeded in index order', () => {
    const out = new Uint32Array(5);
    expect(g().topoSort(diamond(), out)).toBe(5);
    expect([...out]).toEqual([0, 1, 2, 3, 4]);
    const parts = buildCsr(6, [[3, 0], [2, 1], [5, 4], [3, 1]]);
    const o = new Uint32Array(6);
    expect(g().topoSort(parts, o)).toBe(6);
    expect([...o]).toEqual([2, 3, 5, 0, 1, 4]);
  });

  it('orders only the nodes outside cycles and leaves the rest of the buffer alone', () => {
    const cyclic = buildCsr(5, [[0, 1], [1, 2], [2, 3], [3, 1], [3, 4]]);
    const out = new Uint32Array(7).fill(99);
    expect(g().topoSort(cyclic, out)).toBe(1);
    expect([...out]).toEqual([0, 99, 99, 99, 99, 99, 99]);
    expect(g().topoSort(buildCsr(3, [[0, 1], [2, 2]]), out)).toBe(2);
    expect([...out.subarray(0, 3)]).toEqual([0, 1, 99]);
  });

  it('finds a cycle in edge order, a self-loop as a cycle of one, nothing in a DAG', () => {
    const cyc = new Uint32Array(5);
    expect(g().findCycle(buildCsr(5, [[0, 1], [1, 2], [2, 3], [3, 1], [3, 4]]), cyc)).toBe(3);
    expect([...cyc.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(g().findCycle(buildCsr(3, [[0, 1], [2, 2]]), cyc)).toBe(1);
    expect(cyc[0]).toBe(2);
    expect(g().findCycle(diamond(), cyc)).toBe(0);
    // DFS from root 0 follows 0 → 2 first (CSR order), so it finds 2 ⇄ 3 before 1 ⇄ 4.
    expect(g().findCycle(buildCsr(5, [[0, 2], [0, 1], [1, 4], [4, 1], [2, 3], [3, 2]]), cyc)).toBe(2);
    expect([...cyc.subarray(0, 2)]).toEqual([2, 3]);
  });

  it('computes upward ranks and the critical-path length', () => {
    const rank = new Float64Array(5);
    expect(g().upwardRank(diamond(), new Float64Array([1, 5, 2, 1, 3]), rank)).toBe(10);
    expect([...rank]).toEqual([10, 9, 6, 4, 3]);
    // Disconnected parts, duplicate edges, negative weights: the maximum over all nodes.
    const r = new Float64Array(4);
    expect(g().upwardRank(buildCsr(4, [[0, 1], [0, 1], [2, 3]]), new Float64Array([-1, 2, 0.5, 0.25]), r)).toBe(2);
    expect([...r]).toEqual([1, 2, 0.75, 0.25]);
    // Ranks may overflow to ±Infinity; that is a result, not an error.
    const big = new Float64Array([Number.MAX_VALUE, Number.MAX_VALUE]);
    expect(g().upwardRank(buildCsr(2, [[0, 1]]), big, r)).toBe(Infinity);
    const neg = new Float64Array([-Number.MAX_VALUE, -Number.MAX_VALUE, -Number.MAX_VALUE]);
    expect(g().upwardRank(buildCsr(3, [[0, 1], [1, 2]]), neg, r)).toBe(-Number.MAX_VALUE);
    expect([...r.subarray(0, 3)]).toEqual([-Infinity, -Infinity, -Number.MAX_VALUE]);
  });

  it('computes levels', () => {
    const levels = new Uint32Array(6);
    expect(g().levels(diamond(), levels)).toBe(4);
    expect([...levels.subarray(0, 5)]).toEqual([0, 1, 1, 2, 3]);
    expect(g().levels(buildCsr(6, [[0, 5], [1, 2], [2, 5], [3, 4]]), levels)).toBe(3);
    expect([...levels]).toEqual([0, 0, 1, 0, 1, 2]);
    expect(g().levels(buildCsr(3, []), levels)).toBe(1);
  });

  it('handles the empty graph', () => {
    const empty = buildCsr(0, []);
    expect(g().topoSort(empty, new Uint32Array(0))).toBe(0);
    expect(g().findCycle(empty, new Uint32Array(0))).toBe(0);
    expect(g().upwardRank(empty, new Float64Array(0), new Float64Array(0))).toBe(0);
    expect(g().levels(empty, new Uint32Array(0))).toBe(0);
  });

  it('walks a 200,000-node chain without recursion', () => {
    const n = 200_000;
    const c = chain(n);
    const order = new Uint32Array(n);
    expect(g().topoSort(c, order)).toBe(n);
    expect(order[n - 1]).toBe(n - 1);
    expect(g().findCycle(c, new Uint32Array(n))).toBe(0);
    expect(g().levels(c, new Uint32Array(n))).toBe(n);
    expect(g().upwardRank(c, new Float64Array(n).fill(1), new Float64Array(n))).toBe(n);
  });

  it('finds the cycle through all nodes of a 1,000,000-node ring', () => {
    const n = 1_000_000;
    const out = new Uint32Array(n);
    expect(g().findCycle(chain(n, true), out)).toBe(n);
    expect(out[0]).toBe(0);
    expect(out[n - 1]).toBe(n - 1);
  });

  it('throws CYCLE_DETECTED naming one cycle from upwardRank and levels', () => {
    const cyclic = buildCsr(4, [[3, 0], [0, 1], [1, 2], [2, 0]]);
    const e = thrown(() => g().upwardRank(cyclic, new Float64Array(4), new Float64Array(4)));
    expect(e).toBeInstanceOf(CycleDetectedError);
    expect(e).toMatchObject({ code: 'CYCLE_DETECTED', cycle: [0, 1, 2], message: 'the graph has a cycle: 0 -> 1 -> 2 -> 0' });
    expect(thrown(() => g().levels(cyclic, new Uint32Array(4)))).toMatchObject({ cycle: [0, 1, 2] });
    expect(thrown(() => g().levels(buildCsr(2, [[0, 1], [1, 1]]), new Uint32Array(2)))).toMatchObject({ cycle: [1] });
  });

  it('rejects malformed graphs, naming the entry, and keeps working afterwards', () => {
    const graph = (nodeCount: number, offsets: number[], targets: number[]): CsrGraph => ({
      nodeCount,
      offsets: new Uint32Array(offsets),
      targets: new Uint32Array(targets),
    });
    const out = new Uint32Array(3);
    expect(() => g().topoSort(graph(2, [0, 1, 2], [1, 7]), out)).toThrow(
      new RangeError('Expected `graph.targets[1]` to be a node index < 2, got `7` (number)'),
    );
    expect(() => g().upwardRank(graph(2, [0, 1, 2], [1, 2]), new Float64Array(2), new Float64Array(2))).toThrow(
      'Expected `graph.targets[1]` to be a node index < 2, got `2` (number)',
    );
    expect(() => g().levels(graph(2, [0, 1, 2], [1]), out)).toThrow(
      'Expected `graph.offsets[2]` to be the edge count 1, got `2` (number)',
    );
    expect(() => g().findCycle(graph(3, [0, 2, 1, 2], [1, 2]), out)).toThrow(
      'Expected `graph.offsets[2]` to be >= graph.offsets[1] (2), got `1` (number)',
    );
    expect(() => g().levels(graph(3, [0, 2, 1, 2], [1, 2]), out)).toThrow('Expected `graph.offsets[2]` to be >= graph.offsets[1] (2)');
    expect(() => g().topoSort(graph(1, [1, 1], [0]), out)).toThrow('Expected `graph.offsets[0]` to be 0, got `1` (number)');
    expect(() => g().topoSort(graph(2, [0, 0], []), out)).toThrow(
      'Expected `graph.offsets` to be a Uint32Array of length nodeCount + 1 = 3, got `Uint32Array(2)` (object)',
    );
    expect(() => g().topoSort({ ...diamond(), nodeCount: 2.5 }, out)).toThrow(RangeError);
    expect(() => g().topoSort({ ...diamond(), targets: [1, 2] as never }, out)).toThrow(
      new TypeError('Expected `graph.targets` to be a Uint32Array, got `[1,2]` (array)'),
    );
    expect(() => g().levels(null as never, out)).toThrow(TypeError);
    expect(g().topoSort(diamond(), new Uint32Array(5))).toBe(5);
  });

  it('rejects bad buffers and weights', () => {
    const d = diamond();
    const w = new Float64Array([1, 2, 3, 4, 5]);
    const small = expect.objectContaining({ code: 'BUFFER_TOO_SMALL', message: 'outOrder is too small: needs 5, has 4' });
    expect(() => g().topoSort(d, new Uint32Array(4))).toThrow(small);
    expect(() => g().findCycle(d, new Uint32Array(1))).toThrow('outCycle is too small: needs 5, has 1');
    expect(() => g().levels(d, new Uint32Array(0))).toThrow('outLevels is too small: needs 5, has 0');
    expect(() => g().upwardRank(d, w, new Float64Array(2))).toThrow('outRank is too small: needs 5, has 2');
    expect(() => g().upwardRank(d, w, new Uint32Array(5) as never)).toThrow(
      new TypeError('Expected `outRank` to be a Float64Array, got `Uint32Array(5)` (object)'),
    );
    expect(() => g().topoSort(d, [] as never)).toThrow('Expected `outOrder` to be a Uint32Array, got `[]` (array)');
    expect(() => g().upwardRank(d, new Float64Array([1, 2, NaN, 4, 5]), new Float64Array(5))).toThrow(
      new RangeError('Expected `weights[2]` to be a finite number, got `NaN` (number)'),
    );
    expect(() => g().upwardRank(d, new Float64Array([1, 2, 3, 4, -Infinity]), new Float64Array(5))).toThrow('`weights[4]`');
    expect(() => g().upwardRank(d, new Float64Array(6), new Float64Array(6))).toThrow(
      new RangeError('Expected `weights` to be a Float64Array of length nodeCount = 5, got `Float64Array(6)` (object)'),
    );
    expect(() => g().upwardRank(d, [1, 2, 3, 4, 5] as never, new Float64Array(5))).toThrow(TypeError);
  });
});

// Random graphs. A DAG: random edges oriented along a random permutation, so any node may be a
// source, and duplicate edges occur. Any graph: random edges, self-loops included.
const weightArb = fc.oneof(
  fc.double({ min: -10, max: 1000, noNaN: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const dagArb = fc.integer({ min: 0, max: 120 }).chain((n) =>
  fc.record({
    perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    edges: fc.array(fc.tuple(fc.nat(Math.max(n - 1, 0)), fc.nat(Math.max(n - 1, 0))), { maxLength: n < 2 ? 0 : 4 * n }),
    weights: fc.array(weightArb, { minLength: n, maxLength: n }),
  }).map(({ perm, edges, weights }) => {
    const forward = edges.filter(([a, b]) => a !== b).map(([a, b]) => [perm[Math.min(a, b)], perm[Math.max(a, b)]] as [number, number]);
    return { graph: buildCsr(n, forward), weights: new Float64Array(weights) };
  }),
);
const anyGraphArb = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }).map((edges) => buildCsr(n, edges)),
);

function outcome(fn: () => number): { value: number } | { cycle: readonly (string | number)[] } {
  try {
    return { value: fn() };
  } catch (error) {
    if (error instanceof CycleDetectedError) return { cycle: error.cycle };
    throw error;
  }
}

describe('graph kernels: WASM and TS agree', () => {
  it('on random DAGs: identical order, ranks and levels, each satisfying its definition', () => {
    fc.assert(
      fc.property(dagArb, ({ graph, weights }) => {
        const n = graph.nodeCount;
        const [o1, o2] = [new Uint32Array(n), new Uint32Array(n)];
        expect(wasm.graph.topoSort(graph, o1)).toBe(n);
        expect(ts.graph.topoSort(graph, o2)).toBe(n);
        expect(o1).toEqual(o2);
        const [r1, r2] = [new Float64Array(n), new Float64Array(n)];
        const cp = wasm.graph.upwardRank(graph, weights, r1);
        expect(ts.graph.upwardRank(graph, weights, r2)).toBe(cp);
        expect(r1).toEqual(r2);
        const [l1, l2] = [new Uint32Array(n), new Uint32Array(n)];
        const depth = wasm.graph.levels(graph, l1);
        expect(ts.graph.levels(graph, l2)).toBe(depth);
        expect(l1).toEqual(l2);
        expect(wasm.graph.findCycle(graph, new Uint32Array(n))).toBe(0);
        expect(ts.graph.findCycle(graph, new Uint32Array(n))).toBe(0);

        const pos = new Uint32Array(n);
        o1.forEach((v, i) => (pos[v] = i));
        const level = new Uint32Array(n);
        for (const v of o1) {
          // A flag, not a -Infinity sentinel: extreme weights can sum to -Infinity.
          let best = 0;
          let hasSuccessor = false;
          for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
            const t = graph.targets[e];
            expect(pos[v]).toBeLessThan(pos[t]);
            level[t] = Math.max(level[t], level[v] + 1);
            best = hasSuccessor ? Math.max(best, r1[t]) : r1[t];
            hasSuccessor = true;
          }
          expect(r1[v]).toBe(weights[v] + best);
        }
        expect(l1).toEqual(level);
        expect(depth).toBe(n === 0 ? 0 : Math.max(...level) + 1);
        expect(cp).toBe(n === 0 ? 0 : Math.max(...r1));
      }),
      { numRuns: 200 },
    );
  });

  it('on random graphs with cycles: the same partial order, the same real cycle, the same errors', () => {
    fc.assert(
      fc.property(anyGraphArb, (graph) => {
        const n = graph.nodeCount;
        const [o1, o2] = [new Uint32Array(n), new Uint32Array(n)];
        const count = wasm.graph.topoSort(graph, o1);
        expect(ts.graph.topoSort(graph, o2)).toBe(count);
        expect(o1).toEqual(o2);
        const [c1, c2] = [new Uint32Array(n), new Uint32Array(n)];
        const len = wasm.graph.findCycle(graph, c1);
        expect(ts.graph.findCycle(graph, c2)).toBe(len);
        expect(c1).toEqual(c2);
        expect(len === 0).toBe(count === n);
        const cycle = [...c1.subarray(0, len)];
        expect(new Set(cycle).size).toBe(len);
        cycle.forEach((from, i) => {
          const succ = graph.targets.subarray(graph.offsets[from], graph.offsets[from + 1]);
          expect(succ).toContain(cycle[(i + 1) % len]);
        });
        const w = new Float64Array(n).fill(1);
        const rankOf = (k: KernelSet) => outcome(() => k.graph.upwardRank(graph, w, new Float64Array(n)));
        const levelsOf = (k: KernelSet) => outcome(() => k.graph.levels(graph, new Uint32Array(n)));
        expect(rankOf(wasm)).toEqual(rankOf(ts));
        expect(levelsOf(wasm)).toEqual(levelsOf(ts));
        if (len > 0) expect(levelsOf(ts)).toEqual({ cycle });
      }),
      { numRuns: 300 },
    );
  });

  it('on every bundled real trace (examples/traces/): acyclic, identical results', async () => {
    const dir = new URL('../../examples/traces/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { graph, runtimeSeconds, makespanSeconds, ids } = await readTrace(new URL(file, dir));
      const n = ids.length;
      const [o1, o2] = [new Uint32Array(n), new Uint32Array(n)];
      expect(wasm.graph.topoSort(graph, o1), file).toBe(n);
      expect(ts.graph.topoSort(graph, o2)).toBe(n);
      expect(o1).toEqual(o2);
      expect(wasm.graph.findCycle(graph, new Uint32Array(n))).toBe(0);
      const [r1, r2] = [new Float64Array(n), new Float64Array(n)];
      const cp = wasm.graph.upwardRank(graph, runtimeSeconds, r1);
      expect(ts.graph.upwardRank(graph, runtimeSeconds, r2)).toBe(cp);
      expect(r1).toEqual(r2);
      expect(cp).toBeGreaterThan(0);
      // The critical path is a lower bound on any real run's makespan.
      expect(cp, file).toBeLessThanOrEqual(makespanSeconds!);
      const [l1, l2] = [new Uint32Array(n), new Uint32Array(n)];
      expect(wasm.graph.levels(graph, l1)).toBe(ts.graph.levels(graph, l2));
      expect(l1).toEqual(l2);
    }
  });
});
