import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createSleepDriver, sharedSleepDriver, sleep } from '../../src/replay/precise-sleep.js';
import { fakeLoop } from './fake-sleep-loop.js';

// The blocking mechanism (the default where the thread may block) is in precise-sleep-block.test.ts.
describe('createSleepDriver without a blocking wait: timer, then immediate turns', () => {
  it('waits with a timer up to 1 ms before the deadline, then with immediate turns', async () => {
    const loop = fakeLoop();
    let done = false;
    void loop.driver.sleep(5.5).then(() => (done = true));
    expect(loop.liveTimers().map((h) => h.ms)).toEqual([4]);
    expect(loop.pendingImmediates()).toBe(0);
    await loop.fireTimer(); // t = 4: 1.5 ms left, below the timer's reach
    expect(loop.liveTimers()).toHaveLength(0);
    expect(loop.pendingImmediates()).toBe(1);
    loop.now = 5.4;
    await loop.turn();
    expect(done).toBe(false);
    expect(loop.pendingImmediates()).toBe(1);
    loop.now = 5.5;
    await loop.turn();
    await Promise.resolve();
    expect(done).toBe(true);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, timerArmed: false, immediateArmed: false, resolved: 1 });
    expect(loop.pendingImmediates()).toBe(0);
  });

  it('serves a sub-millisecond sleep with turns only, never a (1 ms) timer', async () => {
    const loop = fakeLoop();
    let done = false;
    void loop.driver.sleep(0.3).then(() => (done = true));
    expect(loop.timers).toHaveLength(0);
    loop.now = 0.29;
    await loop.turn();
    expect(done).toBe(false);
    loop.now = 0.3;
    await loop.turn();
    await Promise.resolve();
    expect(done).toBe(true);
    expect(loop.driver.stats().timersArmed).toBe(0);
  });

  it('keeps one timer for many sleeps and re-arms only for an earlier deadline', () => {
    const loop = fakeLoop();
    for (let i = 0; i < 100; i++) void loop.driver.sleep(50 + i);
    expect(loop.timers).toHaveLength(1);
    void loop.driver.sleep(20);
    expect(loop.liveTimers().map((h) => h.ms)).toEqual([19]);
    expect(loop.driver.stats()).toMatchObject({ pending: 101, timersArmed: 2 });
  });

  it('arms at most the longest delay setTimeout accepts for a very long sleep', () => {
    const loop = fakeLoop();
    void loop.driver.sleep(1e12);
    expect(loop.liveTimers().map((h) => h.ms)).toEqual([0x7fffffff]);
  });

  it('resolves in deadline order, equal deadlines first-in first-out', async () => {
    const loop = fakeLoop();
    const order: number[] = [];
    const ms = [7.25, 0.5, 3, 3, 12, 0, 0.75, 3, 9.5, 1.25];
    ms.forEach((m, i) => void loop.driver.sleep(m).then(() => order.push(i)));
    // Step the clock through every deadline with turns; the timer is irrelevant to ordering.
    for (let t = 0; t <= 12; t += 0.25) {
      loop.now = t;
      await loop.turn();
      for (const h of loop.liveTimers()) if (h.at <= t) await loop.fireTimer();
      await Promise.resolve();
    }
    expect(order).toEqual([5, 1, 6, 9, 2, 3, 7, 0, 8, 4]);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, timerArmed: false, immediateArmed: false });
  });

  it('abort removes the sleep, rejects with the reason, and disarms when nothing is left', async () => {
    const loop = fakeLoop();
    const ac = new AbortController();
    const p = loop.driver.sleep(10, ac.signal);
    const q = loop.driver.sleep(20, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    const reason = new Error('stop');
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    await expect(q).rejects.toBe(reason);
    expect(loop.driver.stats()).toMatchObject({ pending: 0, aborted: 2, timerArmed: false, immediateArmed: false });
  });

  it('abort of one signal leaves the other sleeps in place, and a resolved sleep drops its listener', async () => {
    const loop = fakeLoop();
    const a = new AbortController();
    const b = new AbortController();
    const results: string[] = [];
    const sleeps = [1.5, 2.5, 3.5].map((m, i) =>
      loop.driver.sleep(m, i === 1 ? a.signal : b.signal).then(
        () => results.push(`ok${i}`),
        () => results.push(`abort${i}`),
      ),
    );
    a.abort();
    for (let t = 0; t <= 4; t += 0.5) {
      loop.now = t;
      for (const h of loop.liveTimers()) if (h.at <= t) await loop.fireTimer();
      await loop.turn();
    }
    await Promise.all(sleeps);
    expect(results).toEqual(['abort1', 'ok0', 'ok2']);
    expect(getEventListeners(b.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once for an already aborted signal, without touching the heap', async () => {
    const loop = fakeLoop();
    const reason = new Error('already');
    await expect(loop.driver.sleep(1, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(loop.driver.stats().pending).toBe(0);
  });

  it('validates its arguments with the standard message', () => {
    const { driver } = fakeLoop();
    expect(() => driver.sleep(-1)).toThrow(new RangeError('Expected `ms` to be a finite number >= 0, got `-1` (number)'));
    expect(() => driver.sleep(Number.NaN)).toThrow(RangeError);
    expect(() => driver.sleep('5' as unknown as number)).toThrow(new TypeError('Expected `ms` to be a finite number >= 0, got `"5"` (string)'));
    expect(() => driver.sleep(1, {} as AbortSignal)).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `{}` (object)'));
    expect(() => createSleepDriver({ marginMs: -1 })).toThrow(new RangeError('Expected `marginMs` to be a finite number >= 0, got `-1` (number)'));
    expect(() => createSleepDriver({ maxBlockMs: Number.POSITIVE_INFINITY })).toThrow(
      new RangeError('Expected `maxBlockMs` to be a finite number >= 0, got `Infinity` (number)'),
    );
    expect(() => createSleepDriver({ maxBlockMs: '1' as never })).toThrow(new TypeError('Expected `maxBlockMs` to be a finite number >= 0, got `"1"` (string)'));
    expect(() => createSleepDriver({ wait: 5 as never })).toThrow(new TypeError('Expected `wait` to be a function or null, got `5` (number)'));
  });
});

describe('sleep (the shared driver, real clock)', () => {
  // How much faster than a timer a short sleep is belongs to the benchmarks (timing on a shared
  // machine is not a test); that no timer is armed for it is tested on the fake clock above.
  it('never resolves early on the real clock', async () => {
    const took: number[] = [];
    for (let i = 0; i < 51; i++) {
      const t = performance.now();
      await sleep(0.3);
      took.push(performance.now() - t);
    }
    took.sort((a, b) => a - b);
    expect(took[0]).toBeGreaterThanOrEqual(0.3);
  });

  it('runs 100,000 concurrent sleeps to completion, none early, and then goes idle', async () => {
    const n = 100_000;
    const start = sharedSleepDriver().stats().resolved;
    // Deadlines spread over 0..20 ms in a scrambled order. (Resolution order is checked on the
    // fake clock above: here each sleep's deadline also depends on when it was created.)
    const ms = Array.from({ length: n }, (_, i) => ((i * 7919) % n) / 5000);
    let early = 0;
    await Promise.all(
      ms.map((m) => {
        const t = performance.now();
        return sleep(m).then(() => {
          if (performance.now() - t < m) early++;
        });
      }),
    );
    expect(early).toBe(0);
    expect(sharedSleepDriver().stats().resolved - start).toBe(n);
    expect(sharedSleepDriver().stats()).toMatchObject({ pending: 0, timerArmed: false, immediateArmed: false });
  });

  it('cancels 100,000 sleeps on one signal with one listener', async () => {
    const ac = new AbortController();
    const all = Array.from({ length: 100_000 }, () => sleep(1000, ac.signal).catch((e: unknown) => e));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    const reasons = await Promise.all(all);
    expect(reasons.every((r) => r === ac.signal.reason)).toBe(true);
    expect(sharedSleepDriver().stats()).toMatchObject({ pending: 0, timerArmed: false, immediateArmed: false });
  });
});
