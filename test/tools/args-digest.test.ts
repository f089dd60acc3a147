import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsDigest, digestOf, stableSerialize } from '../../src/tools/args-digest.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

describe('stableSerialize', () => {
  it('sorts object keys at every level and matches JSON otherwise', () => {
    expect(stableSerialize({ b: 1, a: { d: [1, 'x'], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(stableSerialize({ a: undefined, b: 2 })).toBe(stableSerialize({ b: 2 }));
  });

  it('keeps values JSON cannot show apart', () => {
    const forms = [undefined, null, NaN, Infinity, -Infinity, 1n, new Date(5), new Uint8Array([1, 2]), new Float32Array([1]), new Map([[1, 'a']]), [undefined], [null], 'undefined'];
    expect(new Set(forms.map(stableSerialize)).size).toBe(forms.length);
  });

  it('turns a cycle into a marker instead of throwing', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(stableSerialize(a)).toBe('{"self":"[Circular]","x":1}');
  });

  it('gives the same text for any key order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(stableSerialize(reversed)).toBe(stableSerialize(record));
      }),
    );
  });

  it('equals JSON.stringify for JSON values with sorted keys (property)', () => {
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sortKeys) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), (value) => {
        const json = JSON.parse(JSON.stringify(value)) as unknown; // -0 becomes 0, as JSON has it
        expect(stableSerialize(json)).toBe(JSON.stringify(sortKeys(json)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('argsDigest', () => {
  it('is the 16-digit hex xxh64 of the stable serialisation', () => {
    const text = stableSerialize({ q: 'weft', k: 3 });
    const expected = createTsKernels().codec.xxh64(new TextEncoder().encode(text)).toString(16).padStart(16, '0');
    expect(argsDigest({ k: 3, q: 'weft' })).toBe(expected);
    expect(digestOf(text)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes large and non-ASCII arguments like small ones', () => {
    const ts = createTsKernels().codec;
    for (const text of ['é'.repeat(10), '😀'.repeat(1000), 'x'.repeat(400_000)]) {
      const expected = ts.xxh64(new TextEncoder().encode(stableSerialize({ text }))).toString(16).padStart(16, '0');
      expect(argsDigest({ text })).toBe(expected);
    }
  });

  it('differs for different arguments', () => {
    expect(argsDigest({ q: 'a' })).not.toBe(argsDigest({ q: 'b' }));
  });
});
