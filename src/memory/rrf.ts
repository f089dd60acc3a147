import type { Hit } from './vector-matrix.js';

/** The constant of reciprocal-rank fusion (Cormack et al. 2009 found 60 robust). */
export const RRF_K = 60;

/**
 * Reciprocal-rank fusion: each list contributes `1 / (RRF_K + rank)` (rank from 1) to an id's
 * score, so an item ranked well by both lists beats one ranked first by only one. Scores of
 * different scales (cosine, BM25) need no normalising. Ties go to the smaller id.
 */
export function reciprocalRankFusion(lists: readonly (readonly Hit[])[], k: number): Hit[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.forEach((hit, i) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + 1 / (RRF_K + i + 1)));
  }
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}
