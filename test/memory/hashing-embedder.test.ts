import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHashingEmbedder } from '../../src/memory/hashing-embedder.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('createHashingEmbedder', () => {
  it('returns unit vectors of the chosen dimension, deterministically', async () => {
    const e = createHashingEmbedder({ dim: 64 });
    const [a, b] = await e.embed(['Hello world', 'Hello world']);
    expect(a.length).toBe(64);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(e.id).toBe('hashing-v2:uni');
    expect(e.dim).toBe(64);
  });

  it('ranks texts that share words above texts that do not', async () => {
    const e = createHashingEmbedder();
    const [q, near, far] = await e.embed(['the cat sat on the mat', 'a cat on a mat', 'stock markets fell sharply']);
    expect(dot(q, near)).toBeGreaterThan(dot(q, far) + 0.2);
  });

  it('ignores case and punctuation (same words, same vector)', async () => {
    const e = createHashingEmbedder({ dim: 32 });
    const [a, b] = await e.embed(['Hello, World!', 'hello world']);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('leaves a text without words as the zero vector', async () => {
    const [v] = await createHashingEmbedder({ dim: 8 }).embed(['!!! ...']);
    expect(Array.from(v)).toEqual(new Array(8).fill(0));
  });

  it('bigrams distinguish word order; unigrams alone do not', async () => {
    const [a, b] = await createHashingEmbedder({ dim: 512, bigrams: true }).embed(['dog bites man', 'man bites dog']);
    expect(dot(a, b)).toBeLessThan(0.999);
    const [c, d] = await createHashingEmbedder({ dim: 512 }).embed(['dog bites man', 'man bites dog']);
    expect(dot(c, d)).toBeCloseTo(1, 5);
  });

  it('every non-empty text embeds to norm 1 (property)', async () => {
    const e = createHashingEmbedder({ dim: 16 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', 'cat', 'x1', 'été', '東京'), { minLength: 1, maxLength: 20 }), async (words) => {
        const [v] = await e.embed([words.join(' ')]);
        const n = dot(v, v);
        // Signed collisions can cancel exactly (e.g. "a a" with opposite signs is impossible, but
        // two different features can): the norm is 1 or the vector is zero.
        expect(n === 0 || Math.abs(n - 1) < 1e-5).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('validates its options with the standard message', () => {
    expect(() => createHashingEmbedder({ dim: 0 })).toThrow(new RangeError('Expected `dim` to be an integer in [1, 65536], got `0` (number)'));
    expect(() => createHashingEmbedder({ bigrams: 'yes' as never })).toThrow(new TypeError('Expected `bigrams` to be a boolean, got `"yes"` (string)'));
  });

  it('honours an aborted signal', async () => {
    await expect(createHashingEmbedder().embed(['x'], AbortSignal.abort())).rejects.toThrow(/abort/i);
  });
});
