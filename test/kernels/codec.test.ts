import fc from 'fast-check';
import { xxhash32, xxhash64 } from 'hash-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelSet } from '../../src/kernels/types.js';
import { bothBackends } from '../helpers/backends.js';

// TextEncoder/TextDecoder (the WHATWG reference, native) and hash-wasm (the xxHash reference
// build) are the oracles; both backends must equal them and each other.
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

let wasm: KernelSet;
let ts: KernelSet;
beforeAll(async () => {
  [wasm, ts] = await bothBackends();
});

const ref32 = async (b: Uint8Array, seed: number) => parseInt(await xxhash32(b, seed), 16) >>> 0;
const ref64 = async (b: Uint8Array, seed: bigint) =>
  BigInt(`0x${await xxhash64(b, Number(seed & 0xffffffffn), Number(seed >> 32n))}`);

function encode(k: KernelSet, s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3 + 2);
  const n = k.codec.utf8Encode(s, out, 2);
  return out.subarray(2, 2 + n);
}

describe.each(['wasm', 'ts'] as const)('codec kernels (%s)', (name) => {
  const k = () => (name === 'wasm' ? wasm : ts);

  it('encodes UTF-8 like TextEncoder, lone surrogates as U+FFFD', () => {
    for (const s of ['', 'a', 'task-0001 ok', 'é', '€', '😀', 'mixed ascii and ünïcødé 😀 text long enough for SIMD', '\ud800', 'a\udc00b', '\ud83d']) {
      expect([...encode(k(), s)]).toEqual([...encoder.encode(s)]);
    }
  });

  it('returns -1 when the output has no room', () => {
    expect(k().codec.utf8Encode('hello', new Uint8Array(4), 0)).toBe(-1);
    expect(k().codec.utf8Encode('€', new Uint8Array(3), 1)).toBe(-1);
    expect(k().codec.utf8Encode('€', new Uint8Array(3), 0)).toBe(3);
  });

  it('decodes UTF-8 like TextDecoder, including every kind of invalid sequence', () => {
    const cases = [
      [0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xef, 0xbb, 0xbf, 0x61],
      [0x80], [0xbf, 0x61], [0xc0, 0x80], [0xc1, 0xbf], [0xc2], [0xc2, 0x41], [0xe0, 0x80, 0x80], [0xe0, 0xa0],
      [0xed, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x90, 0x80], [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80], [0xff, 0xfe], [0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98],
    ];
    for (const c of cases) {
      const b = new Uint8Array([0x20, ...c, 0x20]);
      expect(k().codec.utf8Decode(b, 1, b.length - 1)).toBe(decoder.decode(b.subarray(1, b.length - 1)));
    }
    const long = encoder.encode('x'.repeat(5000) + 'é'.repeat(3000));
    expect(k().codec.utf8Decode(long, 0, long.length)).toBe('x'.repeat(5000) + 'é'.repeat(3000));
  });

  it('packs float32 big- and little-endian like DataView', () => {
    const src = new Float32Array([1.5, -0, NaN, Infinity, 3.4e38, 1e-45, 7]);
    for (const be of [true, false]) {
      const out = new Uint8Array(3 + src.length * 4);
      expect(k().codec.packFloat32(src, out, 3, be)).toBe(28);
      const view = new DataView(out.buffer, 3);
      src.forEach((x, i) => expect(Object.is(view.getFloat32(i * 4, !be), x)).toBe(true));
      const back = new Float32Array(src.length);
      k().codec.unpackFloat32(out, 3, be, back);
      expect(new Uint8Array(back.buffer)).toEqual(new Uint8Array(src.buffer));
    }
  });

  it('writes and reads LEB128 varints at the edges', () => {
    const values = new Uint32Array([0, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1]);
    const out = new Uint8Array(64);
    const n = k().codec.encodeVarints(values, out, 1);
    expect([...out.subarray(1, 5)]).toEqual([0, 0x7f, 0x80, 0x01]);
    expect([...out.subarray(n - 4, n + 1)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const back = new Uint32Array(values.length);
    expect(k().codec.decodeVarints(out, 1, 1 + n, back)).toBe(1 + n);
    expect(back).toEqual(values);
  });

  it('rejects truncated, over-long and too-large varints, and short outputs', () => {
    const out = new Uint32Array(1);
    expect(() => k().codec.decodeVarints(new Uint8Array([0x80, 0x80]), 0, 2, out)).toThrow(
      expect.objectContaining({ code: 'DECODE_INVALID', message: 'invalid MessagePack at byte 0: truncated varint (value 0 of 1)' }),
    );
    expect(() => k().codec.decodeVarints(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x1f]), 0, 6, new Uint32Array(2))).toThrow(
      'invalid MessagePack at byte 1: varint 1 does not fit in 32 bits',
    );
    expect(() => k().codec.encodeVarints(new Uint32Array([1, 300, 2 ** 31]), new Uint8Array(4), 1)).toThrow(
      expect.objectContaining({ code: 'BUFFER_TOO_SMALL', message: 'out is too small: needs 9, has 4' }),
    );
    expect(() => k().codec.packFloat32(new Float32Array(2), new Uint8Array(7), 0, true)).toThrow('out is too small: needs 8, has 7');
  });

  it('hashes with xxHash32 and xxHash64 exactly as the reference', async () => {
    expect(k().codec.xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(k().codec.xxh64(new Uint8Array(0))).toBe(0xef46db3751d8e999n);
    expect(k().codec.xxh64(encoder.encode('a'))).toBe(0xd24ec4f1a98c6e5bn);
    for (const len of [1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000]) {
      const b = new Uint8Array(len).map((_, i) => (i * 31 + 7) & 255);
      expect(k().codec.xxh32(b, 0x9e3779b1)).toBe(await ref32(b, 0x9e3779b1));
      expect(k().codec.xxh64(b, 0xfedcba9876543210n)).toBe(await ref64(b, 0xfedcba9876543210n));
    }
  });

  it('rejects bad arguments naming them', () => {
    expect(() => k().codec.xxh32('abc' as never)).toThrow('Expected `bytes` to be a Uint8Array, got `"abc"` (string)');
    expect(() => k().codec.xxh32(new Uint8Array(1), -1)).toThrow('Expected `seed` to be an integer in [0, 4294967295], got `-1` (number)');
    expect(() => k().codec.xxh64(new Uint8Array(1), 1 as never)).toThrow('Expected `seed` to be a bigint in [0, 2^64), got `1` (number)');
    expect(() => k().codec.utf8Decode(new Uint8Array(2), 1, 3)).toThrow('Expected `end` to be an integer in [1, 2], got `3` (number)');
    expect(() => k().codec.utf8Encode('a', new Uint8Array(2), 5)).toThrow('Expected `offset` to be an integer in [0, 2], got `5` (number)');
  });
});

describe('codec kernels: WASM and TS agree with each other and the references', () => {
  const strings = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ unit: 'binary-ascii', maxLength: 300 }));

  it('utf8Encode on random strings (with lone surrogates)', () => {
    fc.assert(
      fc.property(strings, fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 4 }), (s, sur) => {
        const str = s + sur + s;
        const expected = [...encoder.encode(str)];
        expect([...encode(wasm, str)]).toEqual(expected);
        expect([...encode(ts, str)]).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('utf8Decode on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), strings, (noise, s) => {
        const b = new Uint8Array([...encoder.encode(s), ...noise, ...encoder.encode(s)]);
        const expected = decoder.decode(b);
        expect(wasm.codec.utf8Decode(b, 0, b.length)).toBe(expected);
        expect(ts.codec.utf8Decode(b, 0, b.length)).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('float32 pack/unpack bit-exact, varints round-trip, hashes equal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.float32Array({ maxLength: 200 }), fc.uint32Array({ maxLength: 200 }), fc.boolean(), async (f, u, be) => {
        const [o1, o2] = [new Uint8Array(f.length * 4), new Uint8Array(f.length * 4)];
        wasm.codec.packFloat32(f, o1, 0, be);
        ts.codec.packFloat32(f, o2, 0, be);
        expect(o1).toEqual(o2);
        const back = new Float32Array(f.length);
        wasm.codec.unpackFloat32(o2, 0, be, back);
        expect(new Uint8Array(back.buffer)).toEqual(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
        const [v1, v2] = [new Uint8Array(u.length * 5), new Uint8Array(u.length * 5)];
        const n = wasm.codec.encodeVarints(u, v1, 0);
        expect(ts.codec.encodeVarints(u, v2, 0)).toBe(n);
        expect(v1).toEqual(v2);
        const d = new Uint32Array(u.length);
        expect(ts.codec.decodeVarints(v1, 0, n, d)).toBe(n);
        expect(d).toEqual(u);
        const bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
        expect(wasm.codec.xxh32(bytes)).toBe(await ref32(bytes, 0));
        expect(ts.codec.xxh32(bytes)).toBe(wasm.codec.xxh32(bytes));
        expect(ts.codec.xxh64(bytes, 42n)).toBe(wasm.codec.xxh64(bytes, 42n));
        expect(wasm.codec.xxh64(bytes, 42n)).toBe(await ref64(bytes, 42n));
      }),
      { numRuns: 200 },
    );
  });
});
