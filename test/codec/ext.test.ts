import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { EXT_TYPED_ARRAY, MsgpackExt, TYPED_ARRAYS, indexExtensions, type Extension } from '../../src/codec/ext.js';
import { createCodec } from '../../src/codec/index.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const kernels = createTsKernels().codec;
const codec = createCodec({ kernels });
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

class Point {
  constructor(readonly x: number, readonly y: number) {}
}
class Point3 extends Point {}
const pointExt: Extension<Point> = {
  type: 7,
  class: Point,
  encode: (p) => new Uint8Array([p.x, p.y]),
  decode: (d) => new Point(d[0], d[1]),
};

describe('application extensions', () => {
  it('writes instances of a registered class (and its subclasses) and reads them back', () => {
    const c = createCodec({ kernels, extensions: [pointExt] });
    const bytes = c.encode({ at: new Point(3, 4), sub: new Point3(5, 6) });
    expect(hex(bytes)).toBe('82a26174d5070304a3737562d5070506');
    expect(c.decode(bytes)).toEqual({ at: new Point(3, 4), sub: new Point(5, 6) });
    // Without the extension the type stays raw.
    expect(codec.decode(bytes)).toEqual({ at: new MsgpackExt(7, new Uint8Array([3, 4])), sub: new MsgpackExt(7, new Uint8Array([5, 6])) });
  });

  it('matches by predicate, by class and predicate together, in registration order', () => {
    const tagged: Extension<{ tag: string }> = {
      type: 9,
      test: (v) => typeof (v as { tag?: unknown }).tag === 'string',
      encode: (v) => new TextEncoder().encode(v.tag),
      decode: (d) => ({ tag: new TextDecoder().decode(d) }) as never,
    };
    class Tagged {
      constructor(readonly tag: string) {}
    }
    const onlyBig: Extension<Point> = { ...pointExt, type: 8, test: (p) => (p as Point).x > 100, decode: (d) => new Point(d[0] + 100, d[1]) };
    const c = createCodec({ kernels, extensions: [onlyBig, pointExt, tagged] });
    expect(hex(c.encode([new Tagged('hi'), new Point(1, 2), new Point(101, 2)]))).toBe('93d5096869d5070102d5086502');
    // Plain objects are never offered to extensions.
    expect(hex(c.encode({ tag: 'x' }))).toBe('81a3746167a178');
  });

  it('an extension takes precedence over built-in types, and its callbacks may use the codec', () => {
    const c: ReturnType<typeof createCodec> = createCodec({
      kernels,
      extensions: [
        {
          type: 1,
          class: Map,
          encode: (m: Map<unknown, unknown>) => c.encode([...m]),
          decode: (d) => new Map(c.decode(d) as [unknown, unknown][]),
        } satisfies Extension<Map<unknown, unknown>>,
      ],
    });
    const value = { m: new Map<unknown, unknown>([['a', new Map([[1, 2]])]]) };
    const bytes = c.encode(value);
    expect(hex(bytes).startsWith('81a16dc7')).toBe(true);
    expect(c.decode(bytes)).toEqual(value);
  });

  it('gives decode a copy of the payload', () => {
    let seen: Uint8Array | undefined;
    const c = createCodec({ kernels, extensions: [{ ...pointExt, decode: (d) => ((seen = d), new Point(0, 0)) }] });
    const input = new Uint8Array([0xd5, 7, 1, 2]);
    c.decode(input);
    input[2] = 9;
    expect([...seen!]).toEqual([1, 2]);
  });

  it('requires encode to return a Uint8Array', () => {
    const c = createCodec({ kernels, extensions: [{ ...pointExt, encode: () => [1, 2] as never }] });
    expect(() => c.encode([new Point(1, 2)])).toThrow(new TypeError('Expected `extensions[0].encode` to return a Uint8Array, got `[1,2]` (array)'));
  });

  it.each([
    [[{ ...pointExt, type: 0 }], RangeError, 'Expected `extensions[0].type` to be an integer in [1, 127] other than 116 (0x74), got `0` (number)'],
    [[{ ...pointExt, type: -1 }], RangeError, 'Expected `extensions[0].type` to be an integer in [1, 127] other than 116 (0x74), got `-1` (number)'],
    [[{ ...pointExt, type: 0x74 }], RangeError, 'Expected `extensions[0].type` to be an integer in [1, 127] other than 116 (0x74), got `116` (number)'],
    [[{ ...pointExt, type: 128 }], RangeError, 'Expected `extensions[0].type` to be an integer in [1, 127] other than 116 (0x74), got `128` (number)'],
    [[{ ...pointExt, type: 1.5 }], RangeError, 'Expected `extensions[0].type` to be an integer in [1, 127] other than 116 (0x74), got `1.5` (number)'],
    [[pointExt, { ...pointExt }], RangeError, 'Expected `extensions[1].type` to be a type not registered before, got `7` (number)'],
    [[{ ...pointExt, decode: undefined }], TypeError, 'Expected `extensions[0].decode` to be a function, got `undefined` (undefined)'],
    [[{ ...pointExt, class: undefined }], TypeError, 'Expected `extensions[0].class` to be a class (or `test` a function), got `undefined` (undefined)'],
    [[{ ...pointExt, class: 'Point' }], TypeError, 'Expected `extensions[0].class` to be a function, got `"Point"` (string)'],
    [[null], TypeError, 'Expected `extensions[0]` to be an extension object, got `null` (null)'],
  ])('rejects a bad registry: %#', (extensions, type, message) => {
    expect(() => createCodec({ extensions: extensions as never })).toThrow(new type(message));
    expect(() => indexExtensions(extensions as never)).toThrow(message);
  });
});

describe('MsgpackExt', () => {
  it('validates its type and data', () => {
    expect(() => new MsgpackExt(128, new Uint8Array())).toThrow(new RangeError('Expected `type` to be an integer in [-128, 127], got `128` (number)'));
    expect(() => new MsgpackExt(1, [1] as never)).toThrow(new TypeError('Expected `data` to be a Uint8Array, got `[1]` (array)'));
  });
});

describe('typed arrays (ext 0x74, msgpackr layout)', () => {
  const samples = [
    new Int8Array([-128, 0, 127]),
    new Uint8ClampedArray([0, 255]),
    new Int16Array([-32768, 1, 32767]),
    new Uint16Array([0, 65535]),
    new Int32Array([-(2 ** 31), 7]),
    new Uint32Array([2 ** 32 - 1]),
    new Float32Array([0.5, -0, NaN, Infinity, 3.4e38, 1e-45]),
    new Float64Array([Math.PI, -0, -Infinity]),
    new BigInt64Array([-(2n ** 63n), 1n]),
    new BigUint64Array([2n ** 64n - 1n]),
    new Float32Array(0),
    new Float32Array(384).map((_, i) => Math.sin(i)),
  ];

  it('round-trips each element type onto a fresh, aligned array', () => {
    for (const a of samples) {
      const back = codec.decode(codec.encode({ a })) as { a: typeof a };
      expect(back.a).toBeInstanceOf(a.constructor);
      expect(back.a).toEqual(a);
      expect(back.a.byteOffset).toBe(0);
      expect(back.a.buffer.byteLength).toBe(a.byteLength);
    }
  });

  it('decodes an unaligned payload, and views with an offset into a larger buffer', () => {
    const f = new Float32Array([1, 2, 3, 4]).subarray(1, 3);
    const bytes = codec.encode(['x', f]); // the payload starts at an odd offset
    expect((codec.decode(bytes) as unknown[])[1]).toEqual(new Float32Array([2, 3]));
    const i16 = new Int16Array([1, 2, 3]).subarray(1);
    expect(codec.decode(codec.encode(i16))).toEqual(new Int16Array([2, 3]));
  });

  // The type and payload of an ext: msgpackr always uses ext 8/16/32, weft fixext when the size fits.
  const extBody = (b: Uint8Array) => hex(b.subarray(b[0] >= 0xd4 && b[0] <= 0xd8 ? 1 : b[0] === 0xc7 ? 2 : b[0] === 0xc8 ? 3 : 5));

  it('writes the same payload as msgpackr (moreTypes) and reads what it writes', () => {
    const packr = new Packr({ moreTypes: true, useRecords: false });
    for (const a of samples) {
      expect(extBody(codec.encode(a))).toBe(extBody(packr.pack(a)));
      expect(codec.decode(packr.pack(a))).toEqual(a);
      expect(packr.unpack(codec.encode(a))).toEqual(a);
    }
    expect(TYPED_ARRAYS[7]).toBe(Float32Array);
    expect(EXT_TYPED_ARRAY).toBe(0x74);
  });
});
