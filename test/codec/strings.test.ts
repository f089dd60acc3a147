import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyCache, MAX_CACHED_KEY, asciiString, isAscii, writeUtf8 } from '../../src/codec/strings.js';

const utf8 = new TextEncoder();

describe('inline UTF-8', () => {
  it('writeUtf8 writes what TextEncoder writes, lone surrogates as U+FFFD (property)', () => {
    const out = new Uint8Array(3 * 64 + 8);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)), maxLength: 8 }), fc.nat(7), (a, b, at) => {
        const s = a + b;
        const n = writeUtf8(s, out, at);
        expect([...out.subarray(at, at + n)]).toEqual([...utf8.encode(s)]);
      }),
      { numRuns: 1000 },
    );
  });

  it('asciiString builds every length, across its 8-byte chunks', () => {
    const bytes = new Uint8Array(80).map((_, i) => 0x21 + i);
    for (let n = 0; n <= 70; n++) {
      expect(asciiString(bytes, 3, n)).toBe(Buffer.from(bytes.subarray(3, 3 + n)).toString('latin1'));
    }
  });

  it('isAscii looks at exactly [start, end)', () => {
    const bytes = new Uint8Array([0x80, 0x61, 0x62, 0xff]);
    expect(isAscii(bytes, 1, 3)).toBe(true);
    expect(isAscii(bytes, 0, 3)).toBe(false);
    expect(isAscii(bytes, 1, 4)).toBe(false);
    expect(isAscii(bytes, 2, 2)).toBe(true);
  });
});

describe('KeyCache', () => {
  const bytesOf = (s: string) => utf8.encode(`\0${s}`);

  it('returns the very same string for the same bytes', () => {
    const cache = new KeyCache();
    const a = cache.get(bytesOf('status'), 1, 6);
    expect(a).toBe('status');
    expect(cache.get(bytesOf('status'), 1, 6)).toBe(a);
  });

  it('never confuses keys, whether they share a slot or not (property)', () => {
    const cache = new KeyCache();
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: MAX_CACHED_KEY }), { maxLength: 50 }), (keys) => {
        for (const k of [...keys, ...keys]) expect(cache.get(bytesOf(k), 1, k.length)).toBe(k);
      }),
    );
    // Same length, first, middle and last bytes: the same slot; each must still come back right.
    for (const k of ['abxzc', 'abyzc', 'abxzc', 'abyzc']) expect(cache.get(bytesOf(k), 1, 5)).toBe(k);
  });

  it('declines bytes that are not ASCII (the caller decodes them)', () => {
    const bytes = bytesOf('clé');
    expect(cache().get(bytes, 1, bytes.length - 1)).toBeUndefined();
  });

  const cache = () => new KeyCache();
});
