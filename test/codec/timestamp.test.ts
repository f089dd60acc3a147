import { decode as mpDecode, encode as mpEncode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { MsgpackExt } from '../../src/codec/ext.js';
import { createCodec } from '../../src/codec/index.js';
import { MAX_TIMESTAMP_BYTES, readTimestamp, timestampProblem, writeTimestamp } from '../../src/codec/timestamp.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const codec = createCodec({ kernels: createTsKernels().codec });
const hex = (v: unknown) => Buffer.from(codec.encode(v)).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const packr = new Packr({ moreTypes: true });

// [ms since the epoch, the bytes of the smallest form]
const FORMS: [number, string][] = [
  [0, 'd6ff 00000000'],
  [1000, 'd6ff 00000001'],
  [(2 ** 32 - 1) * 1000, 'd6ff ffffffff'], // last 32-bit second
  [1, 'd7ff 003d0900 00000000'], // 1e6 ns << 2
  [1500, 'd7ff 77359400 00000001'], // 5e8 ns << 2 | second 1
  [2 ** 32 * 1000, 'd7ff 00000001 00000000'], // first second past 32 bits: 64-bit form
  [(2 ** 34 - 1) * 1000 + 999, 'd7ff ee2e1f03 ffffffff'], // 999e6 ns << 2 | 3: the last 34-bit second
  [2 ** 34 * 1000, 'c70cff 00000000 00000004 00000000'], // first second past 34 bits: 96-bit form
  [-1, 'c70cff 3b8b87c0 ffffffff ffffffff'], // -1 s + 999e6 ns
  [-1000, 'c70cff 00000000 ffffffff ffffffff'],
  [-(2 ** 32) * 1000 - 1, 'c70cff 3b8b87c0 fffffffe ffffffff'],
  [8.64e15, 'c70cff 00000000 000007db a8218000'], // Date's upper limit
  [-8.64e15, 'c70cff 00000000 fffff824 57de8000'], // and its lower one
];

describe('timestamp extension (type -1)', () => {
  it.each(FORMS)('Date(%d) in its smallest form, and back', (ms, bytes) => {
    const expected = bytes.replace(/\s/g, '');
    expect(hex(new Date(ms))).toBe(expected);
    expect(codec.decode(fromHex(expected))).toEqual(new Date(ms));
    // @msgpack/msgpack picks the same forms and reads ours back.
    expect(Buffer.from(mpEncode(new Date(ms))).toString('hex')).toBe(expected);
    expect(mpDecode(fromHex(expected))).toEqual(new Date(ms));
    // msgpackr writes some in a larger form; both sides read each other.
    expect(packr.unpack(fromHex(expected))).toEqual(new Date(ms));
    expect(codec.decode(packr.pack(new Date(ms)))).toEqual(new Date(ms));
  });

  it('reads nanoseconds, truncated to milliseconds towards the past', () => {
    expect(codec.decode(fromHex('d7ff 00000004 00000000'))).toEqual(new Date(0)); // 1 ns
    expect(codec.decode(fromHex('d7ff 007a11fc 00000000'))).toEqual(new Date(1)); // 1_999_999 ns
    expect(codec.decode(fromHex('c70cff 3b9ac9ff 00000000 00000001'))).toEqual(new Date(1999)); // 999_999_999 ns
    expect(codec.decode(fromHex('c70cff 0007a120 ffffffff ffffffff'))).toEqual(new Date(-1000)); // -1 s + 500 µs
    expect(codec.decode(fromHex('c70cff 00000000 00000000 00000005'))).toEqual(new Date(5000)); // 96-bit, small second
  });

  it('keeps an instant beyond Date range as a MsgpackExt, written back unchanged', () => {
    for (const h of ['c70cff 00000000 000007db a8218001', 'c70cff 00000000 fffff824 57de7fff', 'c70cff 00000000 7fffffff ffffffff', 'c70cff 00000000 80000000 00000000']) {
      const value = codec.decode(fromHex(h)) as MsgpackExt;
      expect(value).toBeInstanceOf(MsgpackExt);
      expect(value.type).toBe(-1);
      expect(Buffer.from(codec.encode(value)).toString('hex')).toBe(h.replace(/\s/g, ''));
    }
  });

  it('rejects nanoseconds above 999999999 and payloads of other sizes', () => {
    const view = (h: string) => new DataView(fromHex(h).buffer);
    expect(timestampProblem(view('ee6b2800 00000000'), 0, 8)).toBe('timestamp nanoseconds 1000000000 > 999999999');
    expect(timestampProblem(view('3b9aca00 00000000 00000000'), 0, 12)).toBe('timestamp nanoseconds 1000000000 > 999999999');
    expect(timestampProblem(view('00'), 0, 1)).toBe('timestamp payload of 1 bytes (expected 4, 8 or 12)');
    expect(timestampProblem(view('ee6b27fc 00000000'), 0, 8)).toBeUndefined();
    expect(() => codec.decode(fromHex('c70cff 3b9aca00 00000000 00000000'))).toThrow(
      expect.objectContaining({ code: 'DECODE_INVALID', offset: 0, message: 'invalid MessagePack at byte 0: timestamp nanoseconds 1000000000 > 999999999' }),
    );
    expect(() => codec.decode(fromHex('91 d5ff 0000'))).toThrow('invalid MessagePack at byte 1: timestamp payload of 2 bytes (expected 4, 8 or 12)');
  });

  it('writeTimestamp and readTimestamp are inverse for every Date (property)', () => {
    const bytes = new Uint8Array(MAX_TIMESTAMP_BYTES + 3);
    const view = new DataView(bytes.buffer);
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 0, max: 3 }), (ms, at) => {
        const end = writeTimestamp(bytes, view, at, ms);
        const n = end - at;
        expect([6, 10, 15]).toContain(n);
        const payload = n === 15 ? at + 3 : at + 2;
        expect(bytes[payload - 1]).toBe(0xff);
        expect(timestampProblem(view, payload, end - payload)).toBeUndefined();
        expect(readTimestamp(view, payload, end - payload)?.getTime()).toBe(ms);
        // The smallest form: 32-bit for whole seconds in [0, 2^32), 64-bit for seconds in [0, 2^34).
        const sec = Math.floor(ms / 1000);
        expect(n).toBe(sec >= 0 && sec < 2 ** 32 && ms % 1000 === 0 ? 6 : sec >= 0 && sec < 2 ** 34 ? 10 : 15);
      }),
      { numRuns: 2000 },
    );
  });
});
