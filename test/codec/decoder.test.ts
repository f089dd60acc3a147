import { encode as mpEncode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { MsgpackExt } from '../../src/codec/ext.js';
import { createCodec } from '../../src/codec/index.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const codec = createCodec({ kernels: createTsKernels().codec });
const fromHex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const dec = (h: string) => codec.decode(fromHex(h));

describe('Decoder: every format family', () => {
  it('reads ints of every width, including forms a minimal encoder would not choose', () => {
    expect(dec('cc05')).toBe(5);
    expect(dec('cd0005')).toBe(5);
    expect(dec('ce00000005')).toBe(5);
    expect(dec('cf0000000000000005')).toBe(5);
    expect(dec('d0fb')).toBe(-5);
    expect(dec('d1fffb')).toBe(-5);
    expect(dec('d2fffffffb')).toBe(-5);
    expect(dec('d3fffffffffffffffb')).toBe(-5);
    expect(dec('cfffffffffffffffff')).toBe(2n ** 64n - 1n);
    expect(dec('d38000000000000000')).toBe(-(2n ** 63n));
    expect(createCodec({ int64: 'bigint' }).decode(fromHex('cf0000000000000005'))).toBe(5n);
  });

  it('reads floats, strings, bin, arrays and maps of every header size', () => {
    expect(dec('ca3fc00000')).toBe(1.5);
    expect(dec('cb3ff8000000000000')).toBe(1.5);
    expect(dec('d903616263')).toBe('abc');
    expect(dec('da0003616263')).toBe('abc');
    expect(dec('db00000003616263')).toBe('abc');
    expect(dec('c5000201 02')).toEqual(new Uint8Array([1, 2]));
    expect(dec('c60000000101')).toEqual(new Uint8Array([1]));
    expect(dec('dc000101')).toEqual([1]);
    expect(dec('dd0000000101')).toEqual([1]);
    expect(dec('de0001a16101')).toEqual({ a: 1 });
    expect(dec('df00000001a16101')).toEqual({ a: 1 });
  });

  it('reads maps with non-string keys as Map, or every map with useMaps', () => {
    expect(dec('82a16101 0102')).toEqual(new Map<unknown, unknown>([['a', 1], [1, 2]]));
    expect(createCodec({ useMaps: true }).decode(fromHex('81a16101'))).toEqual(new Map([['a', 1]]));
  });

  it('keeps a "__proto__" key as data', () => {
    const obj = dec('81a95f5f70726f746f5f5f81a17801') as Record<string, unknown>;
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(Object.keys(obj)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value).toEqual({ x: 1 });
  });

  it('reads all three timestamp forms, and keeps unknown ext types', () => {
    expect(dec('d6ff00000001')).toEqual(new Date(1000));
    expect(dec('d7ff7735940000000001')).toEqual(new Date(1500));
    expect(dec('c70cff00000000ffffffffffffffff')).toEqual(new Date(-1000));
    const ext = dec('d50a0102') as MsgpackExt;
    expect(ext).toBeInstanceOf(MsgpackExt);
    expect(ext.type).toBe(10);
    expect([...ext.data]).toEqual([1, 2]);
    expect(codec.encode(ext)).toEqual(fromHex('d50a0102'));
  });

  it('reads what @msgpack/msgpack writes', () => {
    const v = { s: 'x'.repeat(40), n: [0, -1, 300, 70000, -70000, 0.5], m: { k: [true, null] }, t: new Date(1234) };
    expect(codec.decode(mpEncode(v))).toEqual(v);
  });
});

describe('Decoder: invalid input names the offset', () => {
  it.each([
    ['', 'invalid MessagePack at byte 0: no data'],
    ['c1', 'invalid MessagePack at byte 0: reserved byte 0xc1'],
    ['92 01', 'invalid MessagePack at byte 1: truncated: 2 elements announced, 1 bytes left'],
    ['a3 6162', 'invalid MessagePack at byte 1: truncated: a string needs 3 bytes, 2 left'],
    ['cd 01', 'invalid MessagePack at byte 1: truncated: a length or integer needs 2 bytes, 1 left'],
    ['01 02', 'invalid MessagePack at byte 1: 1 trailing bytes after the value'],
    ['dd ffffffff', 'invalid MessagePack at byte 5: truncated: 4294967295 elements announced, 0 bytes left'],
    ['d7ff ffffffff 00000000', 'invalid MessagePack at byte 0: timestamp nanoseconds 1073741823 >= 1e9'],
    ['c705ff0000000000', 'invalid MessagePack at byte 0: timestamp payload of 5 bytes (expected 4, 8 or 12)'],
    ['d57463 00', 'invalid MessagePack at byte 0: unknown typed array code 99'],
  ])('%s', (h, message) => {
    expect(() => dec(h)).toThrow(expect.objectContaining({ code: 'DECODE_INVALID', message }));
  });

  it('limits nesting depth', () => {
    expect(() => createCodec({ maxDepth: 3 }).decode(fromHex('91919191 01'))).toThrow('invalid MessagePack at byte 3: nesting deeper than maxDepth (3)');
  });

  it('rejects non-bytes', () => {
    expect(() => codec.decode('c0' as never)).toThrow('Expected `bytes` to be a Uint8Array, got `"c0"` (string)');
  });
});
