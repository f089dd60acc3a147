import { Packr } from 'msgpackr';
import { decode as mpDecode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/codec/index.js';
import { MsgpackExt } from '../../src/codec/ext.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const codec = createCodec({ kernels: createTsKernels().codec });
const hex = (v: unknown) => Buffer.from(codec.encode(v)).toString('hex');
const head = (v: unknown, n: number) => hex(v).slice(0, n * 2);

describe('Encoder: the smallest format for each value (spec bytes)', () => {
  it('nil, booleans, fixints and the int families at their boundaries', () => {
    expect(hex(null)).toBe('c0');
    expect(hex(false)).toBe('c2');
    expect(hex(true)).toBe('c3');
    expect(hex(0)).toBe('00');
    expect(hex(127)).toBe('7f');
    expect(hex(128)).toBe('cc80');
    expect(hex(255)).toBe('ccff');
    expect(hex(256)).toBe('cd0100');
    expect(hex(65535)).toBe('cdffff');
    expect(hex(65536)).toBe('ce00010000');
    expect(hex(2 ** 32 - 1)).toBe('ceffffffff');
    expect(hex(-1)).toBe('ff');
    expect(hex(-32)).toBe('e0');
    expect(hex(-33)).toBe('d0df');
    expect(hex(-128)).toBe('d080');
    expect(hex(-129)).toBe('d1ff7f');
    expect(hex(-32768)).toBe('d18000');
    expect(hex(-32769)).toBe('d2ffff7fff');
    expect(hex(-(2 ** 31))).toBe('d280000000');
  });

  it('floats: larger integers, -0, NaN and fractions as float 64; float 32 when asked and exact', () => {
    expect(hex(2 ** 32)).toBe('cb41f0000000000000');
    expect(hex(-0)).toBe('cb8000000000000000');
    expect(hex(1.5)).toBe('cb3ff8000000000000');
    expect(hex(NaN)).toBe('cb7ff8000000000000');
    const f32 = createCodec({ kernels: createTsKernels().codec, float32: true });
    expect(Buffer.from(f32.encode(1.5)).toString('hex')).toBe('ca3fc00000');
    expect(Buffer.from(f32.encode(0.1)).toString('hex')).toBe('cb3fb999999999999a');
  });

  it('bigint as int 64 / uint 64', () => {
    expect(hex(1n)).toBe('cf0000000000000001');
    expect(hex(-1n)).toBe('d3ffffffffffffffff');
    expect(hex(2n ** 64n - 1n)).toBe('cfffffffffffffffff');
  });

  it('strings: fixstr, str 8/16/32 by UTF-8 byte length', () => {
    expect(hex('')).toBe('a0');
    expect(hex('a'.repeat(31))).toBe(`bf${'61'.repeat(31)}`);
    expect(head('a'.repeat(32), 2)).toBe('d920');
    expect(head('é'.repeat(15), 1)).toBe('be'); // 30 bytes: still fixstr
    expect(head('é'.repeat(16), 2)).toBe('d920');
    expect(head('a'.repeat(255), 2)).toBe('d9ff');
    expect(head('a'.repeat(256), 3)).toBe('da0100');
    expect(head('a'.repeat(65535), 3)).toBe('daffff');
    expect(head('a'.repeat(65536), 5)).toBe('db00010000');
    expect(hex('\ud800')).toBe('a3efbfbd');
  });

  it('bin, arrays and maps at their boundaries', () => {
    expect(hex(new Uint8Array([1, 2]))).toBe('c4020102');
    expect(head(new Uint8Array(256), 3)).toBe('c50100');
    expect(head(new Uint8Array(65536), 5)).toBe('c600010000');
    expect(hex([])).toBe('90');
    expect(head(new Array(15).fill(0), 1)).toBe('9f');
    expect(head(new Array(16).fill(0), 3)).toBe('dc0010');
    expect(head(new Array(65536).fill(0), 5)).toBe('dd00010000');
    expect(hex({ a: 1 })).toBe('81a16101');
    const big = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]));
    expect(head(big, 3)).toBe('de0010');
    expect(hex(new Map([[1, 'x']]))).toBe('8101a178');
  });

  it('ext: timestamps (32/64/96), undefined, typed arrays, raw MsgpackExt', () => {
    expect(hex(new Date(0))).toBe('d6ff00000000');
    expect(hex(new Date(1500))).toBe('d7ff7735940000000001'); // 5e8 ns << 2 | 1 s
    expect(hex(new Date(-1000))).toBe('c70cff00000000ffffffffffffffff');
    expect(hex(new Date(2 ** 34 * 1000))).toBe('c70cff000000000000000400000000');
    expect(hex(undefined)).toBe('d40000');
    expect(hex(new Float32Array([1]))).toBe('c70574073f800000'.replace('3f800000', '0000803f'));
    expect(hex(new Int8Array(15))).toBe(`d874${'00'}${'00'.repeat(15)}`);
    expect(hex(new MsgpackExt(5, new Uint8Array([9])))).toBe('d40509');
    expect(hex(new MsgpackExt(5, new Uint8Array(3)))).toBe('c70305000000');
  });
});

describe('Encoder: peers read what we write', () => {
  const value = { id: 'task-1', n: -5, big: 70000, f: 0.25, list: [1, 'two', null, true], nested: { deep: { x: 'é😀' } }, when: new Date(1_700_000_000_000) };

  it('@msgpack/msgpack decodes our bytes to the same value', () => {
    expect(mpDecode(codec.encode(value))).toEqual(value);
  });

  it('msgpackr decodes our typed arrays, undefined and timestamps', () => {
    const packr = new Packr({ moreTypes: true, mapsAsObjects: true, useRecords: false });
    const v = { emb: new Float32Array([0.5, -2]), u: undefined, d: new Date(1500), i16: new Int16Array([-3, 4]) };
    expect(packr.unpack(codec.encode(v))).toEqual(v);
    expect(codec.decode(packr.pack(v))).toEqual(v);
  });
});

describe('Encoder: unsupported values name their path', () => {
  it.each([
    [{ a: { b: [1, 2, () => 0] } }, 'cannot encode a function at $.a.b[2]'],
    [{ 'odd key': Symbol('s') }, 'cannot encode a symbol (s) at $["odd key"]'],
    [[new (class Widget {})()], 'cannot encode an instance of Widget (register an extension for it) at $[0]'],
    [{ d: new Date(NaN) }, 'cannot encode an invalid Date at $.d'],
    [2n ** 64n, 'cannot encode the bigint 18446744073709551616 (outside the 64-bit range) at $'],
    [new Map([['k', new WeakMap()]]), 'cannot encode an instance of WeakMap (register an extension for it) at $.get("k")'],
  ])('%#', (value, message) => {
    expect(() => codec.encode(value)).toThrow(expect.objectContaining({ code: 'ENCODE_UNSUPPORTED', message }));
  });

  it('detects circular references and excessive depth', () => {
    const a: Record<string, unknown> = {};
    a.self = { back: a };
    expect(() => createCodec({ maxDepth: 8 }).encode(a)).toThrow('cannot encode a circular reference at $.self.back.self.back.self.back.self.back');
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(() => createCodec({ maxDepth: 8 }).encode(deep)).toThrow('cannot encode nesting deeper than maxDepth (8) at $[0][0][0][0][0][0][0][0]');
  });

  it('rejects bad options naming them', () => {
    expect(() => createCodec({ maxDepth: 0 })).toThrow('Expected `maxDepth` to be an integer in [1, 100000], got `0` (number)');
    expect(() => createCodec({ int64: 'string' as never })).toThrow("Expected `int64` to be 'auto' or 'bigint', got `\"string\"` (string)");
    expect(() => createCodec({ float32: 1 as never })).toThrow('Expected `float32` to be a boolean, got `1` (number)');
    expect(() => createCodec({ extensions: [{ type: 0x74, test: () => true, encode: () => new Uint8Array(), decode: () => 0 }] as never })).toThrow(
      'Expected `extensions[0].type` to be an integer in [1, 127] other than 116 (0x74), got `116` (number)',
    );
  });
});
