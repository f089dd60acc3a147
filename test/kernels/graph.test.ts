import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CycleDetectedError } from '../../src/errors.js';
import { buildCsr } from '../../src/graph/csr.js';
import { readTrace } from '../../src/graph/wfcommons.js';
import type { CsrGraph, KernelSet } from '../../src/kernels/types.js';
import { bothBackends } from '../helpers/backends.js';

let wasm: KernelSet;
let ts: KernelSet;
beforeAll(async () => {
  [wasm, ts] = await bothBackends();
});

// A diamond with a tail: 0 → 1, 0 → 2, 1 → 3, 2 → 3, 3 → 4.
const diamond = () => buildCsr(5, [[0, 1], [0, 2], [1, 3], [2, 3], [3, 4]]);
const chain = (n: number) => buildCsr(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));

function cycleError(fn: () => unknown): CycleDetectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CycleDetectedError) return error;
    throw error;
  }
  throw new Error('expected a cycle error');
}

describe.each(['wasm', 'ts'] as const)('graph kernels (%s)', (name) => {
  const g = () => (name === 'wasm' ? wasm : ts).graph;

  it('orders a DAG topologically (FIFO, sources in index order)', () => {
    const out = new Uint32Array(5);
    expect(g().topoSort(diamond(), out)).toBe(5);
    expect([...out]).toEqual([0, 1, 2, 3, 4]);
    const disconnected = buildCsr(4, [[3, 0], [2, 1]]);
    expect(g().topoSort(disconnected, new Uint32Array(4))).toBe(4);
    const o = new Uint32Array(4);
    g().topoSort(disconnected, o);
    expect([...o]).toEqual([2, 3, 1, 0]);
  });

  it('orders fewer than n nodes when there is a cycle, and finds the cycle in edge order', () => {
    const cyclic = buildCsr(5, [[0, 1], [1, 2], [2, 3], [3, 1], [3, 4]]);
    expect(g().topoSort(cyclic, new Uint32Array(5))).toBe(1);
    const cyc = new Uint32Array(5);
    expect(g().findCycle(cyclic, cyc)).toBe(3);
    expect([...cyc.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(g().findCycle(buildCsr(2, [[1, 1]]), cyc)).toBe(1);
    expect(cyc[0]).toBe(1);
    expect(g().findCycle(diamond(), cyc)).toBe(0);
  });

  it('computes upward ranks and the critical-path length', () => {
    const rank = new Float64Array(5);
    const cp = g().upwardRank(diamond(), new Float64Array([1, 5, 2, 1, 3]), rank);
    expect(cp).toBe(10);
    expect([...rank]).toEqual([10, 9, 6, 4, 3]);
  });

  it('computes levels', () => {
    const levels = new Uint32Array(5);
    expect(g().levels(diamond(), levels)).toBe(4);
    expect([...levels]).toEqual([0, 1, 1, 2, 3]);
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
    expect(g().findCycle(c, new Uint32Array(n))).toBe(0);
    expect(g().levels(c, new Uint32Array(n))).toBe(n);
    expect(g().upwardRank(c, new Float64Array(n).fill(1), new Float64Array(n))).toBe(n);
  });

  it('throws CYCLE_DETECTED with the cycle from upwardRank and levels', () => {
    const cyclic = buildCsr(4, [[0, 1], [1, 2], [2, 0], [2, 3]]);
    const e1 = cycleError(() => g().upwardRank(cyclic, new Float64Array(4), new Float64Array(4)));
    expect(e1.code).toBe('CYCLE_DETECTED');
    expect(e1.cycle).toEqual([0, 1, 2]);
    expect(e1.message).toBe('the graph has a cycle: 0 -> 1 -> 2 -> 0');
    expect(cycleError(() => g().levels(cyclic, new Uint32Array(4))).cycle).toEqual([0, 1, 2]);
  });

  it('rejects malformed graphs and buffers, naming the entry', () => {
    const bad: CsrGraph = { nodeCount: 2, offsets: new Uint32Array([0, 1, 2]), targets: new Uint32Array([1, 7]) };
    expect(() => g().topoSort(bad, new Uint32Array(2))).toThrow('Expected `graph.targets[1]` to be a node index < 2, got `7` (number)');
    const shortTargets: CsrGraph = { nodeCount: 2, offsets: new Uint32Array([0, 1, 2]), targets: new Uint32Array([1]) };
    expect(() => g().levels(shortTargets, new Uint32Array(2))).toThrow('Expected `graph.offsets[2]` to be the edge count 1, got `2` (number)');
    const nonMono2: CsrGraph = { nodeCount: 3, offsets: new Uint32Array([0, 2, 1, 2]), targets: new Uint32Array([1, 2]) };
    expect(() => g().findCycle(nonMono2, new Uint32Array(3))).toThrow('Expected `graph.offsets[2]` to be >= graph.offsets[1] (2), got `1` (number)');
    expect(() => g().topoSort({ nodeCount: 2, offsets: new Uint32Array(2), targets: new Uint32Array(0) }, new Uint32Array(2))).toThrow(
      'Expected `graph.offsets` to be a Uint32Array of length nodeCount + 1 = 3',
    );
    expect(() => g().topoSort(diamond(), new Uint32Array(4))).toThrow(expect.objectContaining({ code: 'BUFFER_TOO_SMALL', message: 'outOrder is too small: needs 5, has 4' }));
    expect(() => g().upwardRank(diamond(), new Float64Array([1, 2, NaN, 4, 5]), new Float64Array(5))).toThrow(
      'Expected `weights[2]` to be a finite number, got `NaN` (number)',
    );
    expect(() => g().levels(null as never, new Uint32Array(1))).toThrow(TypeError);
  });
});

// Random graphs: n nodes, each edge from an earlier to a later node in a random permutation
// (a DAG), optionally plus back edges (which make cycles likely).
const graphArb = (withBackEdges: boolean) =>
  fc.integer({ min: 0, max: 120 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      edges: n < 2 ? fc.constant([] as [number, number][]) : fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 4 * n }),
      back: fc.boolean(),
      weights: fc.array(fc.double({ min: -10, max: 1000, noNaN: true }), { minLength: n, maxLength: n }),
    }).map(({ n, perm, edges, back, weights }) => {
      const pos = new Map(perm.map((v, i) => [v, i]));
      const kept = edges.filter(([a, b]) => a !== b && (withBackEdges && back ? true : pos.get(a)! < pos.get(b)!));
      const forward = kept.map(([a, b]) => (withBackEdges && back ? [a, b] : pos.get(a)! < pos.get(b)! ? [a, b] : [b, a]) as [number, number]);
      return { graph: buildCsr(n, forward.length ? forward : []), weights: new Float64Array(weights) };
    }),
  );

describe('graph kernels: WASM and TS agree', () => {
  it('on random DAGs: identical order, ranks and levels, all consistent with the edges', () => {
    fc.assert(
      fc.property(graphArb(false), ({ graph, weights }) => {
        const n = graph.nodeCount;
        const [o1, o2] = [new Uint32Array(n), new Uint32Array(n)];
        expect(wasm.graph.topoSort(graph, o1)).toBe(n);
        expect(ts.graph.topoSort(graph, o2)).toBe(n);
        expect([...o1]).toEqual([...o2]);
        const pos = new Uint32Array(n);
        o1.forEach((v, i) => (pos[v] = i));
        const [r1, r2] = [new Float64Array(n), new Float64Array(n)];
        expect(wasm.graph.upwardRank(graph, weights, r1)).toBe(ts.graph.upwardRank(graph, weights, r2));
        expect([...r1]).toEqual([...r2]);
        const [l1, l2] = [new Uint32Array(n), new Uint32Array(n)];
        expect(wasm.graph.levels(graph, l1)).toBe(ts.graph.levels(graph, l2));
        expect([...l1]).toEqual([...l2]);
        for (let v = 0; v < n; v++) {
          let best = -Infinity;
          for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
            const t = graph.targets[e];
            expect(pos[v]).toBeLessThan(pos[t]);
            expect(l1[t]).toBeGreaterThan(l1[v]);
            best = Math.max(best, r1[t]);
          }
          expect(r1[v]).toBe(weights[v] + (best === -Infinity ? 0 : best));
        }
        expect(wasm.graph.findCycle(graph, new Uint32Array(n))).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('on random graphs with back edges: the same cycle, and it is a real cycle', () => {
    fc.assert(
      fc.property(graphArb(true), ({ graph }) => {
        const n = graph.nodeCount;
        const [c1, c2] = [new Uint32Array(n), new Uint32Array(n)];
        const len = wasm.graph.findCycle(graph, c1);
        expect(ts.graph.findCycle(graph, c2)).toBe(len);
        expect([...c1]).toEqual([...c2]);
        expect(len === 0).toBe(ts.graph.topoSort(graph, new Uint32Array(n)) === n);
        for (let i = 0; i < len; i++) {
          const from = c1[i];
          const to = c1[(i + 1) % len];
          const succ = graph.targets.subarray(graph.offsets[from], graph.offsets[from + 1]);
          expect(succ.includes(to)).toBe(true);
        }
        expect(new Set(c1.subarray(0, len)).size).toBe(len);
      }),
      { numRuns: 300 },
    );
  });

  it('on every real trace in ../shared/workflows/', async () => {
    const dir = new URL('../../../shared/workflows/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const trace = await readTrace(new URL(file, dir));
      const n = trace.ids.length;
      const [r1, r2] = [new Float64Array(n), new Float64Array(n)];
      const cp = wasm.graph.upwardRank(trace.graph, trace.runtimeSeconds, r1);
      expect(ts.graph.upwardRank(trace.graph, trace.runtimeSeconds, r2)).toBe(cp);
      expect([...r1]).toEqual([...r2]);
      expect(cp).toBeGreaterThan(0);
      expect(cp).toBeLessThanOrEqual(trace.makespanSeconds!);
    }
  });
});
