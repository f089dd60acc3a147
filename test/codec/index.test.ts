import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCodec, decode, encode, type Codec } from '../../src/codec/index.js';
import type { Extension } from '../../src/codec/ext.js';
import { bothBackends } from '../helpers/backends.js';

let wasm: Codec;
let ts: Codec;
let wasmNative: Codec;
beforeAll(async () => {
  const [w, t] = await bothBackends();
  // Small longString so the kernels see many strings; int64 'bigint' so bigint round-trips.
  wasm = createCodec({ kernels: w.codec, nativeUtf8: false, longString: 8, int64: 'bigint' });
  ts = createCodec({ kernels: t.codec, nativeUtf8: false, longString: 8, int64: 'bigint' });
  wasmNative = createCodec({ kernels: w.codec, int64: 'bigint' });
});

// Values the codec promises to round-trip exactly (objects with string keys, no Map with only
// string keys: that decodes as an object unless useMaps).
const leaf = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/[\ud800-\udfff]/g, '')),
  fc.uint8Array({ maxLength: 40 }),
  fc.float32Array({ maxLength: 20 }),
  fc.int16Array({ maxLength: 10 }),
  fc.date({ noInvalidDate: true }),
);
const value = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 6 }),
  object: fc.dictionary(fc.string({ maxLength: 10 }), tie('tree'), { maxKeys: 6 }),
})).tree;

describe('codec round trip', () => {
  it('round-trips arbitrary values, byte-identical across WASM and TS kernels and native UTF-8', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = ts.encode(v);
        expect(wasm.encode(v)).toEqual(bytes);
        expect(wasmNative.encode(v)).toEqual(bytes);
        expect(ts.decode(bytes)).toEqual(v);
        expect(wasm.decode(bytes)).toEqual(v);
        expect(wasmNative.decode(bytes)).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips -0, NaN, infinities and Maps with non-string keys', () => {
    for (const v of [-0, NaN, Infinity, -Infinity, new Map<unknown, unknown>([[1, 'a'], ['b', [2]], [null, true]])]) {
      expect(Object.is(ts.decode(ts.encode(v)), v) || (v instanceof Map && ts.decode(ts.encode(v)) instanceof Map)).toBe(true);
    }
    expect(ts.decode(ts.encode(new Map<unknown, unknown>([[1, 'a']])))).toEqual(new Map([[1, 'a']]));
  });

  it('lone surrogates become U+FFFD, as in every UTF-8 encoder', () => {
    expect(ts.decode(ts.encode('a\ud800b'))).toBe('a\ufffdb');
    expect(wasm.decode(wasm.encode('long enough string a\udc00b'))).toBe('long enough string a\ufffdb');
  });

  it('encodes and decodes registered extension types', () => {
    class Point {
      constructor(readonly x: number, readonly y: number) {}
    }
    const point: Extension<Point> = {
      type: 7,
      test: (v): v is Point => v instanceof Point,
      encode: (p) => new Uint8Array([p.x, p.y]),
      decode: (d) => new Point(d[0], d[1]),
    };
    const c = createCodec({ extensions: [point] });
    const bytes = c.encode({ at: new Point(3, 4) });
    expect(Buffer.from(bytes).toString('hex')).toBe('81a26174d5070304');
    expect(c.decode(bytes)).toEqual({ at: new Point(3, 4) });
  });

  it('top-level encode/decode use the active kernels', () => {
    expect(decode(encode({ a: [1, 'x'] }))).toEqual({ a: [1, 'x'] });
  });
});
