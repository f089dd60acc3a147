import { describe, expect, it } from 'vitest';
import { defineRateLimit, getRateLimiter } from '../../src/scheduler/rate-limiter.js';

let k = 0;
const fresh = (): string => `limiter-${process.pid}-${++k}`;

describe('rate limiters', () => {
  it('grant requests while the budget lasts, then refuse', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 2, intervalMs: 60_000 });
    expect(rl.tryAcquire()).toBe(true);
    expect(rl.tryAcquire()).toBe(true);
    expect(rl.tryAcquire()).toBe(false);
    expect(rl.state().requests).toBeLessThan(1);
  });

  it('are process-wide by name, and redefining keeps one limiter', () => {
    const name = fresh();
    const a = defineRateLimit(name, { requestsPerInterval: 5 });
    expect(getRateLimiter(name)).toBe(a);
    expect(defineRateLimit(name, { requestsPerInterval: 1 })).toBe(a);
    expect(a.tryAcquire()).toBe(true);
    expect(a.tryAcquire()).toBe(false);
  });

  it('refuse while the token balance is not positive', () => {
    const rl = defineRateLimit(fresh(), { tokensPerInterval: 100, intervalMs: 60_000 });
    expect(rl.tryAcquire()).toBe(true);
    rl.charge(150);
    expect(rl.state().tokens).toBeLessThan(0);
    expect(rl.tryAcquire()).toBe(false);
  });

  it('hold every request during a pause, and wake waiters when budget returns', async () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 100, intervalMs: 1000 });
    rl.pause(30);
    expect(rl.tryAcquire()).toBe(false);
    expect(rl.state().pausedUntil).toBeGreaterThan(Date.now() - 1);
    await new Promise<void>((resolve) => rl.wait(resolve));
    expect(rl.tryAcquire()).toBe(true);
    expect(rl.state().waiting).toBe(0);
  });

  it('wake waiters on the new rates when redefined', async () => {
    const name = fresh();
    const rl = defineRateLimit(name, { requestsPerInterval: 1, intervalMs: 600_000 });
    expect(rl.tryAcquire()).toBe(true);
    const woken = new Promise<void>((resolve) => rl.wait(resolve));
    // Without re-arming, the waiter would sleep the old interval's ten minutes.
    defineRateLimit(name, { requestsPerInterval: 1000, intervalMs: 1000 });
    await woken;
    expect(rl.tryAcquire()).toBe(true);
  });

  it('withdrawn waiters are not woken and do not count as waiting', () => {
    const rl = defineRateLimit(fresh(), { requestsPerInterval: 1, intervalMs: 600_000 });
    rl.tryAcquire();
    const withdraw = rl.wait(() => {
      throw new Error('a withdrawn waiter was woken');
    });
    expect(rl.state().waiting).toBe(1);
    withdraw();
    withdraw();
    expect(rl.state().waiting).toBe(0);
  });

  it('reject bad options with messages naming them', () => {
    expect(() => defineRateLimit('', { requestsPerInterval: 1 })).toThrow('Expected `name` to be a non-empty string, got `""` (string)');
    expect(() => defineRateLimit(fresh(), {})).toThrow(/set `requestsPerInterval`, `tokensPerInterval` or `bytesPerInterval`/);
    expect(() => defineRateLimit('x', { requestsPerInterval: 0 })).toThrow('Expected `rateLimits.x.requestsPerInterval` to be a number > 0, got `0` (number)');
    expect(() => defineRateLimit('y', { requestsPerInterval: 1, intervalMs: -1 })).toThrow('Expected `rateLimits.y.intervalMs` to be a finite number > 0, got `-1` (number)');
  });

  it('reject every kind of bad value, and accept the smallest good ones', () => {
    expect(() => defineRateLimit(5 as never, { requestsPerInterval: 1 })).toThrow('Expected `name` to be a non-empty string, got `5` (number)');
    expect(() => defineRateLimit('n', null as never)).toThrow(TypeError);
    expect(() => defineRateLimit('n', null as never)).toThrow('Expected `rateLimits.n` to be an options object, got `null`');
    expect(() => defineRateLimit('n', 'fast' as never)).toThrow('Expected `rateLimits.n` to be an options object');
    for (const intervalMs of [0, Infinity, Number.NaN, '1000']) {
      expect(() => defineRateLimit('n', { requestsPerInterval: 1, intervalMs: intervalMs as number })).toThrow(/^Expected `rateLimits\.n\.intervalMs` to be a finite number > 0, got /);
    }
    for (const bad of [0, -1, Number.NaN, '3']) {
      expect(() => defineRateLimit('n', { tokensPerInterval: bad as number })).toThrow(/^Expected `rateLimits\.n\.tokensPerInterval` to be a number > 0, got /);
      expect(() => defineRateLimit('n', { requestsPerInterval: bad as number })).toThrow(RangeError);
    }
    expect(() => defineRateLimit('n', { intervalMs: 5 })).toThrow('Expected `rateLimits.n` to set `requestsPerInterval`, `tokensPerInterval` or `bytesPerInterval`, got none');
    expect(defineRateLimit(fresh(), { requestsPerInterval: 0.001, intervalMs: Number.MIN_VALUE }).tryAcquire()).toBe(true);
    expect(defineRateLimit(fresh(), { tokensPerInterval: 0.5 }).tryAcquire()).toBe(true);
  });

  it('report their state: name, balances, waiters', () => {
    const name = fresh();
    const rl = defineRateLimit(name, { requestsPerInterval: 3, tokensPerInterval: 10, intervalMs: 600_000 });
    rl.tryAcquire();
    rl.charge(4);
    const s = rl.state();
    expect(s.name).toBe(name);
    expect(s.requests).toBeCloseTo(2, 3);
    expect(s.tokens).toBeCloseTo(6, 3);
    expect(s.pausedUntil).toBe(0);
    expect(s.waiting).toBe(0);
  });
});
