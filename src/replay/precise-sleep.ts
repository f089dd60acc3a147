/**
 * Sleeps accurate below one millisecond, without spinning a core.
 *
 * `setTimeout` cannot wait less than 1 ms (Node clamps the delay to 1) and fires on the event
 * loop's millisecond clock, so a replay that scales 1 s of recorded runtime to 1 ms would be
 * dominated by rounding. Here every pending sleep sits in one min-heap of deadlines served by a
 * single driver on the calling thread, in three stages for the earliest deadline:
 *
 * 1. a `setTimeout` covers the coarse part, up to `marginMs` before the deadline;
 * 2. then the driver blocks the thread in the kernel (`Atomics.wait` with a fractional timeout,
 *    which wakes to the microsecond plus the timer slack) until a guard before the deadline, at
 *    most `maxBlockMs` at a time, with an event-loop turn (`setImmediate`) between blocks so I/O,
 *    timers and the scheduler keep running;
 * 3. and spins on `performance.now()` for the guard's remainder, then resolves every due sleep.
 *
 * The guard follows the lateness the blocking waits show (see `wake-guard.ts`): tens of µs of
 * spinning per wake-up instead of the whole last millisecond. Spinning that millisecond (as this
 * driver did before) kept a core busy for the whole of a replay of sub-millisecond tasks, and on a
 * loaded machine the kernel takes the CPU from a thread that spins for whole time slices (ms),
 * while it wakes a blocked one within ~0.1 ms. A driver that cannot block (no
 * `SharedArrayBuffer`, or a thread where `Atomics.wait` throws, such as a browser's main
 * thread) spins `setImmediate` turns in stage 2 instead. When no sleep is pending, nothing is
 * armed: no timer, no immediate.
 *
 * @packageDocumentation
 */
import { expectedMessage } from '../internal/validate.js';
import { DeadlineHeap, type DeadlineEntry } from './deadline-heap.js';
import { WakeGuard } from './wake-guard.js';

/**
 * The clock, timers and blocking wait a {@link SleepDriver} uses. Tests inject fakes to check the
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
   * Blocks the thread for `ms` milliseconds (fractions allowed; it may return later, not
   * earlier). `null` never blocks: the last stretch before a deadline is then spun in
   * `setImmediate` turns, one core busy for it.
   * @defaultValue `Atomics.wait` on a private cell where the thread allows it, else `null`
   */
  readonly wait?: ((ms: number) => void) | null;
  /**
   * How long before the earliest deadline the coarse timer should fire, in ms. Node's timers run
   * on a millisecond clock and can fire a millisecond early or late, so the margin must cover
   * that; the rest is spent blocking (or, without `wait`, in turns).
   * @defaultValue 2 (1 without `wait`, where the margin is spent spinning)
   */
  readonly marginMs?: number;
  /**
   * The longest one blocking wait may hold the thread, in ms: other callbacks wait at most this.
   * @defaultValue 1
   */
  readonly maxBlockMs?: number;
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
  /** Blocking waits since the driver was created. */
  readonly waits: number;
  /** How long before a deadline the driver stops blocking and spins, ms (see `wake-guard.ts`). */
  readonly guardMs: number;
  /** Sleeps resolved since the driver was created. */
  readonly resolved: number;
  /** Sleeps rejected by an abort since the driver was created. */
  readonly aborted: number;
}

/** A set of sleeps served by one timer driver. */
export interface SleepDriver {
  /**
   * Resolves once `ms` milliseconds (fractions allowed) have passed on the driver's clock, never
   * earlier. Aborting `signal` removes the sleep and rejects with the signal's `reason` at once.
   *
   * @throws `TypeError`/`RangeError` (synchronously) when `ms` is not a finite number >= 0 or
   *   `signal` is not an `AbortSignal`.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The driver's counters. */
  stats(): SleepDriverStats;
}

/** The longest delay `setTimeout` takes as given. */
const MAX_TIMER_MS = 0x7fffffff;

/** `Atomics.wait` on a cell nobody notifies, or `null` where this thread cannot block. */
function defaultWait(): ((ms: number) => void) | null {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics === 'undefined' || typeof Atomics.wait !== 'function') return null;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  try {
    Atomics.wait(cell, 0, 0, 0);
  } catch {
    return null; // a thread that must not block (a browser's main thread)
  }
  return (ms) => void Atomics.wait(cell, 0, 0, ms);
}

function checkMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(expectedMessage(name, 'a finite number >= 0', value));
  if (!Number.isFinite(value) || value < 0) throw new RangeError(expectedMessage(name, 'a finite number >= 0', value));
  return value;
}

/**
 * Creates an independent sleep driver. Most code wants the shared {@link sleep}; a separate
 * driver is for tests (with fake hooks) or for isolating counters.
 *
 * @param hooks - the clock, timers and wait to use (see {@link SleepDriverHooks} for defaults)
 */
export function createSleepDriver(hooks: SleepDriverHooks = {}): SleepDriver {
  const now = hooks.now ?? (() => performance.now());
  const arm = hooks.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const disarm = hooks.clearTimeout ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const immediate = hooks.setImmediate ?? ((fn: () => void) => setImmediate(fn));
  const cancelImmediate = hooks.clearImmediate ?? ((h: unknown) => clearImmediate(h as ReturnType<typeof setImmediate>));
  const wait = hooks.wait === undefined ? defaultWait() : hooks.wait;
  if (wait !== null && typeof wait !== 'function') throw new TypeError(expectedMessage('wait', 'a function or null', wait));
  const margin = checkMs('marginMs', hooks.marginMs, wait === null ? 1 : 2);
  const maxBlock = checkMs('maxBlockMs', hooks.maxBlockMs, 1);

  const heap = new DeadlineHeap();
  const guard = new WakeGuard();
  let seq = 0;
  let timer: unknown;
  let timerDue = Infinity;
  let immediateHandle: unknown;
  let serveQueued = false;
  let turnStart = -Infinity;
  let timersArmed = 0;
  let immediateTurns = 0;
  let waits = 0;
  let resolved = 0;
  let aborted = 0;
  // One abort listener per signal, not per sleep: 100,000 sleeps on one signal would otherwise
  // mean 100,000 listeners (and Node's listener-leak warning).
  const bySignal = new Map<AbortSignal, { entries: Set<DeadlineEntry>; listener: () => void }>();

  const unwatch = (e: DeadlineEntry) => {
    const signal = e.signal;
    if (signal === undefined) return;
    const watch = bySignal.get(signal)!;
    watch.entries.delete(e);
    if (watch.entries.size === 0) {
      signal.removeEventListener('abort', watch.listener);
      bySignal.delete(signal);
    }
  };
  const watch = (e: DeadlineEntry, signal: AbortSignal) => {
    let w = bySignal.get(signal);
    if (w === undefined) {
      const entries = new Set<DeadlineEntry>();
      const listener = () => {
        bySignal.delete(signal);
        for (const entry of entries) {
          if (entry.pos >= 0) heap.remove(entry);
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

  const cancelTimer = () => {
    if (timer === undefined) return;
    disarm(timer);
    timer = undefined;
    timerDue = Infinity;
  };
  const cancelTurn = () => {
    if (immediateHandle === undefined) return;
    cancelImmediate(immediateHandle);
    immediateHandle = undefined;
  };

  /** Arms whichever wake-up the earliest deadline needs, or nothing when idle. */
  const schedule = () => {
    const head = heap.peek();
    if (head === undefined) {
      cancelTimer();
      cancelTurn();
      return;
    }
    const remaining = head.deadline - now();
    // Node would clamp anything below 1 ms to 1 ms anyway; past that point only turns are precise.
    // Node turns delays beyond 2^31 - 1 ms into 1 ms: a long sleep re-arms on the way instead.
    const coarse = Math.min(Math.floor(remaining - margin), MAX_TIMER_MS);
    if (coarse >= 1) {
      const due = now() + coarse;
      cancelTurn();
      // An armed timer that fires no later than needed is kept: re-arming per sleep would cost a
      // timer per call when sleeps arrive in decreasing order of deadline.
      if (timer !== undefined && timerDue <= due) return;
      cancelTimer();
      timersArmed++;
      timerDue = due;
      timer = arm(onTimer, coarse);
      return;
    }
    cancelTimer();
    // A head due within the guard, soon after a turn (the next lane's deadline a few µs after
    // the one just fired): served by a microtask queued behind the continuations of what was
    // just resolved, so their new sleeps are in the heap first and no turn delays it. The
    // event loop still turns at least every `maxBlockMs`.
    if (wait !== null && remaining <= guard.ms && now() - turnStart < maxBlock) return queueServe();
    turn();
  };
  // A turn, not a block right here: the continuations of sleeps resolved a moment ago (the
  // next task of a lane, and its sleep) run as microtasks before it, so a block never holds
  // back a sleep that is about to be made with an earlier deadline.
  const turn = () => {
    if (immediateHandle === undefined) immediateHandle = immediate(onTurn);
  };

  const fire = (t: number) => {
    // Resolving only settles promises (their continuations run as microtasks after this loop),
    // so no user code can touch the heap while it is being drained.
    for (let e = heap.peek(); e !== undefined && e.deadline <= t; e = heap.peek()) {
      heap.pop();
      unwatch(e);
      resolved++;
      e.resolve();
    }
    schedule();
  };
  const onTimer = () => {
    timer = undefined;
    timerDue = Infinity;
    // A timer that fired late (a loaded machine) resolves what is already due without a turn.
    fire(now());
  };
  // The turn only hands over to a microtask: what a resolved sleep's continuation does (the
  // engine's next task, its next sleep) then runs in the same microtask checkpoint as the
  // resolution, instead of waiting for the return from the immediate callback to the event
  // loop and back into the microtask queue (6-10 µs on a 2-core VM, on the lane's critical
  // path every time; the checkpoint before the block is off it).
  const onTurn = () => {
    immediateHandle = undefined;
    immediateTurns++;
    turnStart = now();
    queueServe();
  };
  const queueServe = () => {
    if (serveQueued) return;
    serveQueued = true;
    queueMicrotask(serve);
  };
  const serve = () => {
    serveQueued = false;
    const head = heap.peek();
    if (head === undefined) return;
    let t = now();
    if (wait !== null) {
      const deadline = head.deadline;
      if (deadline - t > guard.ms) {
        const ask = Math.min(deadline - t - guard.ms, maxBlock);
        waits++;
        wait(ask);
        const woke = now();
        guard.record(woke - t - ask);
        t = woke;
        // Still far (a block is capped by maxBlockMs): let the loop turn, then block again.
        if (deadline - t > guard.ms) return turn();
      }
      // Within the guard: nothing else can run on this thread before the deadline anyway.
      while (t < deadline) t = now();
    }
    fire(t);
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
        const e: DeadlineEntry = { deadline: now() + ms, seq: seq++, pos: -1, resolve, reject, signal };
        // Only a new earliest deadline can need an earlier wake-up.
        const first = heap.push(e) === 0;
        if (signal !== undefined) watch(e, signal);
        if (first) schedule();
      });
    },
    stats: () => ({
      pending: heap.size,
      timerArmed: timer !== undefined,
      immediateArmed: immediateHandle !== undefined,
      timersArmed,
      immediateTurns,
      waits,
      guardMs: guard.ms,
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
 * timers; the last stretch before a deadline blocks the thread (at most 1 ms at a time) and
 * spins only the final tens of µs. Aborting `signal` removes the sleep and rejects with
 * `signal.reason` at once.
 *
 * @param ms - how long to wait, in milliseconds (fractions allowed), finite and >= 0
 * @param signal - aborts the sleep
 * @throws `TypeError`/`RangeError` (synchronously) for a bad `ms` or `signal`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sharedSleepDriver().sleep(ms, signal);
}
