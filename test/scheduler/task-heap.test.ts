import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskHeap } from '../../src/scheduler/task-heap.js';

describe('TaskHeap', () => {
  it('pops by priority (higher first), ties by lower index (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 300 }), (prios) => {
        const p = Float64Array.from(prios);
        const heap = new TaskHeap(() => p, 2);
        prios.forEach((_, i) => heap.push(i));
        const out: number[] = [];
        for (let i = heap.pop(); i !== -1; i = heap.pop()) out.push(i);
        const expected = prios.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('rebuild() restores order after priorities change', () => {
    const p = Float64Array.from([1, 2, 3, 4]);
    const heap = new TaskHeap(() => p);
    [0, 1, 2, 3].forEach((i) => heap.push(i));
    p[0] = 10;
    heap.rebuild();
    expect(heap.pop()).toBe(0);
    expect(heap.pop()).toBe(3);
    expect(heap.size).toBe(2);
    heap.clear();
    expect(heap.pop()).toBe(-1);
    expect(heap.peek()).toBe(-1);
  });
});
