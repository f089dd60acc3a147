import { describe, expect, it } from 'vitest';
import { buildCsr, criticalPath, csrFromDependencies, reverseCsr } from '../../src/graph/csr.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

describe('buildCsr', () => {
  it('builds offsets and targets from pairs or a flat list, keeping edge order', () => {
    const a = buildCsr(3, [[0, 2], [0, 1], [1, 2]]);
    expect([...a.offsets]).toEqual([0, 2, 3, 3]);
    expect([...a.targets]).toEqual([2, 1, 2]);
    const b = buildCsr(3, new Uint32Array([0, 2, 0, 1, 1, 2]));
    expect(b).toEqual(a);
    expect(buildCsr(2, [])).toEqual({ nodeCount: 2, offsets: new Uint32Array([0, 0, 0]), targets: new Uint32Array(0) });
  });

  it('rejects bad endpoints and counts, naming them', () => {
    expect(() => buildCsr(2, [[0, 2]])).toThrow('Expected `edges[0] to` to be a node index < 2, got `2` (number)');
    expect(() => buildCsr(2, [0, 1, 1])).toThrow('Expected `edges` to be an even number of endpoints, got `3` (number)');
    expect(() => buildCsr(-1, [])).toThrow('Expected `nodeCount` to be an integer in [0, 4294967294], got `-1` (number)');
  });
});

describe('csrFromDependencies', () => {
  it('maps ids to indices with parent → child edges, counting repeated dependencies once', () => {
    const g = csrFromDependencies(['fetch-a', 'fetch-b', 'analyse'], [[], undefined, ['fetch-a', 'fetch-b', 'fetch-a']]);
    expect(g.index.get('analyse')).toBe(2);
    expect([...g.graph.offsets]).toEqual([0, 1, 2, 2]);
    expect([...g.graph.targets]).toEqual([2, 2]);
  });

  it('rejects duplicates, unknown and self dependencies', () => {
    expect(() => csrFromDependencies(['a', 'a'], [[], []])).toThrow('Duplicate task id `a` (at 0 and 1)');
    expect(() => csrFromDependencies(['a'], [['b']])).toThrow('Task `a` depends on unknown task `b`');
    expect(() => csrFromDependencies(['a'], [['a']])).toThrow('Task `a` depends on itself');
    expect(() => csrFromDependencies([''], [[]])).toThrow('Expected `ids[0]` to be a non-empty string, got `""` (string)');
    expect(() => csrFromDependencies(['a'], [])).toThrow('Expected `dependsOn` to be an array of 1 dependency lists');
  });
});

describe('reverseCsr and criticalPath', () => {
  it('reverses edges', () => {
    const r = reverseCsr(buildCsr(3, [[0, 2], [1, 2], [0, 1]]));
    expect([...r.offsets]).toEqual([0, 0, 1, 3]);
    expect([...r.targets]).toEqual([0, 0, 1]);
  });

  it('follows the highest ranks from the best source', () => {
    const g = buildCsr(5, [[0, 1], [0, 2], [1, 3], [2, 3], [3, 4]]);
    const rank = new Float64Array(5);
    createTsKernels().graph.upwardRank(g, new Float64Array([1, 5, 2, 1, 3]), rank);
    expect(criticalPath(g, rank)).toEqual([0, 1, 3, 4]);
    expect(criticalPath(buildCsr(0, []), new Float64Array(0))).toEqual([]);
  });
});
