// A binary max-heap of task indices keyed by the run's priority array. Each entry carries a copy
// of its key beside it: comparing against the key inline instead of priority[index] avoids a
// random memory access per level (measured ~20% of the engine's per-task cost on a 100K-node
// DAG). Ties go to the lower index, i.e. definition order.

/**
 * Max-heap of task indices ordered by `priority[i]` (higher first), then by index (lower first).
 * The caller owns `priority` and must call {@link TaskHeap.rebuild} after changing the priority
 * of an index that is in the heap.
 */
export class TaskHeap {
  private items: Int32Array;
  private keys: Float64Array;
  private count = 0;

  /**
   * @param priority - returns the live priority array (it may be replaced when a run grows)
   * @param capacity - initial capacity; grows by doubling
   */
  constructor(
    private readonly priority: () => Float64Array,
    capacity = 16,
  ) {
    this.items = new Int32Array(Math.max(capacity, 4));
    this.keys = new Float64Array(this.items.length);
  }

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** Adds index `i` with its current priority. */
  push(i: number): void {
    if (this.count === this.items.length) {
      const items = new Int32Array(this.items.length * 2);
      items.set(this.items);
      this.items = items;
      const keys = new Float64Array(items.length);
      keys.set(this.keys);
      this.keys = keys;
    }
    const items = this.items;
    const keys = this.keys;
    let k = this.count++;
    const pi = this.priority()[i];
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const j = items[parent];
      const pj = keys[parent];
      if (pj > pi || (pj === pi && j < i)) break;
      items[k] = j;
      keys[k] = pj;
      k = parent;
    }
    items[k] = i;
    keys[k] = pi;
  }

  /** Removes and returns the best index, or -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const top = this.items[0];
    const last = --this.count;
    if (last > 0) this.siftDown(0, this.items[last], this.keys[last]);
    return top;
  }

  /** The best index without removing it, or -1 when empty. */
  peek(): number {
    return this.count === 0 ? -1 : this.items[0];
  }

  /** Restores heap order after priorities changed (O(n)). */
  rebuild(): void {
    const p = this.priority();
    for (let k = 0; k < this.count; k++) this.keys[k] = p[this.items[k]];
    for (let k = (this.count >> 1) - 1; k >= 0; k--) this.siftDown(k, this.items[k], this.keys[k]);
  }

  /** Removes every entry. */
  clear(): void {
    this.count = 0;
  }

  /** The entries, in heap order (for inspection). */
  toArray(): number[] {
    return Array.from(this.items.subarray(0, this.count));
  }

  private siftDown(k: number, i: number, pi: number): void {
    const items = this.items;
    const keys = this.keys;
    const n = this.count;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= n) break;
      let c = items[child];
      let pc = keys[child];
      const right = child + 1;
      if (right < n) {
        const r = items[right];
        const pr = keys[right];
        if (pr > pc || (pr === pc && r < c)) {
          child = right;
          c = r;
          pc = pr;
        }
      }
      if (pi > pc || (pi === pc && i < c)) break;
      items[k] = c;
      keys[k] = pc;
      k = child;
    }
    items[k] = i;
    keys[k] = pi;
  }
}
