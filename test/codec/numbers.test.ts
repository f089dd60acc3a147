import { decode as mpDecode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/codec/index.js';
import { MAX_NUMBER_BYTES, isInt64, writeBigInt, writeNumber } from '../../src/codec/numbers.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const codec = createCodec({ kernels: createTsKernels().codec });
const out = new Uint8Array(MAX_NUMBER_BYTES + 4);
const view = new DataView(out.buffer);

// The size the spec's smallest format takes for a safe integer.
function smallest(v: number): number {
  if (v >= 0) return v < 0x80 ? 1 : v < 0x100 ? 2 : v < 0x10000 ? 3 : v < 2 ** 32 ? 5 : 9;
  return v >= -32 ? 1 : v >= -0x80 ? 2 : v >= -0x8000 ? 3 : v >= -(2 ** 31) ? 5 : 9;
}

describe('numbers', () => {
  it('every safe integer takes its smallest format and decodes back exactly, also by @msgpack/msgpack (property)', () => {
    const ints = fc.oneof(fc.integer({ min: -300, max: 70_000 }), fc.integer(), fc.maxSafeInteger(), fc.constantFrom(2 ** 32, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53) + 1));
    fc.assert(
      fc.property(ints, fc.nat(3), (v, at) => {
        const end = writeNumber(out, view, at, v, false);
        expect(end - at).toBe(smallest(v));
        const bytes = out.slice(at, end);
        expect(codec.decode(bytes)).toBe(v);
        expect(mpDecode(bytes)).toBe(v);
      }),
      { numRuns: 3000 },
    );
  });

  it('other numbers as float 64, or float 32 when asked and exact (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.boolean(), (v, f32) => {
        fc.pre(!Number.isSafeInteger(v) || Object.is(v, -0));
        const end = writeNumber(out, view, 0, v, f32);
        const exact = Math.fround(v) === v || Number.isNaN(v);
        expect(out[0]).toBe(f32 && exact ? 0xca : 0xcb);
        expect(end).toBe(f32 && exact ? 5 : 9);
        expect(Object.is(codec.decode(out.slice(0, end)), v)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('bigint: the int 64 / uint 64 range, always 9 bytes', () => {
    expect([isInt64(-(2n ** 63n)), isInt64(2n ** 64n - 1n), isInt64(-(2n ** 63n) - 1n), isInt64(2n ** 64n)]).toEqual([true, true, false, false]);
    const big = createCodec({ kernels: createTsKernels().codec, int64: 'bigint' });
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (v) => {
        expect(writeBigInt(out, view, 1, v)).toBe(10);
        expect(out[1]).toBe(v < 0n ? 0xd3 : 0xcf);
        expect(big.decode(out.slice(1, 10))).toBe(v);
      }),
    );
  });
});
