/**
 * The pending sleeps of a sleep driver, earliest deadline first: a binary min-heap whose entries
 * know their position, so an aborted sleep leaves in O(log n) instead of being skipped later.
 *
 * @packageDocumentation
 */

/** One pending sleep. */
export interface DeadlineEntry {
  /** When it is due, on the driver's clock (ms). */
  readonly deadline: number;
  /** Insertion order: equal deadlines leave first-in, first-out. */
  readonly seq: number;
  /** Position in the heap, -1 once removed. */
  pos: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
}

const before = (a: DeadlineEntry, b: DeadlineEntry) => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);

/** A min-heap of {@link DeadlineEntry} by (deadline, seq). */
export class DeadlineHeap {
  private readonly items: DeadlineEntry[] = [];

  /** Entries in the heap. */
  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, or `undefined` when empty. */
  peek(): DeadlineEntry | undefined {
    return this.items[0];
  }

  /** Adds `e` and returns its position (0: it is the new earliest). */
  push(e: DeadlineEntry): number {
    e.pos = this.items.length;
    this.items.push(e);
    this.up(e.pos);
    return e.pos;
  }

  /** Removes and returns the earliest entry. The heap must not be empty. */
  pop(): DeadlineEntry {
    const top = this.items[0];
    this.remove(top);
    return top;
  }

  /** Removes `e`, which must be in the heap. */
  remove(e: DeadlineEntry): void {
    const a = this.items;
    const i = e.pos;
    e.pos = -1;
    const last = a.pop()!;
    if (last === e) return;
    a[i] = last;
    last.pos = i;
    this.down(i);
    this.up(last.pos);
  }

  private up(i: number): void {
    const a = this.items;
    const e = a[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, a[p])) break;
      a[i] = a[p];
      a[i].pos = i;
      i = p;
    }
    a[i] = e;
    e.pos = i;
  }

  private down(i: number): void {
    const a = this.items;
    const e = a[i];
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(a[c + 1], a[c])) c++;
      if (!before(a[c], e)) break;
      a[i] = a[c];
      a[i].pos = i;
      i = c;
    }
    a[i] = e;
    e.pos = i;
  }
}
