import { checkInteger, expectedMessage } from '../internal/validate.js';
import { RRF_K } from './rrf.js';

/**
 * How `recall(..., { mode: 'hybrid' })` combines keyword and vector search: pseudo-relevance
 * feedback (the vectors of the best keyword hits move the query vector towards what the keywords
 * found), then weighted reciprocal-rank fusion of the keyword list and that vector search.
 * Defaults tuned on CISI (bench `memory-quality`), none specific to it: the optimum is flat, nDCG@10
 * within 0.006 of the default (0.384) for 5-20 feedback items, feedback weights 0.5-2, keyword
 * weights 1-2, RRF constants 20-100 and list depths 50-100.
 */
export interface HybridOptions {
  /** Weight of the keyword (BM25) list in the fusion. @default 1 */
  readonly keywordWeight?: number;
  /** Weight of the vector list in the fusion. @default 1 */
  readonly vectorWeight?: number;
  /** The RRF rank constant. @default 60 */
  readonly rrfK?: number;
  /** How many of the best keyword hits feed back into the query vector; 0 turns feedback off. @default 10 */
  readonly feedbackItems?: number;
  /** Weight of the feedback items' mean vector, added to the unit query vector. @default 1 */
  readonly feedbackWeight?: number;
  /** How many hits of each list are fused (at least `k`). @default 100 */
  readonly depth?: number;
}

/** Defaults of {@link HybridOptions}. */
export const DEFAULT_HYBRID_OPTIONS = Object.freeze({
  keywordWeight: 1,
  vectorWeight: 1,
  rrfK: RRF_K,
  feedbackItems: 10,
  feedbackWeight: 1,
  depth: 100,
});

/** {@link HybridOptions} with every field set. */
export type ResolvedHybridOptions = Readonly<Required<HybridOptions>>;

function checkWeight(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(expectedMessage(name, 'a finite number >= 0', value));
  return value;
}

/** Validates `options.hybrid` and fills in the defaults. */
export function resolveHybridOptions(options: HybridOptions | undefined): ResolvedHybridOptions {
  if (options === undefined) return DEFAULT_HYBRID_OPTIONS;
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('hybrid', 'an object', options));
  const o = { ...DEFAULT_HYBRID_OPTIONS, ...options };
  const resolved = Object.freeze({
    keywordWeight: checkWeight('hybrid.keywordWeight', o.keywordWeight),
    vectorWeight: checkWeight('hybrid.vectorWeight', o.vectorWeight),
    rrfK: checkWeight('hybrid.rrfK', o.rrfK),
    feedbackItems: checkInteger('hybrid.feedbackItems', o.feedbackItems, 0),
    feedbackWeight: checkWeight('hybrid.feedbackWeight', o.feedbackWeight),
    depth: checkInteger('hybrid.depth', o.depth, 1),
  });
  if (resolved.keywordWeight + resolved.vectorWeight === 0) {
    throw new RangeError(expectedMessage('hybrid.keywordWeight + hybrid.vectorWeight', 'greater than 0', 0));
  }
  return resolved;
}

/**
 * Rocchio's feedback on unit vectors: `query + weight * mean(feedback)` (not normalised; the
 * store normalises every query). With no feedback, a copy of `query`.
 */
export function feedbackQuery(query: Float32Array, feedback: readonly Float32Array[], weight: number): Float32Array {
  const out = query.slice();
  if (feedback.length === 0 || weight === 0) return out;
  const w = weight / feedback.length;
  for (const v of feedback) for (let i = 0; i < out.length; i++) out[i] += w * v[i];
  return out;
}
