import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { DEFAULT_HYBRID_OPTIONS, feedbackQuery, resolveHybridOptions } from '../../src/memory/hybrid.js';
import type { Memory } from '../../src/memory/memory.js';

describe('resolveHybridOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveHybridOptions(undefined)).toBe(DEFAULT_HYBRID_OPTIONS);
    expect(resolveHybridOptions({ vectorWeight: 2 })).toEqual({ ...DEFAULT_HYBRID_OPTIONS, vectorWeight: 2 });
    expect(DEFAULT_HYBRID_OPTIONS).toEqual({ keywordWeight: 1, vectorWeight: 1, rrfK: 60, feedbackItems: 10, feedbackWeight: 1, depth: 100 });
  });

  it('validates with the standard messages', () => {
    expect(() => resolveHybridOptions('x' as never)).toThrow(new TypeError('Expected `hybrid` to be an object, got `"x"` (string)'));
    expect(() => resolveHybridOptions({ keywordWeight: -1 })).toThrow(new TypeError('Expected `hybrid.keywordWeight` to be a finite number >= 0, got `-1` (number)'));
    expect(() => resolveHybridOptions({ rrfK: Infinity })).toThrow(new TypeError('Expected `hybrid.rrfK` to be a finite number >= 0, got `Infinity` (number)'));
    expect(() => resolveHybridOptions({ feedbackItems: 1.5 })).toThrow(new RangeError('Expected `hybrid.feedbackItems` to be an integer >= 0, got `1.5` (number)'));
    expect(() => resolveHybridOptions({ depth: 0 })).toThrow(new RangeError('Expected `hybrid.depth` to be an integer >= 1, got `0` (number)'));
    expect(() => resolveHybridOptions({ keywordWeight: 0, vectorWeight: 0 })).toThrow(RangeError);
  });
});

describe('feedbackQuery', () => {
  it('adds the weighted mean of the feedback vectors (Rocchio)', () => {
    const q = Float32Array.from([1, 0, 0]);
    const out = feedbackQuery(q, [Float32Array.from([0, 1, 0]), Float32Array.from([0, 0, 1])], 2);
    expect(Array.from(out)).toEqual([1, 1, 1]);
    expect(Array.from(q)).toEqual([1, 0, 0]); // not changed in place
    expect(Array.from(feedbackQuery(q, [], 1))).toEqual([1, 0, 0]);
  });
});

describe('hybrid recall', () => {
  let m: Memory;
  const texts = [
    'solar panel efficiency of photovoltaic cells',
    'the bakery sells sourdough bread',
    'a solar eclipse darkened the sky',
    'panel discussion on city budgets',
    'silicon wafers are sliced from ingots',
    'sourdough needs a starter culture',
    'photovoltaic cells convert light with silicon wafers',
  ];
  const pv = texts[6];
  beforeAll(async () => {
    m = await createMemory({ dim: 1024 });
    await m.rememberMany(texts);
  });
  afterAll(() => m.close());
  const ids = (r: { text: string }[]) => r.map((h) => h.text);

  it('finds, through the keyword hits, an item that shares their vocabulary but not the query words', async () => {
    const keyword = await m.recall('solar panel', { mode: 'keyword', k: 7 });
    expect(ids(keyword)).not.toContain(pv);
    // The vector side alone (keyword weight 0), moved towards the keyword hits, ranks it first
    // after them; the plain query vector shares no word with it and leaves it last.
    const moved = await m.recall('solar panel', { mode: 'hybrid', k: 7, hybrid: { keywordWeight: 0 } });
    expect(ids(moved).indexOf(pv)).toBe(keyword.length);
    const plain = await m.recall('solar panel', { mode: 'vector', k: 7 });
    expect(ids(plain).indexOf(pv)).toBe(6);
    const fused = await m.recall('solar panel', { mode: 'hybrid', k: 7 });
    expect(fused[0].text).toBe(texts[0]);
    expect(ids(fused).filter((t) => !ids(keyword).includes(t))[0]).toBe(pv);
  });

  it('scores by weighted RRF: weights and the rank constant are the options', async () => {
    const [top] = await m.recall('solar panel efficiency', { mode: 'hybrid', k: 1, hybrid: { keywordWeight: 2, vectorWeight: 0.5, rrfK: 10 } });
    expect(top.text).toBe(texts[0]);
    expect(top.score).toBeCloseTo(2 / 11 + 0.5 / 11, 12);
  });

  it('reduces to either input when the other weighs nothing', async () => {
    for (const q of ['solar panel', 'sourdough bread', 'silicon cells']) {
      const keyword = await m.recall(q, { mode: 'keyword', k: 2 });
      expect(ids(await m.recall(q, { mode: 'hybrid', k: 2, hybrid: { vectorWeight: 0 } }))).toEqual(ids(keyword));
      const vector = await m.recall(q, { mode: 'vector', k: 3 });
      expect(ids(await m.recall(q, { mode: 'hybrid', k: 3, hybrid: { keywordWeight: 0, feedbackItems: 0 } }))).toEqual(ids(vector));
    }
  });

  it('rejects bad hybrid options before embedding', async () => {
    await expect(m.recall('solar', { mode: 'hybrid', hybrid: { depth: 0 } })).rejects.toThrow(RangeError);
  });
});
