import { describe, expect, it } from 'vitest';
import { Unsupported, describeValue, mapSegment, propertySegment } from '../../src/codec/unsupported.js';

describe('unsupported values: messages and paths', () => {
  it('describes each kind of value', () => {
    expect(describeValue(() => 0)).toBe('a function');
    expect(describeValue(function named() {})).toBe('a function (named)');
    expect(describeValue(Symbol())).toBe('a symbol (undefined)');
    expect(describeValue(2n ** 64n)).toBe('the bigint 18446744073709551616 (outside the int 64 / uint 64 range)');
    expect(describeValue(new Date(NaN))).toBe('an invalid Date');
    expect(describeValue(new (class Job {})())).toBe('an instance of Job (register an extension for it)');
    expect(describeValue(Object.create(Object.create(null)))).toBe('an instance of an unknown class (register an extension for it)');
  });

  it('formats path segments', () => {
    expect(propertySegment('a_1$')).toBe('.a_1$');
    expect(propertySegment('1a')).toBe('["1a"]');
    expect(propertySegment('a.b')).toBe('["a.b"]');
    expect(propertySegment('')).toBe('[""]');
    expect(mapSegment('k')).toBe('.get("k")');
    expect(mapSegment(1)).toBe('.get(1)');
  });

  it('builds the error from the root, cut where a cycle closes', () => {
    const u = new Unsupported('a function');
    u.path.push('[2]', '.b', '.a');
    expect(u.toError()).toMatchObject({ code: 'ENCODE_UNSUPPORTED', message: 'cannot encode a function at $.a.b[2]' });
    const cycle = new Unsupported('a circular reference', 1);
    cycle.path.push('.x', '.self');
    expect(cycle.toError().message).toBe('cannot encode a circular reference at $.self');
  });
});
