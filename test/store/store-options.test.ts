import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_OPTIONS, resolveStoreOptions } from '../../src/store/store-options.js';

describe('resolveStoreOptions', () => {
  it('applies the documented defaults and freezes the result', () => {
    const o = resolveStoreOptions({ path: 'x.db' });
    expect(o).toEqual({ ...DEFAULT_STORE_OPTIONS, path: 'x.db', retention: {} });
    expect(o).toMatchObject({ leaseTimeoutMs: 10_000, busyTimeoutMs: 5000, synchronous: 'normal', inlineBytes: 1024, events: true, readonly: false });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.retention)).toBe(true);
  });

  it('undefined options fall back to their defaults', () => {
    expect(resolveStoreOptions({ path: 'x.db', leaseTimeoutMs: undefined }).leaseTimeoutMs).toBe(10_000);
  });

  it.each([
    [{ path: '' }, 'Expected `path` to be a non-empty file path, got `""` (string)'],
    [{ path: ':memory:' }, 'Expected `path` to be a file path (a durable store needs a file, not `:memory:`), got `":memory:"` (string)'],
    [{ path: 'a', leaseTimeoutMs: 0 }, 'Expected `leaseTimeoutMs` to be an integer >= 1, got `0` (number)'],
    [{ path: 'a', busyTimeoutMs: 1.5 }, 'Expected `busyTimeoutMs` to be an integer >= 0, got `1.5` (number)'],
    [{ path: 'a', synchronous: 'off' }, "Expected `synchronous` to be one of 'normal', 'full', got `\"off\"` (string)"],
    [{ path: 'a', inlineBytes: -1 }, 'Expected `inlineBytes` to be an integer >= 0, got `-1` (number)'],
    [{ path: 'a', events: 'yes' }, 'Expected `events` to be a boolean, got `"yes"` (string)'],
    [{ path: 'a', readonly: 1 }, 'Expected `readonly` to be a boolean, got `1` (number)'],
    [{ path: 'a', retention: null }, 'Expected `retention` to be an object, got `null` (null)'],
    [{ path: 'a', retention: { maxRuns: -2 } }, 'Expected `retention.maxRuns` to be an integer >= 0, got `-2` (number)'],
    [{ path: 'a', retention: { maxAgeMs: '1d' } }, 'Expected `retention.maxAgeMs` to be an integer >= 0, got `"1d"` (string)'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveStoreOptions(options as never)).toThrow(message);
  });

  it('rejects a missing options object', () => {
    expect(() => resolveStoreOptions(undefined as never)).toThrow('Expected `options` to be an object with a `path`, got `undefined` (undefined)');
  });
});
