import type { Hit } from './vector-matrix.js';

/** The constant of reciprocal-rank fusion (Cormack et al. 2009 found 60 robust). */
export const RRF_K = 60;

/** Options of {@link reciprocalRankFusion}. */
export interface FusionWeights {
  /** One weight per list. @default 1 each */
  readonly weights?: readonly number[];
  /** The rank constant. @default RRF_K */
  readonly constant?: number;
}

/**
 * Weighted reciprocal-rank fusion: list `j` contributes `weights[j] / (constant + rank)` (rank
 * from 1) to an id's score, so an item ranked well by both lists beats one ranked first by only
 * one. Scores of different scales (cosine, BM25) need no normalising. Ties go to the smaller id.
 */
export function reciprocalRankFusion(lists: readonly (readonly Hit[])[], k: number, options: FusionWeights = {}): Hit[] {
  const constant = options.constant ?? RRF_K;
  const scores = new Map<number, number>();
  lists.forEach((list, j) => {
    const w = options.weights?.[j] ?? 1;
    list.forEach((hit, i) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + w / (constant + i + 1)));
  });
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}
