import { describe, expect, it } from 'vitest';
import type { TermStatistics } from '../../src/memory/embedder.js';
import { createHashingEmbedder } from '../../src/memory/hashing-embedder.js';
import { createMemory } from '../../src/memory/create-memory.js';
import { tempDir } from '../helpers/temp-dir.js';
import { afterAll } from 'vitest';

const tmp = tempDir('weft-idf-');
afterAll(() => tmp.remove());

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
const stats = (documents: number, df: Record<string, number>): TermStatistics => ({ documents, documentFrequency: (t) => df[t] ?? 0 });

describe('hashing embedder v2: stems, stop words, sublinear tf, query IDF', () => {
  it('embeds inflections and stop words alike: "The cats are running" is "cat run"', async () => {
    const e = createHashingEmbedder({ dim: 128 });
    const [a, b] = await e.embed(['The cats are running', 'cat run']);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('counts repeats sublinearly in stored texts: 1 + ln(tf)', async () => {
    const e = createHashingEmbedder({ dim: 4096 });
    const [once, many, other] = await e.embed(['zebra', 'zebra zebra zebra zebra lion', 'lion']);
    // many = (1 + ln 4) * zebra + lion, normalised
    const w = 1 + Math.log(4);
    expect(dot(many, once)).toBeCloseTo(w / Math.hypot(w, 1), 5);
    expect(dot(many, other)).toBeCloseTo(1 / Math.hypot(w, 1), 5);
  });

  it('weights query terms by the collection IDF; terms no item holds get no weight', async () => {
    const e = createHashingEmbedder({ dim: 4096 });
    const [zebra, lion] = await e.embed(['zebra', 'lion']);
    const q = await e.embedQuery!('zebra lion unicorn', stats(100, { zebra: 2, lion: 60 }));
    const idf = (df: number) => Math.log(1 + (100 - df + 0.5) / (df + 0.5));
    expect(dot(q, zebra) / dot(q, lion)).toBeCloseTo(idf(2) / idf(60), 4);
    expect(dot(q, zebra) ** 2 + dot(q, lion) ** 2).toBeCloseTo(1, 5); // unicorn added nothing
    // Nothing known (an empty store): plain counts, not a zero vector.
    const empty = await e.embedQuery!('zebra lion', stats(0, {}));
    expect(dot(empty, zebra)).toBeCloseTo(Math.SQRT1_2, 5);
  });

  it('keeps version 1 as it was (id, bigrams, raw words) for files written with it', async () => {
    const v1 = createHashingEmbedder({ version: 1, dim: 512 });
    expect(v1.id).toBe('hashing-v1:uni+bi');
    expect(v1.embedQuery).toBeUndefined();
    const [a, b] = await v1.embed(['the cats', 'cat']);
    expect(dot(a, b)).toBeLessThan(0.5);
    expect(() => createHashingEmbedder({ version: 3 as never })).toThrow(new TypeError('Expected `version` to be 1 or 2, got `3` (number)'));
  });

  it.each([['in-memory', undefined], ['sqlite', 'idf.db']])('follows the store as it grows (%s): a word that becomes common stops deciding', async (_, file) => {
    const m = await createMemory({ path: file === undefined ? undefined : tmp.file(file), dim: 1024 });
    const [lion] = await m.rememberMany(['lion', 'tiger', 'zebra', 'giraffe']);
    const first = await m.recall('lion tiger', { k: 2 });
    // Both words equally rare: equal scores, the tie to the smaller id.
    expect(first.map((h) => h.text)).toEqual(['lion', 'tiger']);
    expect(first[0].score).toBeCloseTo(first[1].score, 6);
    // 'lion' is now in most items: its IDF falls, and 'tiger' wins the same query.
    await m.rememberMany(Array.from({ length: 30 }, (_, i) => `lion pride ${i}`));
    const later = await m.recall('lion tiger', { k: 2 });
    expect(later[0].text).toBe('tiger');
    expect(later.find((h) => h.id === lion.id)?.score ?? 0).toBeLessThan(first[0].score);
    await m.close();
  });
});
