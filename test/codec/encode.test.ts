import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/codec/index.js';
import { MsgpackExt } from '../../src/codec/ext.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const kernels = createTsKernels().codec;
const codec = createCodec({ kernels });
const hex = (v: unknown, c = codec) => Buffer.from(c.encode(v)).toString('hex');
const head = (v: unknown, n: number) => hex(v).slice(0, n * 2);

describe('encode: the smallest format for each value (spec bytes)', () => {
  it('nil, booleans, fixints and the int families at their boundaries', () => {
    const cases: [number, string][] = [
      [0, '00'], [127, '7f'], [128, 'cc80'], [255, 'ccff'], [256, 'cd0100'], [65535, 'cdffff'],
      [65536, 'ce00010000'], [2 ** 32 - 1, 'ceffffffff'], [2 ** 32, 'cf0000000100000000'],
      [Number.MAX_SAFE_INTEGER, 'cf001fffffffffffff'],
      [-1, 'ff'], [-32, 'e0'], [-33, 'd0df'], [-128, 'd080'], [-129, 'd1ff7f'], [-32768, 'd18000'],
      [-32769, 'd2ffff7fff'], [-(2 ** 31), 'd280000000'], [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
      [Number.MIN_SAFE_INTEGER, 'd3ffe0000000000001'],
    ];
    for (const [v, bytes] of cases) expect([v, hex(v)]).toEqual([v, bytes]);
    expect(hex(null)).toBe('c0');
    expect(hex(false)).toBe('c2');
    expect(hex(true)).toBe('c3');
  });

  it('float 64 for -0, NaN, infinities, fractions and unsafe integers; float 32 only when asked and exact', () => {
    expect(hex(-0)).toBe('cb8000000000000000');
    expect(hex(1.5)).toBe('cb3ff8000000000000');
    expect(hex(NaN)).toBe('cb7ff8000000000000');
    expect(hex(Infinity)).toBe('cb7ff0000000000000');
    expect(hex(-Infinity)).toBe('cbfff0000000000000');
    expect(hex(2 ** 53)).toBe('cb4340000000000000');
    expect(hex(-(2 ** 60))).toBe('cbc3b0000000000000');
    const f32 = createCodec({ kernels, float32: true });
    expect(hex(1.5, f32)).toBe('ca3fc00000');
    expect(hex(-0, f32)).toBe('ca80000000');
    expect(hex(Infinity, f32)).toBe('ca7f800000');
    expect(hex(NaN, f32)).toBe('ca7fc00000');
    expect(hex(0.1, f32)).toBe('cb3fb999999999999a');
    expect(hex(7, f32)).toBe('07');
  });

  it('bigint as uint 64 (non-negative) or int 64 (negative), whatever its size', () => {
    expect(hex(0n)).toBe('cf0000000000000000');
    expect(hex(1n)).toBe('cf0000000000000001');
    expect(hex(-1n)).toBe('d3ffffffffffffffff');
    expect(hex(2n ** 64n - 1n)).toBe('cfffffffffffffffff');
    expect(hex(-(2n ** 63n))).toBe('d38000000000000000');
  });

  it('strings: fixstr and str 8/16/32 by UTF-8 byte length', () => {
    expect(hex('')).toBe('a0');
    expect(hex('a'.repeat(31))).toBe(`bf${'61'.repeat(31)}`);
    expect(head('a'.repeat(32), 2)).toBe('d920');
    expect(head('é'.repeat(15), 1)).toBe('be'); // 30 bytes: still fixstr
    expect(head('é'.repeat(16), 2)).toBe('d920'); // 16 units, 32 bytes
    expect(head('a'.repeat(255), 2)).toBe('d9ff');
    expect(head('a'.repeat(256), 3)).toBe('da0100');
    expect(head('a'.repeat(65535), 3)).toBe('daffff');
    expect(head('a'.repeat(65536), 5)).toBe('db00010000');
    expect(hex('\ud800')).toBe('a3efbfbd');
    expect(hex('😀')).toBe('a4f09f9880');
  });

  it('a string whose UTF-8 outgrows the header reserved for its length moves its bytes', () => {
    for (const c of [codec, createCodec({ kernels, nativeUtf8: false }), createCodec({ kernels, longString: 1000 })]) {
      for (const s of ['é'.repeat(20), 'é'.repeat(128), '€'.repeat(100), '€'.repeat(30000)]) {
        const utf8 = Buffer.from(s, 'utf8');
        const n = utf8.length;
        const header = n < 0x100 ? `d9${n.toString(16)}` : n < 0x10000 ? `da${n.toString(16).padStart(4, '0')}` : `db${n.toString(16).padStart(8, '0')}`;
        expect(hex(s, c)).toBe(header + utf8.toString('hex'));
      }
    }
  });

  it('bin 8/16/32 for Uint8Array and Buffer', () => {
    expect(hex(new Uint8Array(0))).toBe('c400');
    expect(hex(new Uint8Array([1, 2]))).toBe('c4020102');
    expect(hex(Buffer.from([7]))).toBe('c40107');
    expect(hex(new Uint8Array([9, 8, 7]).subarray(1))).toBe('c4020807');
    expect(head(new Uint8Array(255), 2)).toBe('c4ff');
    expect(head(new Uint8Array(256), 3)).toBe('c50100');
    expect(head(new Uint8Array(65535), 3)).toBe('c5ffff');
    expect(head(new Uint8Array(65536), 5)).toBe('c600010000');
  });

  it('arrays and maps at the 15/16 and 65535/65536 boundaries', () => {
    expect(hex([])).toBe('90');
    expect(hex([1, [2]])).toBe('92019102');
    expect(head(new Array(15).fill(0), 1)).toBe('9f');
    expect(head(new Array(16).fill(0), 3)).toBe('dc0010');
    expect(head(new Array(65535).fill(0), 3)).toBe('dcffff');
    expect(head(new Array(65536).fill(0), 5)).toBe('dd00010000');
    expect(hex([, 1])).toBe('92d4000001'); // eslint-disable-line no-sparse-arrays -- a hole is undefined
    const obj = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0]));
    expect(hex({})).toBe('80');
    expect(hex({ a: 1 })).toBe('81a16101');
    expect(head(obj(15), 1)).toBe('8f');
    expect(head(obj(16), 3)).toBe('de0010');
    expect(head(obj(65535), 3)).toBe('deffff');
    expect(head(obj(65536), 5)).toBe('df00010000');
    expect(hex(new Map())).toBe('80');
    expect(hex(new Map([[1, 'x']]))).toBe('8101a178');
    expect(head(new Map(Array.from({ length: 16 }, (_, i) => [i, i])), 3)).toBe('de0010');
  });

  it('objects: own enumerable string keys in Object.keys order, null prototypes, a __proto__ key', () => {
    expect(hex({ b: 1, a: 2, 1: 3 })).toBe('83a131 03a162 01a161 02'.replace(/ /g, ''));
    const bare = Object.create(null) as Record<string, unknown>;
    bare.x = true;
    expect(hex(bare)).toBe('81a178c3');
    const proto = JSON.parse('{"__proto__": 1}') as object;
    expect(hex(proto)).toBe('81a95f5f70726f746f5f5f01');
  });

  it('ext: fixext 1/2/4/8/16, else ext 8/16/32, for MsgpackExt values', () => {
    const ext = (n: number) => hex(new MsgpackExt(5, new Uint8Array(n).fill(0xab)));
    expect(ext(1)).toBe('d405ab');
    expect(ext(2)).toBe('d505abab');
    expect(ext(4)).toBe(`d605${'ab'.repeat(4)}`);
    expect(ext(8)).toBe(`d705${'ab'.repeat(8)}`);
    expect(ext(16)).toBe(`d805${'ab'.repeat(16)}`);
    expect(ext(0)).toBe('c70005');
    expect(ext(3)).toBe('c70305ababab');
    expect(ext(17).slice(0, 6)).toBe('c71105');
    expect(ext(255).slice(0, 6)).toBe('c7ff05');
    expect(ext(256).slice(0, 8)).toBe('c8010005');
    expect(ext(65535).slice(0, 8)).toBe('c8ffff05');
    expect(ext(65536).slice(0, 12)).toBe('c90001000005');
    expect(hex(new MsgpackExt(-128, new Uint8Array([1])))).toBe('d48001');
  });

  it('undefined as fixext 1 type 0, or nil with undefinedAsNil', () => {
    expect(hex(undefined)).toBe('d40000');
    expect(hex({ u: undefined })).toBe('81a175d40000');
    expect(hex([undefined], createCodec({ kernels, undefinedAsNil: true }))).toBe('91c0');
  });

  it('typed arrays as ext 0x74: element code, then little-endian elements', () => {
    expect(hex(new Float32Array([1]))).toBe('c70574070000803f');
    expect(hex(new Float32Array([1, -2]).subarray(1))).toBe('c7057407000000c0');
    expect(hex(new Int8Array(15))).toBe(`d87400${'00'.repeat(15)}`);
    expect(hex(new Uint8ClampedArray([1]))).toBe('d5740201');
    expect(hex(new Int16Array([-2]))).toBe('c7037403feff');
    expect(hex(new Uint16Array([0x102]))).toBe('c70374040201');
    expect(hex(new Int32Array([-2]))).toBe('c7057405feffffff');
    expect(hex(new Uint32Array([1]))).toBe('c705740601000000');
    expect(hex(new Float64Array([1]))).toBe('c7097408000000000000f03f');
    expect(hex(new BigInt64Array([-1n]))).toBe(`c7097409${'ff'.repeat(8)}`);
    expect(hex(new BigUint64Array([1n]))).toBe('c709740a0100000000000000');
    class Embedding extends Float32Array {}
    expect(hex(new Embedding([1]))).toBe('c70574070000803f');
  });

  it('uses the same (reused) buffer safely: results are independent copies, large values shrink it back', () => {
    const a = codec.encode('first');
    const big = codec.encode(new Uint8Array(3 << 20));
    const b = codec.encode('second');
    expect(Buffer.from(a).toString('latin1')).toBe('\xa5first');
    expect(big.length).toBe(5 + (3 << 20));
    expect(Buffer.from(b).toString('latin1')).toBe('\xa6second');
    expect(a.buffer).not.toBe(b.buffer);
  });
});

describe('encode: unsupported values name their path', () => {
  class Widget {}
  it.each([
    [{ a: { b: [1, 2, () => 0] } }, 'cannot encode a function at $.a.b[2]'],
    [{ run: function run() {} }, 'cannot encode a function (run) at $.run'],
    [{ 'odd key': Symbol('s') }, 'cannot encode a symbol (s) at $["odd key"]'],
    [[new Widget()], 'cannot encode an instance of Widget (register an extension for it) at $[0]'],
    [{ d: new Date(NaN) }, 'cannot encode an invalid Date at $.d'],
    [2n ** 64n, 'cannot encode the bigint 18446744073709551616 (outside the int 64 / uint 64 range) at $'],
    [[-(2n ** 63n) - 1n], 'cannot encode the bigint -9223372036854775809 (outside the int 64 / uint 64 range) at $[0]'],
    [new Map([['k', new WeakMap()]]), 'cannot encode an instance of WeakMap (register an extension for it) at $.get("k")'],
    [new Map([[Symbol('key'), 1]]), 'cannot encode a symbol (key) at $.get(Symbol(key))'],
    [{ s: new Set([1]) }, 'cannot encode an instance of Set (register an extension for it) at $.s'],
    [{ v: new DataView(new ArrayBuffer(1)) }, 'cannot encode an instance of DataView (register an extension for it) at $.v'],
    [[[{ x: [0, { y: Symbol.iterator }] }]], 'cannot encode a symbol (Symbol.iterator) at $[0][0].x[1].y'],
  ])('%#: %s', (value, message) => {
    expect(() => codec.encode(value)).toThrow(expect.objectContaining({ name: 'EncodeUnsupportedError', code: 'ENCODE_UNSUPPORTED', message }));
  });

  it('reports a circular reference where it closes, and nesting beyond maxDepth', () => {
    const a: Record<string, unknown> = { list: [] };
    a.self = { back: a };
    expect(() => codec.encode(a)).toThrow('cannot encode a circular reference at $.self.back');
    const arr: unknown[] = [1];
    arr.push(arr);
    expect(() => codec.encode({ arr })).toThrow('cannot encode a circular reference at $.arr[1]');
    const m = new Map<string, unknown>();
    m.set('me', [m]);
    expect(() => codec.encode(m)).toThrow('cannot encode a circular reference at $.get("me")[0]');
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = [deep];
    const shallow = createCodec({ kernels, maxDepth: 8 });
    expect(() => shallow.encode(deep)).toThrow('cannot encode nesting deeper than maxDepth (8) at $[0][0][0][0][0][0][0][0]');
    expect(() => createCodec({ kernels, maxDepth: 10 }).encode(deep)).not.toThrow();
  });

  it('encodes a value shared by siblings (a DAG, not a cycle) each time it appears', () => {
    const shared = { x: 1 };
    expect(hex([shared, shared])).toBe('9281a1780181a17801');
  });

  it('keeps working after an error', () => {
    expect(() => codec.encode({ f: () => 0 })).toThrow();
    expect(hex({ a: [1] })).toBe('81a1619101');
  });
});
