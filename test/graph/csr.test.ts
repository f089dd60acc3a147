import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCsr, criticalPath, csrFromDependencies, reverseCsr } from '../../src/graph/csr.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';
import type { CsrGraph } from '../../src/kernels/types.js';

const edgesOf = (g: CsrGraph): [number, number][] =>
  [...Array(g.nodeCount).keys()].flatMap((v) => [...g.targets.subarray(g.offsets[v], g.offsets[v + 1])].map((t) => [v, t] as [number, number]));

describe('buildCsr', () => {
  it('builds offsets and targets from pairs, a flat list or a typed array, keeping edge order', () => {
    const a = buildCsr(3, [[0, 2], [0, 1], [1, 2]]);
    expect([...a.offsets]).toEqual([0, 2, 3, 3]);
    expect([...a.targets]).toEqual([2, 1, 2]);
    expect(buildCsr(3, [0, 2, 0, 1, 1, 2])).toEqual(a);
    expect(buildCsr(3, new Uint32Array([0, 2, 0, 1, 1, 2]))).toEqual(a);
    expect(buildCsr(2, [])).toEqual({ nodeCount: 2, offsets: new Uint32Array([0, 0, 0]), targets: new Uint32Array(0) });
    expect(buildCsr(2, [[1, 0], [1, 0]]).targets).toEqual(new Uint32Array([0, 0]));
  });

  it('rejects bad edge lists, endpoints and counts, naming them', () => {
    expect(() => buildCsr(2, [[0, 2]])).toThrow(new RangeError('Expected `edges[0] to` to be a node index < 2, got `2` (number)'));
    expect(() => buildCsr(2, [[0, 1], [-1, 0]])).toThrow('Expected `edges[1] from` to be a node index < 2, got `-1` (number)');
    expect(() => buildCsr(2, [0, 1, 1, 0.5])).toThrow('Expected `edges[1] to` to be a node index < 2, got `0.5` (number)');
    expect(() => buildCsr(2, [0, 1, 1])).toThrow('Expected `edges` to be an even number of endpoints, got `3` (number)');
    expect(() => buildCsr(3, [[0, 1, 2], [1]] as never)).toThrow(
      new TypeError('Expected `edges[0]` to be a [from, to] pair, got `[0,1,2]` (array)'),
    );
    expect(() => buildCsr(3, [[0, 1], 2, 1] as never)).toThrow('Expected `edges[1]` to be a [from, to] pair');
    expect(() => buildCsr(2, null as never)).toThrow(TypeError);
    expect(() => buildCsr(-1, [])).toThrow('Expected `nodeCount` to be an integer in [0, 2147483647], got `-1` (number)');
    expect(() => buildCsr('3' as never, [])).toThrow(TypeError);
  });
});

describe('csrFromDependencies', () => {
  it('maps ids to indices with parent → child edges, counting repeated dependencies once', () => {
    const g = csrFromDependencies(['fetch-a', 'fetch-b', 'analyse'], [[], undefined, ['fetch-b', 'fetch-a', 'fetch-b']]);
    expect(g.ids).toEqual(['fetch-a', 'fetch-b', 'analyse']);
    expect(g.index.get('analyse')).toBe(2);
    expect([...g.graph.offsets]).toEqual([0, 1, 2, 2]);
    expect([...g.graph.targets]).toEqual([2, 2]);
    expect(edgesOf(g.graph)).toEqual([[0, 2], [1, 2]]);
  });

  it('rejects duplicate ids, unknown and self dependencies, and bad types, naming them', () => {
    expect(() => csrFromDependencies(['a', 'b', 'a'], [[], [], []])).toThrow(new RangeError('Duplicate task id `a` (at 0 and 2)'));
    expect(() => csrFromDependencies(['a'], [['b']])).toThrow(new RangeError('Task `a` depends on unknown task `b`'));
    expect(() => csrFromDependencies(['a'], [['a']])).toThrow('Task `a` depends on itself');
    expect(() => csrFromDependencies([''], [[]])).toThrow(new TypeError('Expected `ids[0]` to be a non-empty string, got `""` (string)'));
    expect(() => csrFromDependencies(['a', 7 as never], [[], []])).toThrow('Expected `ids[1]` to be a non-empty string, got `7` (number)');
    expect(() => csrFromDependencies(['a'], [])).toThrow('Expected `dependsOn` to be an array of 1 dependency lists, got `[]` (array)');
    expect(() => csrFromDependencies(['a', 'b'], [[], 'a' as never])).toThrow(
      new TypeError('Expected `dependsOn[1]` to be an array of task ids, got `"a"` (string)'),
    );
    expect(() => csrFromDependencies(['a', 'b'], [[], [0 as never]])).toThrow('Expected `dependsOn[1][0]` to be a task id string, got `0` (number)');
    expect(() => csrFromDependencies('ab' as never, [])).toThrow(TypeError);
  });
});

describe('reverseCsr', () => {
  it('reverses edges, listing predecessors in index order', () => {
    const r = reverseCsr(buildCsr(3, [[1, 2], [0, 2], [0, 1]]));
    expect([...r.offsets]).toEqual([0, 0, 1, 3]);
    expect([...r.targets]).toEqual([0, 0, 1]);
  });

  it('is an involution on the edge multiset', () => {
    const graphArb = fc.integer({ min: 0, max: 40 }).chain((n) =>
      fc.array(fc.tuple(fc.nat(Math.max(n - 1, 0)), fc.nat(Math.max(n - 1, 0))), { maxLength: n === 0 ? 0 : 3 * n }).map((e) => buildCsr(n, e)),
    );
    fc.assert(
      fc.property(graphArb, (g) => {
        const sorted = (xs: [number, number][]) => xs.map(([a, b]) => a * 1000 + b).sort((x, y) => x - y);
        const r = reverseCsr(g);
        expect(sorted(edgesOf(r))).toEqual(sorted(edgesOf(g).map(([a, b]) => [b, a])));
        expect(sorted(edgesOf(reverseCsr(r)))).toEqual(sorted(edgesOf(g)));
      }),
    );
  });

  it('rejects malformed graphs', () => {
    const bad: CsrGraph = { nodeCount: 2, offsets: new Uint32Array([0, 1, 1]), targets: new Uint32Array([5]) };
    expect(() => reverseCsr(bad)).toThrow('Expected `graph.targets[0]` to be a node index < 2, got `5` (number)');
  });
});

describe('criticalPath', () => {
  const { graph: kernels } = createTsKernels();

  it('follows the highest ranks from the best source', () => {
    const g = buildCsr(5, [[0, 1], [0, 2], [1, 3], [2, 3], [3, 4]]);
    const rank = new Float64Array(5);
    kernels.upwardRank(g, new Float64Array([1, 5, 2, 1, 3]), rank);
    expect(criticalPath(g, rank)).toEqual([0, 1, 3, 4]);
    expect(criticalPath(buildCsr(0, []), new Float64Array(0))).toEqual([]);
    // Ties go to the smaller index, for the source and for each step.
    const tie = buildCsr(4, [[0, 3], [0, 2], [1, 2]]);
    kernels.upwardRank(tie, new Float64Array([1, 1, 1, 1]), rank);
    expect(criticalPath(tie, rank)).toEqual([0, 2]);
  });

  it('on random DAGs with non-negative weights: a path whose weights sum to the critical-path length', () => {
    const dagArb = fc.integer({ min: 1, max: 60 }).chain((n) =>
      fc.record({
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
        weights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }),
      }).map(({ edges, weights }) => ({
        graph: buildCsr(n, edges.filter(([a, b]) => a !== b).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number])),
        weights: new Float64Array(weights),
      })),
    );
    fc.assert(
      fc.property(dagArb, ({ graph, weights }) => {
        const rank = new Float64Array(graph.nodeCount);
        const cp = kernels.upwardRank(graph, weights, rank);
        const path = criticalPath(graph, rank);
        const hasParent = new Set(graph.targets);
        expect(hasParent.has(path[0])).toBe(false);
        const last = path[path.length - 1];
        expect(graph.offsets[last + 1] - graph.offsets[last]).toBe(0);
        for (let i = 0; i + 1 < path.length; i++) {
          expect(graph.targets.subarray(graph.offsets[path[i]], graph.offsets[path[i] + 1])).toContain(path[i + 1]);
        }
        // Integer weights: the sums are exact in any order.
        expect(path.reduce((s, v) => s + weights[v], 0)).toBe(cp);
      }),
    );
  });

  it('rejects a rank array of the wrong type or length', () => {
    const g = buildCsr(2, [[0, 1]]);
    expect(() => criticalPath(g, new Float64Array(1))).toThrow(
      new RangeError('Expected `rank` to be a Float64Array of length >= nodeCount = 2, got `Float64Array(1)` (object)'),
    );
    expect(() => criticalPath(g, [1, 2] as never)).toThrow(new TypeError('Expected `rank` to be a Float64Array, got `[1,2]` (array)'));
  });
});
