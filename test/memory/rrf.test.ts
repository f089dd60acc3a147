import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from '../../src/memory/rrf.js';

describe('reciprocalRankFusion', () => {
  it('ranks an item found by both lists above items found by one', () => {
    const vector = [{ id: 1, score: 0.9 }, { id: 2, score: 0.8 }, { id: 3, score: 0.1 }];
    const keyword = [{ id: 4, score: 12 }, { id: 3, score: 5 }];
    const fused = reciprocalRankFusion([vector, keyword], 10);
    expect(fused[0].id).toBe(3);
    expect(fused[0].score).toBeCloseTo(1 / (RRF_K + 3) + 1 / (RRF_K + 2), 12);
    expect(fused.map((h) => h.id)).toEqual([3, 1, 4, 2]);
  });

  it('ignores the scales of the scores and breaks ties by id', () => {
    const fused = reciprocalRankFusion([[{ id: 9, score: 1e9 }], [{ id: 5, score: -3 }]], 5);
    expect(fused.map((h) => h.id)).toEqual([5, 9]);
  });

  it('returns at most k', () => {
    expect(reciprocalRankFusion([[{ id: 1, score: 1 }, { id: 2, score: 1 }]], 1)).toHaveLength(1);
  });
});

describe('weighted reciprocalRankFusion', () => {
  it('multiplies each list by its weight and uses the given constant', () => {
    const a = [{ id: 1, score: 1 }, { id: 2, score: 1 }];
    const b = [{ id: 2, score: 1 }, { id: 1, score: 1 }];
    const fused = reciprocalRankFusion([a, b], 2, { weights: [3, 1], constant: 0 });
    expect(fused).toEqual([
      { id: 1, score: 3 / 1 + 1 / 2 },
      { id: 2, score: 3 / 2 + 1 / 1 },
    ]);
    // A list weighing 0 cannot reorder the other's items.
    expect(reciprocalRankFusion([a, b], 2, { weights: [1, 0] }).map((h) => h.id)).toEqual([1, 2]);
  });
});
