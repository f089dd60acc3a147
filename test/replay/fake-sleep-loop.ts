// A fake clock, fake timers and a fake blocking wait for a sleep driver: its mechanism step by
// step, with no real waiting.
import { createSleepDriver, type SleepDriverHooks } from '../../src/replay/precise-sleep.js';

interface Handle {
  readonly fn: () => void;
  readonly at: number;
  readonly ms: number;
  live: boolean;
}

/** Options of {@link fakeLoop}. */
export interface FakeLoopOptions extends Pick<SleepDriverHooks, 'marginMs' | 'maxBlockMs'> {
  /**
   * How much later than asked each blocking wait returns (ms), or `null` for a driver that does
   * not block (it spins in immediate turns). A function receives the time asked for.
   * @default null
   */
  readonly late?: number | ((askedMs: number) => number) | null;
}

export function fakeLoop(options: FakeLoopOptions = {}) {
  let t = 0;
  // Every clock read moves time on by `tick` (like a real clock that a spin loop watches); 0
  // freezes time between explicit moves.
  let tick = 0;
  const timers: Handle[] = [];
  const immediates: { fn: () => void; live: boolean }[] = [];
  const waits: number[] = [];
  const late = options.late ?? null;
  const driver = createSleepDriver({
    now: () => {
      const x = t;
      t += tick;
      return x;
    },
    setTimeout: (fn, ms) => {
      const h = { fn, at: t + ms, ms, live: true };
      timers.push(h);
      return h;
    },
    clearTimeout: (h) => {
      (h as Handle).live = false;
    },
    setImmediate: (fn) => {
      const h = { fn, live: true };
      immediates.push(h);
      return h;
    },
    clearImmediate: (h) => {
      (h as { live: boolean }).live = false;
    },
    wait:
      late === null
        ? null
        : (ms) => {
            waits.push(ms);
            t += ms + (typeof late === 'function' ? late(ms) : late);
          },
    ...(options.marginMs === undefined ? {} : { marginMs: options.marginMs }),
    ...(options.maxBlockMs === undefined ? {} : { maxBlockMs: options.maxBlockMs }),
  });
  const liveTimers = () => timers.filter((h) => h.live);
  const pendingImmediates = () => immediates.filter((h) => h.live).length;
  const loop = {
    driver,
    timers,
    /** The time asked for by each blocking wait, in order. */
    waits,
    liveTimers,
    pendingImmediates,
    set now(x: number) {
      t = x;
    },
    get now() {
      return t;
    },
    set tick(x: number) {
      tick = x;
    },
    /** Runs the queued immediates once (one event-loop check phase), then the microtasks. */
    async turn() {
      const batch = immediates.splice(0).filter((h) => h.live);
      for (const h of batch) h.fn();
      await flush();
    },
    /** Fires the live timer due first, moving the clock to its time. */
    async fireTimer() {
      const h = liveTimers().sort((a, b) => a.at - b.at)[0];
      h.live = false;
      t = Math.max(t, h.at);
      h.fn();
      await flush();
    },
    /** Runs timers and turns until nothing is armed (at most `limit` steps). */
    async drain(limit = 1_000_000) {
      for (let step = 0; step < limit; step++) {
        if (pendingImmediates() > 0) await loop.turn();
        else if (liveTimers().length > 0) await loop.fireTimer();
        else return step;
      }
      throw new Error(`fake loop still busy after ${limit} steps`);
    },
  };
  return loop;
}

/**
 * Lets settled promises run their continuations, however many microtask hops deep: the driver
 * serves deadlines that fall due right after a resolution in microtasks of its own (a chain as
 * long as such deadlines follow each other), so a fixed number of hops is not enough. A real
 * macrotask runs only once the microtask queue is empty.
 */
export async function flush(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}
