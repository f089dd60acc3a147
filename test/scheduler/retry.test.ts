import { describe, expect, it } from 'vitest';
import { NonRetryableError, TaskCancelledError } from '../../src/errors.js';
import { defaultRetryOn, NO_RETRY, resolveRetry, retryDelay, shouldRetry } from '../../src/scheduler/retry.js';

describe('retry policy', () => {
  it('fills defaults and validates with named options', () => {
    expect(resolveRetry(undefined, 'retry')).toBe(NO_RETRY);
    const p = resolveRetry({}, 'retry');
    expect(p).toMatchObject({ maxAttempts: 3, initialDelayMs: 200, factor: 2, maxDelayMs: 30000, jitter: 0.5 });
    expect(() => resolveRetry({ maxAttempts: 0 }, 'retry')).toThrow('Expected `retry.maxAttempts` to be an integer in [1, 1000], got `0` (number)');
    expect(() => resolveRetry({ jitter: 2 }, 'retry')).toThrow('Expected `retry.jitter` to be a number in [0, 1], got `2` (number)');
    expect(() => resolveRetry({ factor: 0.5 }, 'retry')).toThrow(RangeError);
    expect(() => resolveRetry({ retryOn: 3 as never }, 'retry')).toThrow('Expected `retry.retryOn` to be a function');
    expect(() => resolveRetry(5 as never, 'retry')).toThrow(TypeError);
  });

  it('backs off exponentially up to maxDelayMs, jitter taking off at most its fraction', () => {
    const p = resolveRetry({ initialDelayMs: 100, factor: 3, maxDelayMs: 1000, jitter: 0.5 }, 'retry');
    expect([1, 2, 3, 4].map((a) => retryDelay(p, a, () => 0))).toEqual([100, 300, 900, 1000]);
    expect(retryDelay(p, 1, () => 1)).toBe(50);
    expect(retryDelay(p, 2, () => 0.5)).toBe(225);
  });

  it('never retries non-retryable errors, cancellations, or past maxAttempts', () => {
    const p = resolveRetry({ maxAttempts: 3, retryOn: () => true }, 'retry');
    expect(shouldRetry(p, new Error('x'), 1)).toBe(true);
    expect(shouldRetry(p, new Error('x'), 3)).toBe(false);
    expect(shouldRetry(p, new NonRetryableError('no'), 1)).toBe(false);
    expect(shouldRetry(p, new TaskCancelledError('t', 'stop'), 1)).toBe(false);
  });

  it('default retryOn: not programming errors nor HTTP 4xx other than 408/409/429', () => {
    expect(defaultRetryOn(new Error('network'))).toBe(true);
    expect(defaultRetryOn(new TypeError('bug'))).toBe(false);
    expect(defaultRetryOn(Object.assign(new Error('bad request'), { status: 400 }))).toBe(false);
    expect(defaultRetryOn(Object.assign(new Error('slow down'), { status: 429 }))).toBe(true);
    expect(defaultRetryOn(Object.assign(new Error('server'), { status: 503 }))).toBe(true);
  });

  it('default retryOn: the 4xx boundaries and the transient exceptions', () => {
    const status = (n: number) => Object.assign(new Error(`HTTP ${n}`), { status: n });
    expect([399, 400, 403, 404, 408, 409, 429, 499, 500, 502].map((n) => defaultRetryOn(status(n)))).toEqual([true, false, false, false, true, true, true, false, true, true]);
    expect(defaultRetryOn(Object.assign(new Error('x'), { status: '404' }))).toBe(true);
    expect(defaultRetryOn(new RangeError('r'))).toBe(false);
    expect(defaultRetryOn(new SyntaxError('s'))).toBe(false);
    expect(defaultRetryOn(new ReferenceError('f'))).toBe(false);
    expect(defaultRetryOn(null)).toBe(true);
    expect(defaultRetryOn('a string')).toBe(true);
  });

  it('validates each numeric option by name, type and range', () => {
    const cases: [string, unknown, string][] = [
      ['initialDelayMs', -1, 'Expected `r.initialDelayMs` to be a number >= 0, got `-1` (number)'],
      ['initialDelayMs', '5', 'Expected `r.initialDelayMs` to be a number >= 0, got `"5"` (string)'],
      ['maxDelayMs', Number.NaN, 'Expected `r.maxDelayMs` to be a number >= 0, got `NaN` (number)'],
      ['factor', 0.5, 'Expected `r.factor` to be a number >= 1, got `0.5` (number)'],
      ['jitter', -0.1, 'Expected `r.jitter` to be a number in [0, 1], got `-0.1` (number)'],
    ];
    for (const [key, value, message] of cases) {
      expect(() => resolveRetry({ [key]: value }, 'r')).toThrow(RangeError);
      expect(() => resolveRetry({ [key]: value }, 'r')).toThrow(message);
    }
    expect(() => resolveRetry(null as never, 'r')).toThrow('Expected `r` to be a retry policy object, got `null`');
    // The bounds themselves are allowed.
    expect(resolveRetry({ initialDelayMs: 0, maxDelayMs: 0, factor: 1, jitter: 1, maxAttempts: 1000 }, 'r')).toMatchObject({ initialDelayMs: 0, factor: 1, jitter: 1, maxAttempts: 1000 });
    expect(Object.isFrozen(resolveRetry({}, 'r'))).toBe(true);
  });

  it('shouldRetry passes the error and attempt to retryOn, and only an explicit false stops', () => {
    const seen: unknown[] = [];
    const error = new Error('e');
    const p = resolveRetry({ maxAttempts: 5, retryOn: (e, a) => (seen.push(e, a), a === 2 ? false : (undefined as never)) }, 'r');
    expect(shouldRetry(p, error, 1)).toBe(true);
    expect(shouldRetry(p, error, 2)).toBe(false);
    expect(seen).toEqual([error, 1, error, 2]);
    expect(shouldRetry(NO_RETRY, error, 1)).toBe(false);
  });
});
