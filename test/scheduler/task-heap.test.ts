import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskHeap } from '../../src/scheduler/task-heap.js';

describe('TaskHeap', () => {
  it('pops by priority (higher first), ties by lower index (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 300 }).chain((prios) => {
          const indices = prios.map((_, i) => i);
          return fc.tuple(fc.constant(prios), fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }));
        }),
        ([prios, pushOrder]) => {
          const p = Float64Array.from(prios);
          const heap = new TaskHeap(() => p, 2);
          // Pushed in random order: ties must still go to the lower index, not the earlier push.
          pushOrder.forEach((i) => heap.push(i));
          const out: number[] = [];
          for (let i = heap.pop(); i !== -1; i = heap.pop()) out.push(i);
          const expected = prios.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
          expect(out).toEqual(expected);
        },
      ),
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

  it('peeks without removing, lists its entries, and grows past its capacity', () => {
    const p = Float64Array.from({ length: 40 }, (_, i) => (i * 7) % 11);
    const heap = new TaskHeap(() => p, 1);
    for (let i = 0; i < 40; i++) heap.push(i);
    expect(heap.size).toBe(40);
    expect(heap.toArray().sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const best = heap.peek();
    expect(p[best]).toBe(10);
    expect(heap.size).toBe(40);
    expect(heap.pop()).toBe(best);
    // The heap invariant holds in the listed order: no child beats its parent.
    const items = heap.toArray();
    for (let k = 1; k < items.length; k++) {
      const parent = items[(k - 1) >> 1];
      const child = items[k];
      expect(p[parent] > p[child] || (p[parent] === p[child] && parent < child)).toBe(true);
    }
  });

  it('rebuild() reorders after many priority changes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 }), fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 200, maxLength: 200 }), (before, after) => {
        const p = Float64Array.from(before);
        const heap = new TaskHeap(() => p);
        before.forEach((_, i) => heap.push(i));
        heap.pop();
        for (let i = 0; i < p.length; i++) p[i] = after[i];
        heap.rebuild();
        const out: number[] = [];
        for (let i = heap.pop(); i !== -1; i = heap.pop()) out.push(i);
        const popped = before.map((_, i) => i).sort((a, b) => before[b] - before[a] || a - b)[0];
        const expected = before.map((_, i) => i).filter((i) => i !== popped).sort((a, b) => p[b] - p[a] || a - b);
        expect(out).toEqual(expected);
      }),
    );
  });
});
