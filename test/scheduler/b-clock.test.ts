// Rates over time, on a fake clock: the limiter reads performance.now() and arms setTimeout, so
// faking both makes every refill and wake-up exact and the tests independent of machine load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineRateLimit, type RateLimiter } from '../../src/scheduler/rate-limiter.js';

let k = 0;
const fresh = (): string => `clock-limiter-${process.pid}-${++k}`;

/** Takes every request available now; returns how many were granted. */
function drainNow(rl: RateLimiter): number {
  let n = 0;
  while (rl.tryAcquire()) n++;
  return n;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rate limiters on a fake clock', () => {
  it('refill requests at requestsPerInterval / intervalMs, never faster', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 10, intervalMs: 1000 });
    expect(drainNow(rl)).toBe(10); // a full bucket to start
    vi.advanceTimersByTime(99);
    expect(rl.tryAcquire()).toBe(false); // 0.99 of a request
    expect(rl.state().requests).toBeCloseTo(0.99, 9);
    vi.advanceTimersByTime(1);
    expect(drainNow(rl)).toBe(1);
    // Polled every millisecond for 10 s, the limiter grants exactly the rate: 100 requests.
    let granted = 0;
    for (let t = 0; t < 10_000; t++) {
      vi.advanceTimersByTime(1);
      granted += drainNow(rl);
    }
    expect(granted).toBe(100);
    // An idle bucket fills to its cap and no further.
    vi.advanceTimersByTime(60_000);
    expect(drainNow(rl)).toBe(10);
  });

  it('refill tokens at tokensPerInterval / intervalMs, and refuse until the balance is positive', () => {
    const rl = defineRateLimit(fresh(), { tokensPerInterval: 100, intervalMs: 1000 });
    expect(rl.tryAcquire()).toBe(true);
    rl.charge(150);
    expect(rl.state().tokens).toBe(-50);
    vi.advanceTimersByTime(250);
    expect(rl.state().tokens).toBeCloseTo(-25, 9);
    expect(rl.tryAcquire()).toBe(false);
    vi.advanceTimersByTime(250);
    expect(rl.tryAcquire()).toBe(false); // a balance of 0 is not positive
    vi.advanceTimersByTime(1);
    expect(rl.tryAcquire()).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(rl.state().tokens).toBe(100); // capped
  });

  it('wake a waiter exactly when the next request is due, and one per request', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 2, intervalMs: 1000 });
    drainNow(rl);
    const woken: number[] = [];
    const start = performance.now();
    for (let w = 0; w < 3; w++) {
      rl.wait(() => {
        woken.push(performance.now() - start);
        expect(rl.tryAcquire()).toBe(true);
      });
    }
    expect(rl.state().waiting).toBe(3);
    vi.advanceTimersByTime(499);
    expect(woken).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(woken).toEqual([500]);
    vi.advanceTimersByTime(1000);
    expect(woken).toEqual([500, 1000, 1500]);
    expect(rl.state().waiting).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // nothing left armed without waiters
  });

  it('after a pause, wake as many waiters as the refilled bucket serves at once', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 3, intervalMs: 300 });
    drainNow(rl);
    rl.pause(300);
    const woken: [number, number][] = [];
    const start = performance.now();
    for (let w = 0; w < 5; w++) {
      rl.wait(() => {
        woken.push([w, performance.now() - start]);
        expect(rl.tryAcquire()).toBe(true);
      });
    }
    vi.advanceTimersByTime(300);
    expect(woken).toEqual([[0, 300], [1, 300], [2, 300]]);
    vi.advanceTimersByTime(200);
    expect(woken.slice(3)).toEqual([[3, 400], [4, 500]]);
  });

  it('hold every request for a pause, then grant again at its end', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 100, intervalMs: 1000 });
    const woken: number[] = [];
    const start = performance.now();
    rl.pause(40);
    expect(rl.state().pausedUntil).toBe(performance.timeOrigin + start + 40);
    rl.wait(() => woken.push(performance.now() - start));
    expect(rl.tryAcquire()).toBe(false);
    vi.advanceTimersByTime(39);
    expect(rl.tryAcquire()).toBe(false);
    expect(woken).toEqual([]);
    // A shorter pause does not cut a longer one short.
    rl.pause(1);
    vi.advanceTimersByTime(1);
    expect(woken).toEqual([40]);
    expect(rl.tryAcquire()).toBe(true);
    expect(rl.state().pausedUntil).toBe(0);
  });

  it('wait longer than setTimeout can in steps of at most 2^31-1 ms, waking on time', () => {
    const interval = 2 ** 33; // one request per ~99 days
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 1, intervalMs: interval });
    expect(rl.tryAcquire()).toBe(true);
    let woken = false;
    rl.wait(() => (woken = true));
    const start = performance.now();
    // A longer delay would make setTimeout fire after 1 ms (and then again every millisecond).
    vi.advanceTimersToNextTimer();
    expect(performance.now() - start).toBe(2 ** 31 - 1);
    expect(woken).toBe(false);
    vi.advanceTimersByTime(interval - (2 ** 31 - 1) - 1);
    expect(woken).toBe(false);
    vi.advanceTimersByTime(1);
    expect(woken).toBe(true);
  });

  it('redefining with a slower rate makes waiters wait for the new rate', () => {
    const name = fresh();
    const rl = defineRateLimit(name, { requestsPerInterval: 10, intervalMs: 1000 });
    drainNow(rl);
    let wokenAt = -1;
    const start = performance.now();
    rl.wait(() => (wokenAt = performance.now() - start));
    defineRateLimit(name, { requestsPerInterval: 1, intervalMs: 1000 });
    vi.advanceTimersByTime(100);
    expect(wokenAt).toBe(-1);
    vi.advanceTimersByTime(900);
    expect(wokenAt).toBe(1000);
  });

  it('redefining keeps fractional and negative balances, clamped to the new caps', () => {
    const name = fresh();
    const rl = defineRateLimit(name, { requestsPerInterval: 10, tokensPerInterval: 100, intervalMs: 1000 });
    drainNow(rl);
    rl.charge(150);
    vi.advanceTimersByTime(50); // half a request back; tokens -50 + 5
    defineRateLimit(name, { requestsPerInterval: 10, tokensPerInterval: 100, intervalMs: 1000 });
    expect(rl.state().requests).toBeCloseTo(0.5, 9);
    expect(rl.state().tokens).toBeCloseTo(-45, 9);
    vi.advanceTimersByTime(10_000);
    defineRateLimit(name, { requestsPerInterval: 4, tokensPerInterval: 30, intervalMs: 1000 });
    expect(rl.state().requests).toBe(4);
    expect(rl.state().tokens).toBe(30);
  });

  it('a fractional budget still grants one request, then refills at its rate', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 0.5, intervalMs: 1000 });
    expect(drainNow(rl)).toBe(1);
    vi.advanceTimersByTime(1999);
    expect(rl.tryAcquire()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(rl.tryAcquire()).toBe(true);
  });

  it('withdrawing a waiter skips it; withdrawing the last one disarms the timer', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 1, intervalMs: 100 });
    drainNow(rl);
    const woken: string[] = [];
    const withdrawA = rl.wait(() => woken.push('a'));
    rl.wait(() => {
      woken.push('b');
      rl.tryAcquire();
    });
    withdrawA();
    expect(rl.state().waiting).toBe(1);
    vi.advanceTimersByTime(100);
    expect(woken).toEqual(['b']);
    const withdrawC = rl.wait(() => woken.push('c'));
    expect(vi.getTimerCount()).toBe(1);
    withdrawC();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(woken).toEqual(['b']);
  });

  it('serve a long queue in order, one waiter per refilled request', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 1, intervalMs: 1 });
    drainNow(rl);
    const woken: number[] = [];
    const withdraws = Array.from({ length: 3000 }, (_, w) =>
      rl.wait(() => {
        woken.push(w);
        expect(rl.tryAcquire()).toBe(true);
      }),
    );
    // Every third one gives up before its turn.
    for (let w = 2; w < 3000; w += 3) withdraws[w]();
    vi.advanceTimersByTime(2000);
    expect(woken).toEqual(Array.from({ length: 3000 }, (_, w) => w).filter((w) => w % 3 !== 2));
    expect(rl.state().waiting).toBe(0);
    // The queue keeps working after it was compacted.
    let late = false;
    drainNow(rl);
    rl.wait(() => (late = true));
    vi.advanceTimersByTime(1);
    expect(late).toBe(true);
  });
});

// The byte budget (bytesPerInterval) works like tokens: charged after the fact, a request is
// granted only while the balance is positive.
describe('bytesPerInterval', () => {
  it('refills at bytesPerInterval / intervalMs and refuses until the balance is positive', () => {
    const rl = defineRateLimit(fresh(), { bytesPerInterval: 1000, intervalMs: 1000 });
    expect(rl.state().bytes).toBe(1000);
    expect(rl.tryAcquire()).toBe(true);
    rl.chargeBytes(1600);
    expect(rl.state().bytes).toBe(-600);
    expect(rl.tryAcquire()).toBe(false);
    vi.advanceTimersByTime(600);
    expect(rl.tryAcquire()).toBe(false); // 0 is not positive
    vi.advanceTimersByTime(1);
    expect(rl.tryAcquire()).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(rl.state().bytes).toBe(1000); // capped
  });

  it('wakes a waiter when the byte balance turns positive', () => {
    const rl = defineRateLimit(fresh(), { bytesPerInterval: 100, intervalMs: 100 });
    rl.chargeBytes(150);
    let woken = -1;
    const t0 = performance.now();
    rl.wait(() => (woken = performance.now() - t0));
    vi.advanceTimersByTime(50);
    expect(woken).toBe(-1);
    vi.advanceTimersByTime(1);
    expect(woken).toBe(51);
  });

  it('combines with the other budgets, and is unlimited without it', () => {
    const both = defineRateLimit(fresh(), { requestsPerInterval: 10, bytesPerInterval: 10, intervalMs: 1000 });
    both.chargeBytes(20);
    expect(both.tryAcquire()).toBe(false);
    expect(both.state().requests).toBe(10);
    const plain = defineRateLimit(fresh(), { requestsPerInterval: 10 });
    plain.chargeBytes(1e12);
    expect(plain.state().bytes).toBe(Infinity);
    expect(plain.tryAcquire()).toBe(true);
    expect(() => defineRateLimit(fresh(), { bytesPerInterval: 0 })).toThrow(/Expected `rateLimits\.clock-limiter-\d+-\d+\.bytesPerInterval` to be a number > 0, got `0` \(number\)/);
  });
});
