/**
 * Sleeps accurate below one millisecond.
 *
 * `setTimeout` cannot wait less than 1 ms (Node clamps the delay to 1) and fires on the event
 * loop's millisecond clock, so a replay that scales 1 s of recorded runtime to 1 ms would be
 * dominated by rounding. Here every pending sleep sits in one min-heap of deadlines served by a
 * single driver: a `setTimeout` covers the coarse part, up to {@link SleepDriverHooks} `marginMs`
 * before the earliest deadline, and then `setImmediate` turns compare `performance.now()` with it
 * until it passes. Other callbacks (I/O, the scheduler) keep running between those turns. When no
 * sleep is pending, nothing is armed: no timer, no immediate.
 *
 * @packageDocumentation
 */
import { expectedMessage } from '../internal/validate.js';

/**
 * The clock and timer functions a {@link SleepDriver} uses. Tests inject fakes to check the
 * mechanism deterministically; the default driver uses Node's.
 */
export interface SleepDriverHooks {
  /**
   * A monotonic clock in milliseconds.
   * @defaultValue `performance.now`
   */
  readonly now?: () => number;
  /** @defaultValue the global `setTimeout` */
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  /** @defaultValue the global `clearTimeout` */
  readonly clearTimeout?: (handle: unknown) => void;
  /** @defaultValue the global `setImmediate` */
  readonly setImmediate?: (fn: () => void) => unknown;
  /** @defaultValue the global `clearImmediate` */
  readonly clearImmediate?: (handle: unknown) => void;
  /**
   * How long before the earliest deadline the coarse timer should fire, in ms. Node's timers run
   * on a millisecond clock that can lag `performance.now()` by up to a millisecond, so the margin
   * must cover that; the rest is spent in `setImmediate` turns.
   * @defaultValue 1
   */
  readonly marginMs?: number;
}

/** Counters of a {@link SleepDriver}, for tests and diagnostics. */
export interface SleepDriverStats {
  /** Sleeps waiting for their deadline. */
  readonly pending: number;
  /** Whether the coarse timer is armed. */
  readonly timerArmed: boolean;
  /** Whether an immediate turn is queued. */
  readonly immediateArmed: boolean;
  /** Coarse timers armed since the driver was created. */
  readonly timersArmed: number;
  /** Immediate turns run since the driver was created. */
  readonly immediateTurns: number;
  /** Sleeps resolved since the driver was created. */
  readonly resolved: number;
  /** Sleeps rejected by an abort since the driver was created. */
  readonly aborted: number;
}

/** A set of sleeps served by one timer driver. */
export interface SleepDriver {
  /**
   * Resolves once `ms` milliseconds (fractions allowed) have passed on the driver's clock, never
   * earlier. Aborting `signal` removes the sleep and rejects with the signal's `reason`.
   *
   * @throws `TypeError`/`RangeError` (synchronously) when `ms` is not a finite number >= 0 or
   *   `signal` is not an `AbortSignal`.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The driver's counters. */
  stats(): SleepDriverStats;
}

/** One pending sleep: a heap entry. */
interface Entry {
  deadline: number;
  /** Insertion order: equal deadlines resolve first-in, first-out. */
  seq: number;
  /** Position in the heap, -1 once removed (lets an abort remove it in O(log n)). */
  pos: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

/** The longest delay `setTimeout` takes as given. */
const MAX_TIMER_MS = 0x7fffffff;

const before = (a: Entry, b: Entry) => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);

/**
 * Creates an independent sleep driver. Most code wants the shared {@link sleep}; a separate
 * driver is for tests (with fake hooks) or for isolating counters.
 *
 * @param hooks - the clock and timers to use (see {@link SleepDriverHooks} for defaults)
 */
export function createSleepDriver(hooks: SleepDriverHooks = {}): SleepDriver {
  const now = hooks.now ?? (() => performance.now());
  const arm = hooks.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const disarm = hooks.clearTimeout ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const immediate = hooks.setImmediate ?? ((fn: () => void) => setImmediate(fn));
  const cancelImmediate = hooks.clearImmediate ?? ((h: unknown) => clearImmediate(h as ReturnType<typeof setImmediate>));
  const margin = hooks.marginMs ?? 1;
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) {
    throw new RangeError(expectedMessage('marginMs', 'a finite number >= 0', margin));
  }

  const heap: Entry[] = [];
  let seq = 0;
  let timer: unknown;
  let timerDue = Infinity;
  let immediateHandle: unknown;
  let timersArmed = 0;
  let immediateTurns = 0;
  let resolved = 0;
  let aborted = 0;
  // One abort listener per signal, not per sleep: 100,000 sleeps on one signal would otherwise
  // mean 100,000 listeners (and Node's listener-leak warning).
  const bySignal = new Map<AbortSignal, { entries: Set<Entry>; listener: () => void }>();

  const up = (i: number) => {
    const e = heap[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, heap[p])) break;
      heap[i] = heap[p];
      heap[i].pos = i;
      i = p;
    }
    heap[i] = e;
    e.pos = i;
  };
  const down = (i: number) => {
    const e = heap[i];
    const n = heap.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(heap[c + 1], heap[c])) c++;
      if (!before(heap[c], e)) break;
      heap[i] = heap[c];
      heap[i].pos = i;
      i = c;
    }
    heap[i] = e;
    e.pos = i;
  };
  const remove = (e: Entry) => {
    const i = e.pos;
    e.pos = -1;
    const last = heap.pop()!;
    if (last === e) return;
    heap[i] = last;
    last.pos = i;
    down(i);
    up(last.pos);
  };

  const unwatch = (e: Entry) => {
    const signal = e.signal;
    if (signal === undefined) return;
    const watch = bySignal.get(signal)!;
    watch.entries.delete(e);
    if (watch.entries.size === 0) {
      signal.removeEventListener('abort', watch.listener);
      bySignal.delete(signal);
    }
  };
  const watch = (e: Entry, signal: AbortSignal) => {
    let w = bySignal.get(signal);
    if (w === undefined) {
      const entries = new Set<Entry>();
      const listener = () => {
        bySignal.delete(signal);
        for (const entry of entries) {
          if (entry.pos >= 0) remove(entry);
          aborted++;
          entry.reject(signal.reason);
        }
        schedule();
      };
      w = { entries, listener };
      bySignal.set(signal, w);
      signal.addEventListener('abort', listener, { once: true });
    }
    w.entries.add(e);
  };

  /** Arms whichever wake-up the earliest deadline needs, or nothing when idle. */
  const schedule = () => {
    if (heap.length === 0) {
      if (timer !== undefined) {
        disarm(timer);
        timer = undefined;
        timerDue = Infinity;
      }
      if (immediateHandle !== undefined) {
        cancelImmediate(immediateHandle);
        immediateHandle = undefined;
      }
      return;
    }
    const remaining = heap[0].deadline - now();
    // Node would clamp anything below 1 ms to 1 ms anyway; past that point only turns are precise.
    // Node turns delays beyond 2^31 - 1 ms into 1 ms: a long sleep re-arms on the way instead.
    const coarse = Math.min(Math.floor(remaining - margin), MAX_TIMER_MS);
    if (coarse >= 1) {
      const due = now() + coarse;
      if (immediateHandle !== undefined) {
        cancelImmediate(immediateHandle);
        immediateHandle = undefined;
      }
      // An armed timer that fires no later than needed is kept: re-arming per sleep would cost a
      // timer per call when sleeps arrive in decreasing order of deadline.
      if (timer !== undefined && timerDue <= due) return;
      if (timer !== undefined) disarm(timer);
      timersArmed++;
      timerDue = due;
      timer = arm(onTimer, coarse);
      return;
    }
    if (timer !== undefined) {
      disarm(timer);
      timer = undefined;
      timerDue = Infinity;
    }
    if (immediateHandle === undefined) immediateHandle = immediate(onTurn);
  };

  const fire = () => {
    const t = now();
    // Resolving only settles promises (their continuations run as microtasks after this loop),
    // so no user code can touch the heap while it is being drained.
    while (heap.length > 0 && heap[0].deadline <= t) {
      const e = heap[0];
      const last = heap.pop()!;
      e.pos = -1;
      if (last !== e) {
        heap[0] = last;
        last.pos = 0;
        down(0);
      }
      unwatch(e);
      resolved++;
      e.resolve();
    }
    schedule();
  };
  const onTimer = () => {
    timer = undefined;
    timerDue = Infinity;
    fire();
  };
  const onTurn = () => {
    immediateHandle = undefined;
    immediateTurns++;
    fire();
  };

  return {
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (typeof ms !== 'number') throw new TypeError(expectedMessage('ms', 'a finite number >= 0', ms));
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(expectedMessage('ms', 'a finite number >= 0', ms));
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw new TypeError(expectedMessage('signal', 'an AbortSignal', signal));
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const e: Entry = { deadline: now() + ms, seq: seq++, pos: heap.length, resolve, reject, signal };
        heap.push(e);
        up(e.pos);
        if (signal !== undefined) watch(e, signal);
        // Only a new earliest deadline can need an earlier wake-up.
        if (e.pos === 0) schedule();
      });
    },
    stats: () => ({
      pending: heap.length,
      timerArmed: timer !== undefined,
      immediateArmed: immediateHandle !== undefined,
      timersArmed,
      immediateTurns,
      resolved,
      aborted,
    }),
  };
}

let shared: SleepDriver | undefined;

/** The process-wide driver behind {@link sleep}. */
export function sharedSleepDriver(): SleepDriver {
  shared ??= createSleepDriver();
  return shared;
}

/**
 * Resolves after `ms` milliseconds, accurate to well below a millisecond (a plain `setTimeout`
 * waits at least 1 ms and rounds to the event loop's millisecond clock). Never resolves early.
 * All pending sleeps share one driver, so 100,000 concurrent sleeps cost one heap, not 100,000
 * timers. Aborting `signal` removes the sleep and rejects with `signal.reason`.
 *
 * @param ms - how long to wait, in milliseconds (fractions allowed), finite and >= 0
 * @param signal - aborts the sleep
 * @throws `TypeError`/`RangeError` (synchronously) for a bad `ms` or `signal`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sharedSleepDriver().sleep(ms, signal);
}
