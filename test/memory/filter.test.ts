import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { checkFilter, checkMetadata, encodeValue, matchesFilter, tagsOf } from '../../src/memory/filter.js';

describe('memory filters', () => {
  it('accepts flat objects of scalars', () => {
    expect(checkFilter({ a: 1, b: 'x', c: true, d: null })).toEqual({ a: 1, b: 'x', c: true, d: null });
    expect(checkFilter({})).toEqual({});
  });

  it.each([
    [[1], 'invalid memory filter: expected a plain object of metadata equalities, got `[1]` (array)'],
    ['x', 'invalid memory filter: expected a plain object of metadata equalities, got `"x"` (string)'],
    [{ a: { $gt: 1 } }, 'invalid memory filter: `a` must be a string, a finite number, a boolean or null, got `{"$gt":1}` (object)'],
    [{ a: Number.NaN }, 'invalid memory filter: `a` must be a string, a finite number, a boolean or null, got `NaN` (number)'],
    [{ '': 1 }, 'invalid memory filter: an empty key'],
  ])('rejects %j with INVALID_FILTER', (filter, message) => {
    let caught: unknown;
    try {
      checkFilter(filter);
    } catch (error) {
      caught = error;
    }
    expect(isWeftError(caught, 'INVALID_FILTER')).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  it('keeps types distinct: 1, "1" and true are different values', () => {
    expect(new Set([encodeValue(1), encodeValue('1'), encodeValue(true)]).size).toBe(3);
    expect(matchesFilter({ a: 1 }, { a: '1' })).toBe(false);
    expect(matchesFilter({ a: 1, b: 'x' }, { a: 1 })).toBe(true);
    expect(matchesFilter({ a: 1 }, { a: 1, b: null })).toBe(false);
  });

  it('indexes only top-level scalars', () => {
    expect(tagsOf({ a: 1, b: { c: 2 }, d: [1], e: null })).toEqual([
      ['a', '1'],
      ['e', 'null'],
    ]);
  });

  it('requires metadata to be a plain object', () => {
    expect(() => checkMetadata([1])).toThrow(new TypeError('Expected `metadata` to be a plain object, got `[1]` (array)'));
  });
});
