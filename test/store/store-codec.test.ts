import { describe, expect, it } from 'vitest';
import { TaskTimeoutError, isWeftError } from '../../src/errors.js';
import { decodeValue, encodeValue } from '../../src/store/store-codec.js';

describe('store codec', () => {
  it('round-trips plain values through weft MessagePack', () => {
    const value = { a: [1, 2.5, 'x', null, true], when: new Date(5), bytes: new Uint8Array([1, 2]), nested: { u: undefined } };
    expect(decodeValue(encodeValue(value))).toEqual(value);
  });

  it('round-trips errors: name, message, code, own fields, stack and the cause chain', () => {
    const root = new RangeError('root');
    const mid = Object.assign(new TaskTimeoutError('fetch', 30), { cause: root });
    const top = Object.assign(new Error('top', { cause: mid }), { status: 503, at: new Date(9) });
    const back = decodeValue(encodeValue(top)) as Error & { status: number; at: Date; cause: Error & { cause: Error } };
    expect(back).toBeInstanceOf(Error);
    expect([back.name, back.message, back.status, back.stack]).toEqual(['Error', 'top', 503, top.stack]);
    expect(back.at).toEqual(new Date(9));
    expect(isWeftError(back.cause, 'TASK_TIMEOUT')).toBe(true);
    expect(back.cause).toMatchObject({ name: 'TaskTimeoutError', taskId: 'fetch', timeoutMs: 30 });
    expect(back.cause.cause).toBeInstanceOf(RangeError);
  });

  it('keeps an error whose field cannot be encoded, with that field as a string', () => {
    const error = Object.assign(new Error('odd'), { handler: function onRetry() {} });
    const back = decodeValue(encodeValue(error)) as { handler: unknown };
    expect(typeof back.handler).toBe('string');
    expect(back.handler).toContain('onRetry');
  });

  it('cuts a cycle of causes instead of recursing forever', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let depth = 0;
    for (let e = decodeValue(encodeValue(a)) as { cause?: unknown } | undefined; e !== undefined; e = e.cause as { cause?: unknown } | undefined) depth++;
    expect(depth).toBeGreaterThan(2);
    expect(depth).toBeLessThan(40);
  });

  it('refuses functions outside errors (ENCODE_UNSUPPORTED)', () => {
    expect(() => encodeValue({ run: () => 1 })).toThrow(expect.objectContaining({ code: 'ENCODE_UNSUPPORTED' }));
  });
});
