// Per-task state of a run as parallel typed arrays (structure of arrays): a pending task costs
// a few dozen bytes and no object, and the hot loops touch contiguous memory.

/** Status codes (ordered: everything from SUCCEEDED on is final). */
export const PENDING = 0;
export const READY = 1;
export const RUNNING = 2;
export const RETRYING = 3;
export const SUSPENDED = 4;
export const RESUMING = 5;
export const SUCCEEDED = 6;
export const FAILED = 7;
export const SKIPPED = 8;
export const CANCELLED = 9;

/** Public names of the status codes (a resuming task waits for a slot: `ready`). */
export const STATUS_NAMES = ['pending', 'ready', 'running', 'retrying', 'suspended', 'ready', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;

/** Growable structure-of-arrays task state. */
export class TaskState {
  status: Uint8Array;
  /** Dependencies not yet succeeded. */
  remaining: Uint32Array;
  /**
   * Priorities. Shared with the compiled workflow (every run starts from the same ones) until
   * the run changes one: see {@link ownPriority}.
   */
  priority: Float64Array;
  private sharedPriority = false;
  attempts: Uint16Array;
  /**
   * Ready time while waiting, then the last attempt's start, in ms since the run's origin. Float32
   * keeps a pending task within 64 bytes; its resolution is below 8 µs for runs under 100 s and
   * 0.25 ms at an hour.
   */
  t0: Float32Array;
  /** When the task reached its final status (same clock). */
  t1: Float32Array;
  /** Concurrency group (0 = none); empty when the workflow declares no groups. */
  group: Uint16Array;
  /** Rate limiter (0 = none); empty when the workflow uses no limiter. */
  limiter: Uint16Array;
  outputs: unknown[];

  constructor(capacity: number, groups = true, limiters = true, priority?: Float64Array) {
    const c = Math.max(capacity, 8);
    this.status = new Uint8Array(c);
    this.remaining = new Uint32Array(c);
    if (priority !== undefined && priority.length >= c) {
      this.priority = priority;
      this.sharedPriority = true;
    } else {
      this.priority = new Float64Array(c);
      if (priority !== undefined) this.priority.set(priority);
    }
    this.attempts = new Uint16Array(c);
    this.t0 = new Float32Array(c);
    this.t1 = new Float32Array(c);
    this.group = new Uint16Array(groups ? c : 0);
    this.limiter = new Uint16Array(limiters ? c : 0);
    this.outputs = new Array(capacity);
  }

  /** Capacity in tasks. */
  get capacity(): number {
    return this.status.length;
  }

  /** Makes room for at least `n` tasks (doubling), keeping the contents. */
  ensure(n: number): void {
    if (n <= this.status.length) return;
    let c = this.status.length * 2;
    while (c < n) c *= 2;
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array>(a: T): T => {
      if (a.length === 0) return a;
      const b = new (a.constructor as new (n: number) => T)(c);
      b.set(a);
      return b;
    };
    this.status = grow(this.status);
    this.remaining = grow(this.remaining);
    this.priority = grow(this.priority);
    this.sharedPriority = false;
    this.attempts = grow(this.attempts);
    this.t0 = grow(this.t0);
    this.t1 = grow(this.t1);
    this.group = grow(this.group);
    this.limiter = grow(this.limiter);
  }

  /** Makes the priorities this run's own before it changes one. */
  ownPriority(): void {
    if (!this.sharedPriority) return;
    const own = new Float64Array(this.status.length);
    own.set(this.priority.subarray(0, Math.min(this.priority.length, own.length)));
    this.priority = own;
    this.sharedPriority = false;
  }

  /** Bytes held by the typed arrays this run owns (the per-run engine state). */
  get byteLength(): number {
    return this.status.byteLength + this.remaining.byteLength + (this.sharedPriority ? 0 : this.priority.byteLength) + this.attempts.byteLength + this.t0.byteLength + this.t1.byteLength + this.group.byteLength + this.limiter.byteLength;
  }
}
