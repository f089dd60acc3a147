import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap, type DeadlineEntry } from '../../src/replay/deadline-heap.js';

const entry = (deadline: number, seq: number): DeadlineEntry => ({ deadline, seq, pos: -1, resolve: () => {}, reject: () => {}, signal: undefined });

describe('DeadlineHeap', () => {
  it('pops by deadline, equal deadlines in insertion order, after arbitrary removals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 200 }),
        (items) => {
          const heap = new DeadlineHeap();
          const entries = items.map(([d], i) => entry(d, i));
          for (const e of entries) heap.push(e);
          const removed = entries.filter((_, i) => items[i][1]);
          for (const e of removed) heap.remove(e);
          expect(removed.every((e) => e.pos === -1)).toBe(true);
          const out: DeadlineEntry[] = [];
          while (heap.size > 0) out.push(heap.pop());
          const kept = entries.filter((_, i) => !items[i][1]).sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
          expect(out).toEqual(kept);
          expect(heap.peek()).toBeUndefined();
        },
      ),
    );
  });

  it('reports whether a push became the earliest, and keeps positions current', () => {
    const heap = new DeadlineHeap();
    expect(heap.push(entry(5, 0))).toBe(0);
    expect(heap.push(entry(7, 1))).not.toBe(0);
    const early = entry(1, 2);
    expect(heap.push(early)).toBe(0);
    expect(heap.peek()).toBe(early);
    heap.remove(early);
    expect(heap.peek()?.deadline).toBe(5);
    expect(heap.size).toBe(2);
  });
});
