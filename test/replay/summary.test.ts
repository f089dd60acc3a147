import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/graph/csr.js';
import { simulate } from '../../src/replay/simulate.js';
import { formatSummary, makeSummary } from '../../src/replay/summary.js';

describe('makeSummary', () => {
  const simulation = simulate(buildCsr(4, [0, 1]), Float64Array.from([2, 3, 4, 1]), { workers: 2 });

  it('has exactly the documented keys, efficiency = ideal / makespan, overhead in µs per task', () => {
    const s = makeSummary({ tasks: 4, edges: 1, makespanMs: 6.2, simulation });
    expect(Object.keys(s)).toEqual([
      'tasks', 'edges', 'workers', 'makespanMs', 'criticalPathMs', 'totalWorkMs', 'lowerBoundMs', 'idealMs', 'efficiency', 'overheadUsPerTask',
    ]);
    expect(s).toMatchObject({ tasks: 4, edges: 1, workers: 2, makespanMs: 6.2, criticalPathMs: 5, totalWorkMs: 10, lowerBoundMs: 5, idealMs: 5 });
    expect(s.efficiency).toBeCloseTo(5 / 6.2, 12);
    expect(s.overheadUsPerTask).toBeCloseTo((1.2 * 1000) / 4, 9);
  });

  it('an empty run has efficiency 1 and no overhead (no NaN in the JSON)', () => {
    const empty = simulate(buildCsr(0, []), new Float64Array(0));
    const s = makeSummary({ tasks: 0, edges: 0, makespanMs: 0, simulation: empty });
    expect(s.efficiency).toBe(1);
    expect(s.overheadUsPerTask).toBe(0);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    // The engine always takes some time, even for nothing: still efficiency 1.
    expect(makeSummary({ tasks: 0, edges: 0, makespanMs: 0.14, simulation: empty }).efficiency).toBe(1);
  });
});

describe('formatSummary', () => {
  it('prints every figure on its own labelled line', () => {
    const simulation = simulate(buildCsr(4, [0, 1]), Float64Array.from([2, 3, 4, 1]), { workers: 2 });
    const text = formatSummary(makeSummary({ tasks: 4, edges: 1, makespanMs: 6.25, simulation }), { title: 'trace t', scale: 0.001 });
    expect(text.split('\n')).toEqual([
      'trace t',
      '  tasks          4 (1 edges) on 2 workers, scale 0.001',
      '  makespan       6.3 ms (1.25× lower bound)',
      '  ideal          5.0 ms (1.00× lower bound)  (same policy, zero overhead)',
      '  critical path  5.0 ms',
      '  total work     10.0 ms',
      '  lower bound    5.0 ms  max(critical path, total work / 2)',
      '  efficiency     80.0%  ideal / makespan',
      '  overhead       312.5 µs per task  (makespan − ideal) / tasks',
    ]);
  });
});

describe('formatSummary with a tighter bound', () => {
  it('adds the ancestor bound and how far the ideal schedule is from it', () => {
    const simulation = simulate(buildCsr(4, [0, 1]), Float64Array.from([2, 3, 4, 1]), { workers: 2 });
    const text = formatSummary(makeSummary({ tasks: 4, edges: 1, makespanMs: 6.25, simulation }), { ancestorBoundMs: 5 });
    expect(text.split('\n')).toContain("  tighter bound  5.0 ms  a task waits for its ancestors' work / 2; ideal is 1.000× it");
  });

  it('prints no ratios against a zero bound (scale 0)', () => {
    const simulation = simulate(buildCsr(2, []), new Float64Array(2), { workers: 2 });
    const text = formatSummary(makeSummary({ tasks: 2, edges: 0, makespanMs: 0.05, simulation }), { ancestorBoundMs: 0 });
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(text.split('\n')).toContain("  tighter bound  0.000 ms  a task waits for its ancestors' work / 2");
    expect(text.split('\n')).toContain('  makespan       0.050 ms');
  });
});
