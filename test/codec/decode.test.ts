import { describe, expect, it } from 'vitest';
import { MsgpackExt } from '../../src/codec/ext.js';
import { createCodec } from '../../src/codec/index.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const kernels = createTsKernels().codec;
const codec = createCodec({ kernels });
const fromHex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const dec = (h: string, c = codec) => c.decode(fromHex(h));

describe('decode: every format family', () => {
  it('nil, booleans, fixints', () => {
    expect(dec('c0')).toBe(null);
    expect(dec('c2')).toBe(false);
    expect(dec('c3')).toBe(true);
    expect(dec('00')).toBe(0);
    expect(dec('7f')).toBe(127);
    expect(dec('ff')).toBe(-1);
    expect(dec('e0')).toBe(-32);
  });

  it('ints of every width, including forms a minimal encoder would not choose', () => {
    expect(dec('cc05')).toBe(5);
    expect(dec('ccff')).toBe(255);
    expect(dec('cd0005')).toBe(5);
    expect(dec('cdffff')).toBe(65535);
    expect(dec('ce00000005')).toBe(5);
    expect(dec('ceffffffff')).toBe(2 ** 32 - 1);
    expect(dec('cf0000000000000005')).toBe(5);
    expect(dec('d0fb')).toBe(-5);
    expect(dec('d1fffb')).toBe(-5);
    expect(dec('d2fffffffb')).toBe(-5);
    expect(dec('d2 80000000')).toBe(-(2 ** 31));
    expect(dec('d3fffffffffffffffb')).toBe(-5);
  });

  it('int 64 / uint 64: numbers while safe, bigint beyond (always bigint with int64: bigint)', () => {
    expect(dec('cf001fffffffffffff')).toBe(Number.MAX_SAFE_INTEGER);
    expect(dec('cf0020000000000000')).toBe(2n ** 53n);
    expect(dec('cfffffffffffffffff')).toBe(2n ** 64n - 1n);
    expect(dec('d3ffe0000000000001')).toBe(Number.MIN_SAFE_INTEGER);
    expect(dec('d3ffe0000000000000')).toBe(-(2n ** 53n));
    expect(dec('d38000000000000000')).toBe(-(2n ** 63n));
    const big = createCodec({ kernels, int64: 'bigint' });
    expect(dec('cf0000000000000005', big)).toBe(5n);
    expect(dec('d3fffffffffffffffb', big)).toBe(-5n);
    expect(dec('ce00000005', big)).toBe(5);
  });

  it('float 32 and float 64', () => {
    expect(dec('ca3fc00000')).toBe(1.5);
    expect(dec('ca7f800000')).toBe(Infinity);
    expect(Object.is(dec('ca80000000'), -0)).toBe(true);
    expect(dec('ca7fc00000')).toBeNaN();
    expect(dec('cb3ff8000000000000')).toBe(1.5);
    expect(Object.is(dec('cb8000000000000000'), -0)).toBe(true);
  });

  it('str 8/16/32, bin 8/16/32, array 16/32, map 16/32', () => {
    expect(dec('a0')).toBe('');
    expect(dec('d903616263')).toBe('abc');
    expect(dec('da0003616263')).toBe('abc');
    expect(dec('db00000003616263')).toBe('abc');
    expect(dec('c400')).toEqual(new Uint8Array(0));
    expect(dec('c4020102')).toEqual(new Uint8Array([1, 2]));
    expect(dec('c5000201 02')).toEqual(new Uint8Array([1, 2]));
    expect(dec('c60000000101')).toEqual(new Uint8Array([1]));
    expect(dec('dc000101')).toEqual([1]);
    expect(dec('dd0000000101')).toEqual([1]);
    expect(dec('de0001a16101')).toEqual({ a: 1 });
    expect(dec('df00000001a16101')).toEqual({ a: 1 });
  });

  it('bin is a copy on its own buffer, also from a Node Buffer or an offset view', () => {
    const input = Buffer.from('00c4020102', 'hex').subarray(1);
    const bin = codec.decode(input) as Uint8Array;
    expect(bin).toEqual(new Uint8Array([1, 2]));
    expect(Object.getPrototypeOf(bin)).toBe(Uint8Array.prototype);
    expect(bin.buffer.byteLength).toBe(2);
    input[2] = 9;
    expect(bin[0]).toBe(1);
  });

  it('strings: ASCII and UTF-8, short and long, invalid UTF-8 as U+FFFD', () => {
    for (const c of [codec, createCodec({ kernels, nativeUtf8: false }), createCodec({ kernels, longString: 1 })]) {
      for (const s of ['k', 'hello', 'é', 'Résumé ✓ 😀', 'x'.repeat(31), 'x'.repeat(32), 'données '.repeat(20)]) {
        expect(c.decode(c.encode(s))).toBe(s);
      }
      expect(dec('a3 61ff62', c)).toBe('a\ufffdb');
      expect(dec('a2 c328', c)).toBe('\ufffd(');
      expect(dec('a3 efbbbf', c)).toBe('\ufeff'); // a BOM is content, kept
    }
  });

  it('map keys: cached short keys, keys that collide, long and non-ASCII keys', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `key${i}`);
    const objects = [0, 1].map(() => Object.fromEntries(keys.map((k, i) => [k, i])));
    expect(codec.decode(codec.encode(objects))).toEqual(objects);
    const odd = { ['k'.repeat(24)]: 1, ['k'.repeat(25)]: 2, ['k'.repeat(40)]: 3, clé: 4, '': 5, 'a-b c': 6 };
    expect(codec.decode(codec.encode([odd, odd]))).toEqual([odd, odd]);
  });

  it('maps with a non-string key become a Map (keeping the entries read before it); useMaps makes every map a Map', () => {
    expect(dec('82a16101 0102')).toEqual(new Map<unknown, unknown>([['a', 1], [1, 2]]));
    expect(dec('83 01a178 a16102 c0c3')).toEqual(new Map<unknown, unknown>([[1, 'x'], ['a', 2], [null, true]]));
    expect(dec('81a16101', createCodec({ kernels, useMaps: true }))).toEqual(new Map([['a', 1]]));
    expect(dec('8181a16101c3', createCodec({ kernels, useMaps: true }))).toEqual(new Map([[new Map([['a', 1]]), true]]));
  });

  it('keeps a "__proto__" key as an own property, never as the prototype', () => {
    const obj = dec('81a95f5f70726f746f5f5f81a17801') as Record<string, unknown>;
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(Object.keys(obj)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(obj, '__proto__')?.value).toEqual({ x: 1 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    // Also after switching to a Map, and as a later key.
    const map = dec('82a95f5f70726f746f5f5f01 0102') as Map<unknown, unknown>;
    expect(map.get('__proto__')).toBe(1);
    const later = dec('82a16101a95f5f70726f746f5f5f02') as Record<string, unknown>;
    expect(Object.keys(later)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(later)).toBe(Object.prototype);
  });

  it('fixext 1/2/4/8/16 and ext 8/16/32 of unknown types as MsgpackExt, written back in the smallest form', () => {
    const cases: [string, string][] = [
      ['d40a01', 'd40a01'],
      ['d50a0102', 'd50a0102'],
      ['d60a01020304', 'd60a01020304'],
      ['d70a0102030405060708', 'd70a0102030405060708'],
      [`d80a${'11'.repeat(16)}`, `d80a${'11'.repeat(16)}`],
      ['c7000a', 'c7000a'],
      ['c7030a010203', 'c7030a010203'],
      ['c800020a0102', 'd50a0102'],
      ['c9000000020a0102', 'd50a0102'],
      ['d4f001', 'd4f001'],
      ['d50001ff', 'd50001ff'], // type 0 with 2 bytes is not undefined
    ];
    for (const [input, written] of cases) {
      const ext = dec(input) as MsgpackExt;
      expect(ext).toBeInstanceOf(MsgpackExt);
      expect(Buffer.from(codec.encode(ext)).toString('hex')).toBe(written);
    }
    const ext = dec('d50a0102') as MsgpackExt;
    expect(ext.type).toBe(10);
    expect([...ext.data]).toEqual([1, 2]);
    expect((dec('d4f001') as MsgpackExt).type).toBe(-16);
  });

  it('undefined from fixext 1 type 0', () => {
    expect(dec('d40000')).toBeUndefined();
    expect(dec('92d40000c0')).toEqual([undefined, null]);
  });
});

describe('decode: invalid input names the offset', () => {
  it.each([
    ['', 0, 'no data'],
    ['c1', 0, 'reserved byte 0xc1'],
    ['92 01 c1', 2, 'reserved byte 0xc1'],
    ['92 01', 1, 'truncated: 2 elements announced, 1 bytes left'],
    ['82 a161 01', 1, 'truncated: 2 entries announced, 3 bytes left'],
    ['92 91 01', 3, 'truncated: a value needs 1 bytes, 0 left'],
    ['a3 6162', 1, 'truncated: a str needs 3 bytes, 2 left'],
    ['d9', 1, 'truncated: a length needs 1 bytes, 0 left'],
    ['db ffffffff 61', 5, 'truncated: a str needs 4294967295 bytes, 1 left'],
    ['c6 00000002 01', 5, 'truncated: a bin needs 2 bytes, 1 left'],
    ['cd 01', 1, 'truncated: a uint 16 needs 2 bytes, 1 left'],
    ['cb 000000', 1, 'truncated: a float 64 needs 8 bytes, 3 left'],
    ['d3 00', 1, 'truncated: an int 64 needs 8 bytes, 1 left'],
    ['d6 ff00', 1, 'truncated: an ext needs 5 bytes, 2 left'],
    ['c9 00010000 01', 5, 'truncated: an ext needs 65537 bytes, 1 left'],
    ['01 02', 1, '1 trailing bytes after the value'],
    ['dd ffffffff', 5, 'truncated: 4294967295 elements announced, 0 bytes left'],
    ['df 7fffffff 00', 5, 'truncated: 2147483647 entries announced, 1 bytes left'],
    ['d7ff ffffffff 00000000', 0, 'timestamp nanoseconds 1073741823 > 999999999'],
    ['c705ff 0000000000', 0, 'timestamp payload of 5 bytes (expected 4, 8 or 12)'],
    ['d57463 00', 0, 'unknown typed array code 99'],
    ['d67407 000000', 0, 'Float32Array payload of 3 bytes'],
    ['c70074', 0, 'typed array ext 0x74 without an element type'],
  ])('%s', (h, offset, why) => {
    expect(() => dec(h)).toThrow(expect.objectContaining({ name: 'DecodeInvalidError', code: 'DECODE_INVALID', offset, message: `invalid MessagePack at byte ${offset}: ${why}` }));
  });

  it('limits nesting depth', () => {
    const shallow = createCodec({ kernels, maxDepth: 3 });
    expect(dec('919191 01', shallow)).toEqual([[[1]]]);
    expect(() => dec('91919191 01', shallow)).toThrow('invalid MessagePack at byte 3: nesting deeper than maxDepth (3)');
    expect(() => dec('818181 a16181a161 01', shallow)).toThrow('nesting deeper than maxDepth (3)');
    // The default limit stops hostile input long before the JS stack would overflow.
    expect(() => codec.decode(new Uint8Array(100_000).fill(0x91))).toThrow('invalid MessagePack at byte 512: nesting deeper than maxDepth (512)');
  });

  it('rejects what is not a Uint8Array with a TypeError', () => {
    expect(() => codec.decode('c0' as never)).toThrow(new TypeError('Expected `bytes` to be a Uint8Array, got `"c0"` (string)'));
    expect(() => codec.decode(new Uint16Array(1) as never)).toThrow(TypeError);
  });

  it('keeps working after an error', () => {
    expect(() => dec('92 01')).toThrow();
    expect(dec('9201a178')).toEqual([1, 'x']);
  });
});
