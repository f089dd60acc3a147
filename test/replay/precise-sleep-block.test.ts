import { describe, expect, it } from 'vitest';
import { createSleepDriver, sleep, sharedSleepDriver } from '../../src/replay/precise-sleep.js';
import { INITIAL_GUARD_MS } from '../../src/replay/wake-guard.js';
import { fakeLoop, flush } from './fake-sleep-loop.js';

// The default mechanism where the thread may block: timer, then blocking waits up to a guard
// before the deadline (event-loop turns between them), then a spin. All on a fake clock: the
// fake wait moves the clock by what was asked plus a set lateness, and every clock read moves it
// by `tick`, so a spin ends.

describe('createSleepDriver with a blocking wait: the stages', () => {
  it('arms a timer up to 2 ms before the deadline, then blocks at most 1 ms per turn, then spins the guard', async () => {
    const loop = fakeLoop({ late: 0.05 });
    let resolvedAt = -1;
    void loop.driver.sleep(5.5).then(() => (resolvedAt = loop.now));
    expect(loop.liveTimers().map((h) => h.ms)).toEqual([3]);
    loop.tick = 0.001;
    await loop.fireTimer(); // t = 3: 2.5 ms left, below the timer's reach
    expect(loop.waits).toEqual([]);
    expect(loop.pendingImmediates()).toBe(1);
    await loop.turn(); // one block of the maximum, then back to the loop
    expect(loop.waits).toEqual([1]);
    expect(resolvedAt).toBe(-1);
    expect(loop.pendingImmediates()).toBe(1);
    await loop.turn();
    await loop.turn(); // the last block ends inside the guard; the spin reaches the deadline
    expect(loop.waits).toHaveLength(3);
    expect(loop.waits[1]).toBe(1);
    expect(loop.waits[2]).toBeLessThan(0.5 - 0.05);
    expect(resolvedAt).toBeGreaterThanOrEqual(5.5);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, resolved: 1, waits: 3, timersArmed: 1, immediateTurns: 3, timerArmed: false, immediateArmed: false });
  });

  it('only spins for a sleep shorter than the guard: no timer, no block', async () => {
    const loop = fakeLoop({ late: 0.05 });
    let done = false;
    void loop.driver.sleep(INITIAL_GUARD_MS / 2).then(() => (done = true));
    loop.tick = 0.001;
    await loop.turn();
    expect(done).toBe(true);
    expect(loop.timers).toHaveLength(0);
    expect(loop.waits).toEqual([]);
  });

  it('lets the event loop turn between blocks, none longer than maxBlockMs', async () => {
    const loop = fakeLoop({ late: 0.02, maxBlockMs: 0.25 });
    let done = false;
    void loop.driver.sleep(10.3).then(() => (done = true));
    loop.tick = 0.0001;
    await loop.fireTimer();
    let turns = 0;
    while (!done) {
      const before = loop.waits.length;
      await loop.turn();
      expect(loop.waits.length - before).toBeLessThanOrEqual(1);
      turns++;
    }
    expect(loop.waits.every((w) => w <= 0.25)).toBe(true);
    expect(loop.waits.length).toBeGreaterThanOrEqual(8); // 2 ms and more in blocks of 0.25
    expect(turns).toBe(loop.waits.length);
  });

  it('plans the block for a sleep made after the turn was queued when it is due earlier', async () => {
    const loop = fakeLoop({ late: 0.05 });
    const order: string[] = [];
    void loop.driver.sleep(1.5).then(() => order.push('later'));
    void loop.driver.sleep(0.5).then(() => order.push('earlier'));
    loop.tick = 0.001;
    await loop.turn();
    expect(loop.waits[0]).toBeCloseTo(0.5 - INITIAL_GUARD_MS, 2);
    expect(order).toEqual(['earlier']);
    await loop.drain();
    expect(order).toEqual(['earlier', 'later']);
  });

  it('after learning how late waits return, wakes early enough for the spin to land on the deadline', async () => {
    const late = 0.18; // more than the initial guard: at first every wake is late
    const loop = fakeLoop({ late });
    loop.tick = 0.0005;
    const lateness: number[] = [];
    for (let i = 0; i < 80; i++) {
      const start = loop.now;
      await Promise.all([loop.driver.sleep(1.5).then(() => lateness.push(loop.now - start - 1.5)), loop.drain()]);
    }
    expect(lateness[0]).toBeGreaterThan(0.05);
    expect(loop.driver.stats().guardMs).toBeGreaterThan(late - 0.005);
    expect(Math.max(...lateness.slice(-10))).toBeLessThan(0.01); // a few ticks of the fake clock
  });
});

describe('createSleepDriver with a blocking wait: many sleeps', () => {
  it('wakes 10,000 concurrent sleeps in deadline order, ties first-in first-out, none early', async () => {
    const loop = fakeLoop({ late: (ms) => 0.02 + (ms % 0.07) });
    const n = 10_000;
    // Deadlines on a 5 µs grid over 0..20 ms, scrambled: many are equal, many a hair apart.
    const ms = Array.from({ length: n }, (_, i) => ((i * 7919) % 4001) * 0.005);
    const order: number[] = [];
    let early = 0;
    ms.forEach(
      (m, i) =>
        void loop.driver.sleep(m).then(() => {
          order.push(i);
          if (loop.now < m) early++;
        }),
    );
    loop.tick = 0.0005;
    await loop.drain();
    const expected = ms.map((_, i) => i).sort((a, b) => ms[a] - ms[b] || a - b);
    expect(order).toEqual(expected);
    expect(early).toBe(0);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, resolved: n, timerArmed: false, immediateArmed: false });
    // One wake-up serves every sleep due by then: far fewer blocks than sleeps.
    expect(loop.waits.length).toBeLessThan(n / 10);
  });

  it('resolves 1,000 sleeps due at the same time with one block and one spin', async () => {
    const loop = fakeLoop({ late: 0.05 });
    let done = 0;
    for (let i = 0; i < 1000; i++) void loop.driver.sleep(0.7).then(() => done++);
    loop.tick = 0.001;
    await loop.turn();
    expect(done).toBe(1000);
    expect(loop.waits).toHaveLength(1);
  });
});

describe('createSleepDriver with a blocking wait: abort', () => {
  it('an abort between two blocks rejects at once, and the next block is planned for the next sleep', async () => {
    const loop = fakeLoop({ late: 0.03 });
    const ac = new AbortController();
    const reason = new Error('stop');
    let rejected: unknown;
    void loop.driver.sleep(1.5, ac.signal).catch((e: unknown) => (rejected = e));
    let resolvedAt = -1;
    void loop.driver.sleep(3.5).then(() => (resolvedAt = loop.now));
    loop.tick = 0.001;
    await loop.turn(); // blocked 1 ms towards 1.5
    expect(loop.waits).toEqual([1]);
    ac.abort(reason);
    await flush();
    expect(rejected).toBe(reason); // without another turn or block
    expect(loop.waits).toHaveLength(1);
    expect(loop.driver.stats()).toMatchObject({ pending: 1, aborted: 1 });
    await loop.drain();
    expect(resolvedAt).toBeGreaterThanOrEqual(3.5);
    expect(loop.waits.every((w) => w <= 1)).toBe(true);
  });

  it('aborting the only sleep cancels its queued turn, or its timer', async () => {
    const loop = fakeLoop({ late: 0.03 });
    const near = new AbortController();
    const p = loop.driver.sleep(0.5, near.signal);
    expect(loop.pendingImmediates()).toBe(1);
    near.abort();
    await expect(p).rejects.toBe(near.signal.reason);
    expect(loop.pendingImmediates()).toBe(0);
    const far = new AbortController();
    const q = loop.driver.sleep(50, far.signal);
    expect(loop.liveTimers()).toHaveLength(1);
    far.abort();
    await expect(q).rejects.toBe(far.signal.reason);
    expect(loop.liveTimers()).toHaveLength(0);
    expect(loop.waits).toEqual([]);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, aborted: 2, timerArmed: false, immediateArmed: false });
  });
});

describe('the default blocking wait (Atomics.wait, real clock)', () => {
  it('blocks in its fine stage, and an abort from a timer stops the sleep between blocks', async () => {
    // A margin longer than the sleep: no coarse timer, 1 ms blocks with turns between them.
    const driver = createSleepDriver({ marginMs: 2000 });
    const ac = new AbortController();
    const reason = new Error('from a timer');
    const t0 = performance.now();
    const p = driver.sleep(1000, ac.signal);
    setTimeout(() => ac.abort(reason), 5);
    await expect(p).rejects.toBe(reason);
    const { waits, immediateTurns, pending, timersArmed } = driver.stats();
    expect({ pending, timersArmed }).toEqual({ pending: 0, timersArmed: 0 });
    expect(waits).toBeGreaterThanOrEqual(1);
    // Each turn blocked once: the loop still turned (the abort's timer ran) between blocks.
    expect(waits).toBe(immediateTurns);
    // Atomics.wait never returns before its timeout: the blocks add up to at least the time asked.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(waits - 1);
  });

  it('the shared driver aborts a long sleep at once and goes idle', async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort();
    await expect(p).rejects.toBe(ac.signal.reason);
    expect(sharedSleepDriver().stats()).toMatchObject({ pending: 0, timerArmed: false, immediateArmed: false });
  });
});

describe('createSleepDriver with a blocking wait: deadlines that follow each other closely', () => {
  it('serves a deadline due within the guard after a resolution in the same turn, behind the continuations', async () => {
    const loop = fakeLoop({ late: 0.05 });
    const order: string[] = [];
    void loop.driver.sleep(0.5).then(() => {
      order.push('first');
      // A continuation's new sleep, due before the one already waiting: it must go first.
      void loop.driver.sleep(0.01).then(() => order.push('made by first'));
    });
    void loop.driver.sleep(0.56).then(() => order.push('second'));
    loop.tick = 0.001;
    await loop.turn();
    expect(order).toEqual(['first', 'made by first', 'second']);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, resolved: 3, immediateTurns: 1, immediateArmed: false });
  });

  it('still lets the event loop turn at least every maxBlockMs while deadlines keep following each other', async () => {
    const loop = fakeLoop({ late: 0.05, maxBlockMs: 1 });
    let done = 0;
    // Deadlines 0.05 ms apart (inside the guard) over 4 ms.
    for (let i = 0; i < 80; i++) void loop.driver.sleep(0.5 + i * 0.05).then(() => done++);
    loop.tick = 0.001;
    const turns: number[] = [];
    while (done < 80) {
      await loop.turn();
      turns.push(done);
    }
    expect(done).toBe(80);
    // A turn per millisecond or so of deadlines, not one for them all (and not one each).
    expect(turns.length).toBeGreaterThanOrEqual(4);
    expect(turns.length).toBeLessThan(20);
  });
});
