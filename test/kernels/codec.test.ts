import fc from 'fast-check';
import { xxhash32, xxhash64 } from 'hash-wasm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadWeftModule } from '../../src/kernels/index.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';
import type { CodecKernels } from '../../src/kernels/types.js';
import { createWasmCodecKernels } from '../../src/kernels/wasm/codec.js';
import { createWasmKernels } from '../../src/kernels/wasm/index.js';
import { instantiateWeft } from '../../src/kernels/wasm/load.js';
import { WasmArena } from '../../src/kernels/wasm/memory.js';

// Oracles: TextEncoder/TextDecoder (WHATWG UTF-8, native), DataView (float32 byte order) and
// hash-wasm (the xxHash reference C, compiled). Both backends must equal them and each other.
const encoder = new TextEncoder();
// The kernels keep a BOM, as TextDecoder does with `ignoreBOM: true`.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

let wasm: CodecKernels;
let ts: CodecKernels;
beforeAll(async () => {
  wasm = (await createWasmKernels(await loadWeftModule())).codec;
  ts = createTsKernels().codec;
});
const backends = [['wasm', () => wasm], ['ts', () => ts]] as const;

const ref32 = async (b: Uint8Array, seed: number) => parseInt(await xxhash32(b, seed), 16);
const ref64 = async (b: Uint8Array, seed: bigint) =>
  BigInt(`0x${await xxhash64(b, Number(seed & 0xffffffffn), Number(seed >> 32n))}`);

// The official vectors (xxHash's cli/xsum_sanity_check.c) hash prefixes of this buffer.
const PRIME32 = 2654435761;
function sanityBuffer(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let gen = BigInt(PRIME32);
  for (let i = 0; i < length; i++) {
    out[i] = Number(gen >> 56n);
    gen = (gen * 11400714785074694797n) & 0xffffffffffffffffn;
  }
  return out;
}
const XXH32_VECTORS: [number, number, number][] = [
  [0, 0, 0x02cc5d05], [0, PRIME32, 0x36b78ae7], [1, 0, 0xcf65b03e], [1, PRIME32, 0xb4545aa4],
  [14, 0, 0x1208e7e2], [14, PRIME32, 0x6af1d1fe], [222, 0, 0x5bd11dbd], [222, PRIME32, 0x58803c5f],
];
const XXH64_VECTORS: [number, number, bigint][] = [
  [0, 0, 0xef46db3751d8e999n], [0, PRIME32, 0xac75fda2929b17efn], [1, 0, 0xe934a84adb052768n],
  [1, PRIME32, 0x5014607643a9b4c3n], [4, 0, 0x9136a0dca57457een], [14, 0, 0x8282dcc4994e35c8n],
  [14, PRIME32, 0xc3bd6bf63deb6df0n], [222, 0, 0xb641ae8cb691c174n], [222, PRIME32, 0x20cb8ab7ae10c14an],
];

// Every kind of ill-formed UTF-8 (Unicode §3.9 "maximal subpart" cases), each with the
// reference decoding spelled out in the test by TextDecoder.
const INVALID_UTF8: number[][] = [
  [0x80], [0xbf, 0x61], [0x80, 0x80, 0x80], // lone continuation bytes
  [0xc0, 0x80], [0xc1, 0xbf], // overlong 2-byte leads
  [0xc2], [0xc2, 0x41], [0xdf, 0xc2, 0xa9], // truncated 2-byte
  [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xe0, 0xa0], [0xe1, 0x80], [0xef, 0xbf, 0x41], // overlong, truncated 3-byte
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xed, 0x9f, 0xbf], // surrogates (ED 9F BF is valid: U+D7FF)
  [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xf0, 0x90, 0x80], [0xf0, 0x9f, 0x98], // overlong, truncated 4-byte
  [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf5, 0x80, 0x80, 0x80], // above U+10FFFF (F4 8F BF BF is valid)
  [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80], [0xfe], [0xff, 0xfe], // never valid
  [0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98], [0xc3, 0xa9, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0], // mixtures
];

function encode(k: CodecKernels, s: string, offset = 3): number[] {
  const out = new Uint8Array(offset + s.length * 3);
  const n = k.utf8Encode(s, out, offset);
  return [...out.subarray(offset, offset + n)];
}

/** The big- or little-endian bytes of float32 bit patterns, built with DataView from the bits. */
function floatBytes(bits: Uint32Array, bigEndian: boolean): number[] {
  const view = new DataView(new ArrayBuffer(bits.length * 4));
  bits.forEach((b, i) => view.setUint32(i * 4, b, !bigEndian));
  return [...new Uint8Array(view.buffer)];
}

// Specials, including signalling NaNs (0x7f800001, 0xffbfffff): a float → double conversion
// would quiet them, so they prove the bits are moved, not the values.
const SPECIAL_BITS = [0x3fc00000, 0x80000000, 0x7fc00000, 0x7f800000, 0xff800000, 0x7f7fffff, 0x00000001, 0x7f800001, 0xffbfffff, 0x12345678];

describe.each(backends)('codec kernels (%s)', (_name, get) => {
  const k = () => get();

  it('encodes UTF-8 byte for byte like TextEncoder', () => {
    expect(encode(k(), 'A€é😀')).toEqual([0x41, 0xe2, 0x82, 0xac, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
    for (const s of ['', '\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff', '\u{10000}\u{10ffff}', '\ufeffbom', 'x'.repeat(1000)]) {
      expect(encode(k(), s)).toEqual([...encoder.encode(s)]);
    }
    // Runs of ASCII around the 16-unit SIMD steps, broken by 2-, 3- and 4-byte characters.
    for (const n of [1, 15, 16, 17, 31, 32, 33, 48, 100]) {
      const s = `${'x'.repeat(n)}é${'y'.repeat(n)}中${'z'.repeat(n)}😀${'w'.repeat(n)}`;
      expect(encode(k(), s)).toEqual([...encoder.encode(s)]);
    }
  });

  it('encodes lone surrogates as U+FFFD (EF BF BD), as TextEncoder does', () => {
    expect(encode(k(), '\ud800')).toEqual([0xef, 0xbf, 0xbd]);
    for (const s of ['\udc00', 'a\ud800b', '\udc00\ud800', '\ud800\ud800\udc00', 'end\ud83d', '\udbff\udfff', 'x'.repeat(40) + '\udfff']) {
      expect(encode(k(), s)).toEqual([...encoder.encode(s)]);
    }
  });

  it('returns -1 when out lacks room, and fills an exact fit', () => {
    expect(k().utf8Encode('hello', new Uint8Array(4), 0)).toBe(-1);
    expect(k().utf8Encode('€', new Uint8Array(3), 1)).toBe(-1);
    expect(k().utf8Encode('€', new Uint8Array(3), 0)).toBe(3);
    for (const s of ['a😀', 'x'.repeat(40) + '€', '€'.repeat(20), 'y'.repeat(100), '\ud800z']) {
      const bytes = encoder.encode(s);
      const exact = new Uint8Array(2 + bytes.length);
      expect(k().utf8Encode(s, exact, 2)).toBe(bytes.length);
      expect(exact.subarray(2)).toEqual(bytes);
      expect(k().utf8Encode(s, new Uint8Array(1 + bytes.length), 2)).toBe(-1);
    }
  });

  it('decodes every kind of invalid sequence like TextDecoder (one U+FFFD per maximal subpart)', () => {
    expect(k().utf8Decode(new Uint8Array([0xe2, 0x82, 0x41]), 0, 3)).toBe('\ufffdA');
    for (const c of INVALID_UTF8) {
      // Alone, and after ASCII runs that end just before, at and after a 16-byte SIMD step.
      for (const pad of [0, 1, 15, 16, 17, 40]) {
        const b = new Uint8Array([...encoder.encode('p'.repeat(pad)), ...c, 0x20]);
        expect(k().utf8Decode(b, 0, b.length)).toBe(decoder.decode(b));
      }
    }
  });

  it('keeps a BOM as U+FEFF (TextDecoder with ignoreBOM: true) in short and long strings', () => {
    expect(k().utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 0, 4)).toBe('\ufeffa');
    for (const s of ['\ufeff', `\ufeff${'a'.repeat(100)}`, `\ufeff${'é'.repeat(300)}`, 'x\ufeffy']) {
      const b = encoder.encode(s);
      expect(k().utf8Decode(b, 0, b.length)).toBe(s);
    }
  });

  it('decodes only bytes[start, end)', () => {
    const b = encoder.encode('héllo wörld, and some more text to pass sixteen bytes');
    expect(k().utf8Decode(b, 1, 3)).toBe('é');
    expect(k().utf8Decode(b, 2, 3)).toBe('\ufffd');
    expect(k().utf8Decode(b, 5, 5)).toBe('');
    expect(k().utf8Decode(b, 7, b.length - 4)).toBe(decoder.decode(b.subarray(7, b.length - 4)));
  });

  it('packs float32 bits big- and little-endian like DataView, at any offset', () => {
    for (const n of [0, 1, 3, 31, 32, 33, 384]) {
      const bits = new Uint32Array(n).map((_, i) => SPECIAL_BITS[i % SPECIAL_BITS.length] ^ (i >> 4));
      const src = new Float32Array(bits.buffer);
      for (const bigEndian of [true, false]) {
        for (const offset of [0, 1, 2, 3]) {
          const out = new Uint8Array(offset + n * 4 + 2).fill(0xee);
          expect(k().packFloat32(src, out, offset, bigEndian)).toBe(n * 4);
          expect([...out.subarray(offset, offset + n * 4)]).toEqual(floatBytes(bits, bigEndian));
          expect([...out.subarray(offset + n * 4)]).toEqual([0xee, 0xee]);
          const back = new Float32Array(n);
          k().unpackFloat32(out, offset, bigEndian, back);
          expect(new Uint32Array(back.buffer)).toEqual(bits);
        }
      }
    }
  });

  it('writes and reads LEB128 varints at the edges', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]], [127, [0x7f]], [128, [0x80, 0x01]], [16383, [0xff, 0x7f]], [16384, [0x80, 0x80, 0x01]],
      [2 ** 21 - 1, [0xff, 0xff, 0x7f]], [2 ** 28 - 1, [0xff, 0xff, 0xff, 0x7f]], [2 ** 28, [0x80, 0x80, 0x80, 0x80, 0x01]],
      [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [value, bytes] of cases) {
      const out = new Uint8Array(8);
      expect(k().encodeVarints(new Uint32Array([value]), out, 1)).toBe(bytes.length);
      expect([...out.subarray(1, 1 + bytes.length)]).toEqual(bytes);
      const back = new Uint32Array(1);
      expect(k().decodeVarints(out, 1, 1 + bytes.length, back)).toBe(1 + bytes.length);
      expect(back[0]).toBe(value);
    }
    // All of them in one buffer: the leading values take the 8-byte fast path, the last ones not.
    const values = new Uint32Array(cases.map(([v]) => v));
    const out = new Uint8Array(64);
    const n = k().encodeVarints(values, out, 0);
    expect([...out.subarray(0, n)]).toEqual(cases.flatMap(([, b]) => b));
    const back = new Uint32Array(values.length);
    expect(k().decodeVarints(out, 0, n, back)).toBe(n);
    expect(back).toEqual(values);
    // Over-long but in-range encodings are accepted, as LEB128 allows.
    expect(k().decodeVarints(new Uint8Array([0x80, 0x00, 0xff, 0x80, 0x80, 0x80, 0x00]), 0, 7, back.subarray(0, 2))).toBe(7);
    expect([...back.subarray(0, 2)]).toEqual([0, 127]);
  });

  it('rejects truncated and too-large varints with the offset and reason', () => {
    const reject = (bytes: number[], offset: number, count: number, message: string) =>
      expect(() => k().decodeVarints(new Uint8Array(bytes), offset, bytes.length, new Uint32Array(count))).toThrow(
        expect.objectContaining({ name: 'DecodeInvalidError', code: 'DECODE_INVALID', message }),
      );
    reject([0x80, 0x80], 0, 1, 'invalid MessagePack at byte 0: truncated varint (value 0 of 1)');
    reject([9, 1, 0x81], 1, 2, 'invalid MessagePack at byte 2: truncated varint (value 1 of 2)');
    reject([5], 0, 2, 'invalid MessagePack at byte 1: truncated varint (value 1 of 2)');
    reject([0xff, 0xff, 0xff, 0xff, 0x10], 0, 1, 'invalid MessagePack at byte 0: varint 0 does not fit in 32 bits');
    reject([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 0, 2, 'invalid MessagePack at byte 1: varint 1 does not fit in 32 bits');
    // With bytes to spare after the bad varint (the decoders' unchecked fast paths).
    reject([0xff, 0xff, 0xff, 0xff, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0], 0, 1, 'invalid MessagePack at byte 0: varint 0 does not fit in 32 bits');
  });

  it('throws typed errors for outputs that are too small and float input that is too short', () => {
    expect(() => k().encodeVarints(new Uint32Array([1, 300, 2 ** 31]), new Uint8Array(4), 1)).toThrow(
      expect.objectContaining({ code: 'BUFFER_TOO_SMALL', message: 'out is too small: needs 9, has 4' }),
    );
    expect(() => k().packFloat32(new Float32Array(2), new Uint8Array(10), 3, true)).toThrow(
      expect.objectContaining({ code: 'BUFFER_TOO_SMALL', message: 'out is too small: needs 11, has 10' }),
    );
    expect(() => k().unpackFloat32(new Uint8Array(7), 2, false, new Float32Array(2))).toThrow(
      expect.objectContaining({ code: 'DECODE_INVALID', message: 'invalid MessagePack at byte 2: needs 8 bytes of float32 data, has 5' }),
    );
  });

  it('hashes the official xxHash32/xxHash64 test vectors', () => {
    const buffer = sanityBuffer(222);
    for (const [len, seed, hash] of XXH32_VECTORS) expect(k().xxh32(buffer.subarray(0, len), seed)).toBe(hash);
    for (const [len, seed, hash] of XXH64_VECTORS) expect(k().xxh64(buffer.subarray(0, len), BigInt(seed))).toBe(hash);
    expect(k().xxh32(encoder.encode('a'))).toBe(0x550d7456);
    expect(k().xxh32(encoder.encode('abc'))).toBe(0x32d153ff);
    expect(k().xxh64(encoder.encode('a'))).toBe(0xd24ec4f1a98c6e5bn);
    expect(k().xxh64(encoder.encode('abc'))).toBe(0x44bc2cf5ad770999n);
  });

  it('hashes every tail length, unaligned input and extreme seeds as the reference does', async () => {
    const buffer = sanityBuffer(5000);
    const lengths = [...Array.from({ length: 70 }, (_, i) => i), 1023, 1024, 1025, 4099];
    for (const len of lengths) {
      const b = buffer.subarray(3, 3 + len);
      for (const seed of [0, 1, 0xffffffff]) expect(k().xxh32(b, seed)).toBe(await ref32(b, seed));
      for (const seed of [0n, 0xfedcba9876543210n, 2n ** 64n - 1n]) expect(k().xxh64(b, seed)).toBe(await ref64(b, seed));
    }
  });

  it('rejects bad arguments naming them', () => {
    const c = k();
    expect(() => c.utf8Encode(12 as never, new Uint8Array(4), 0)).toThrow(new TypeError('Expected `str` to be a string, got `12` (number)'));
    expect(() => c.utf8Encode('a', [] as never, 0)).toThrow(new TypeError('Expected `out` to be a Uint8Array, got `[]` (array)'));
    expect(() => c.utf8Encode('a', new Uint8Array(2), 5)).toThrow(new RangeError('Expected `offset` to be an integer in [0, 2], got `5` (number)'));
    expect(() => c.utf8Decode(new Uint8Array(2), 1, 3)).toThrow(new RangeError('Expected `end` to be an integer in [1, 2], got `3` (number)'));
    expect(() => c.utf8Decode(new Uint8Array(2), 0.5, 1)).toThrow(new RangeError('Expected `start` to be an integer in [0, 2], got `0.5` (number)'));
    expect(() => c.packFloat32(new Float64Array(1) as never, new Uint8Array(4), 0, true)).toThrow(
      new TypeError('Expected `src` to be a Float32Array, got `Float64Array(1)` (object)'),
    );
    expect(() => c.packFloat32(new Float32Array(1), new Uint8Array(4), 0, 1 as never)).toThrow(
      new TypeError('Expected `bigEndian` to be a boolean, got `1` (number)'),
    );
    expect(() => c.decodeVarints(new Uint8Array(4), 0, 4, new Int32Array(1) as never)).toThrow(
      new TypeError('Expected `out` to be a Uint32Array, got `Int32Array(1)` (object)'),
    );
    expect(() => c.decodeVarints(new Uint8Array(4), 5, 4, new Uint32Array(1))).toThrow(
      new RangeError('Expected `offset` to be an integer in [0, 4], got `5` (number)'),
    );
    expect(() => c.xxh32('abc' as never)).toThrow(new TypeError('Expected `bytes` to be a Uint8Array, got `"abc"` (string)'));
    expect(() => c.xxh32(new Uint8Array(1), -1)).toThrow(new RangeError('Expected `seed` to be an integer in [0, 4294967295], got `-1` (number)'));
    expect(() => c.xxh64(new Uint8Array(1), 1 as never)).toThrow(new TypeError('Expected `seed` to be a bigint in [0, 2^64), got `1` (number)'));
    expect(() => c.xxh64(new Uint8Array(1), -1n)).toThrow(new RangeError('Expected `seed` to be a bigint in [0, 2^64), got `-1n` (bigint)'));
  });
});

describe('codec kernels: WASM and TS agree with each other and the references', () => {
  // Lone surrogates included: 'binary' draws any code point, the extra arbitrary draws any unit.
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const strings = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.string({ unit: 'grapheme-composite', maxLength: 100 }),
    fc.string({ unit: 'binary-ascii', maxLength: 300 }),
    fc.string({ unit: anyUnit, maxLength: 100 }),
    fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), fc.string({ unit: anyUnit, maxLength: 3 })).map(([a, b]) => a + b + a),
  );

  it('utf8Encode equals TextEncoder, with room to spare, an exact fit, and one byte short', () => {
    fc.assert(
      fc.property(strings, (s) => {
        const expected = encoder.encode(s);
        expect(encode(wasm, s)).toEqual([...expected]);
        expect(encode(ts, s)).toEqual([...expected]);
        for (const k of [wasm, ts]) {
          expect(k.utf8Encode(s, new Uint8Array(expected.length), 0)).toBe(expected.length);
          if (expected.length > 0) expect(k.utf8Encode(s, new Uint8Array(expected.length - 1), 0)).toBe(-1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('utf8Decode equals TextDecoder on random bytes and ranges, and round-trips strings', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(strings, fc.uint8Array({ maxLength: 8 }), strings).map(([a, noise, b]) => new Uint8Array([...encoder.encode(a), ...noise, ...encoder.encode(b)])),
    );
    fc.assert(
      fc.property(bytes, fc.nat(), fc.nat(), (b, x, y) => {
        const start = b.length === 0 ? 0 : x % (b.length + 1);
        const end = start + (y % (b.length - start + 1));
        const expected = decoder.decode(b.subarray(start, end));
        expect(wasm.utf8Decode(b, start, end)).toBe(expected);
        expect(ts.utf8Decode(b, start, end)).toBe(expected);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(strings, (s) => {
        const b = encoder.encode(s);
        const expected = decoder.decode(b); // s with lone surrogates replaced
        expect(wasm.utf8Decode(b, 0, b.length)).toBe(expected);
        expect(ts.utf8Decode(b, 0, b.length)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('float32 pack/unpack move random bit patterns exactly, at random offsets', () => {
    fc.assert(
      fc.property(fc.uint32Array({ maxLength: 200 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), (bits, offset, bigEndian) => {
        const src = new Float32Array(bits.buffer, bits.byteOffset, bits.length);
        const expected = floatBytes(bits, bigEndian);
        for (const k of [wasm, ts]) {
          const out = new Uint8Array(offset + bits.length * 4);
          k.packFloat32(src, out, offset, bigEndian);
          expect([...out.subarray(offset)]).toEqual(expected);
          const back = new Float32Array(bits.length);
          k.unpackFloat32(out, offset, bigEndian, back);
          expect(new Uint32Array(back.buffer)).toEqual(bits);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('varints round-trip random u32s, and both backends treat random bytes alike', () => {
    const u32 = fc.oneof(fc.constantFrom(0, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1), fc.nat({ max: 2 ** 32 - 1 }));
    fc.assert(
      fc.property(fc.array(u32, { maxLength: 200 }), (list) => {
        const values = new Uint32Array(list);
        // Sentinels after the room: nothing past the returned length may change.
        const [a, b] = [new Uint8Array(values.length * 5 + 4).fill(0xee), new Uint8Array(values.length * 5 + 4).fill(0xee)];
        const n = wasm.encodeVarints(values, a, 0);
        expect(ts.encodeVarints(values, b, 0)).toBe(n);
        expect(a).toEqual(b);
        expect(a.subarray(n).every((x) => x === 0xee)).toBe(true);
        for (const k of [wasm, ts]) {
          const back = new Uint32Array(values.length);
          expect(k.decodeVarints(a, 0, n, back)).toBe(n);
          expect(back).toEqual(values);
        }
      }),
      { numRuns: 300 },
    );
    const outcome = (k: CodecKernels, bytes: Uint8Array, count: number) => {
      const out = new Uint32Array(count);
      try {
        return { next: k.decodeVarints(bytes, 0, bytes.length, out), out: [...out] };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 12 }), (bytes, count) => {
        expect(outcome(wasm, bytes, count)).toEqual(outcome(ts, bytes, count));
      }),
      { numRuns: 400 },
    );
  });

  it('xxh32 and xxh64 equal the reference on random bytes and seeds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 2 ** 32 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), async (b, s32, s64) => {
        const h32 = await ref32(b, s32);
        const h64 = await ref64(b, s64);
        expect(wasm.xxh32(b, s32)).toBe(h32);
        expect(ts.xxh32(b, s32)).toBe(h32);
        expect(wasm.xxh64(b, s64)).toBe(h64);
        expect(ts.xxh64(b, s64)).toBe(h64);
      }),
      { numRuns: 300 },
    );
  });

  it('handles inputs that grow WASM memory, and small ones after that', async () => {
    const small = 'ok é';
    const big = 'aé中😀 '.repeat(50_000); // 300K units: the scratch region outgrows memory
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    for (const s of [small, big, small]) {
      const bytes = encoder.encode(s);
      const out = new Uint8Array(s.length * 3);
      expect(same(out.subarray(0, wasm.utf8Encode(s, out, 0)), bytes)).toBe(true);
      expect(wasm.utf8Decode(bytes, 0, bytes.length)).toBe(s);
      expect(wasm.xxh64(bytes)).toBe(await ref64(bytes, 0n));
    }
  });

  it('copies strings without Node\'s Buffer too, as in browsers', async () => {
    const arena = new WasmArena(await instantiateWeft(await loadWeftModule()));
    vi.stubGlobal('Buffer', undefined);
    let plain: CodecKernels;
    try {
      plain = createWasmCodecKernels(arena);
    } finally {
      vi.unstubAllGlobals();
    }
    fc.assert(
      fc.property(strings, (s) => {
        const bytes = encoder.encode(s);
        expect(encode(plain, s)).toEqual([...bytes]);
        expect(plain.utf8Decode(bytes, 0, bytes.length)).toBe(decoder.decode(bytes));
      }),
      { numRuns: 200 },
    );
    const bom = `\ufeff${'é'.repeat(300)}`;
    const bytes = encoder.encode(bom);
    expect(plain.utf8Decode(bytes, 0, bytes.length)).toBe(bom);
  });
});
