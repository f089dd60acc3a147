import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { Embedder } from './embedder.js';
import { tokenize } from './tokenize.js';

/** Options of {@link createHashingEmbedder}. */
export interface HashingEmbedderOptions {
  /** The vector dimension. @default 256 */
  readonly dim?: number;
  /** Also hash word bigrams (captures short phrases). @default true */
  readonly bigrams?: boolean;
}

/** Defaults of {@link HashingEmbedderOptions}. */
export const DEFAULT_HASHING_EMBEDDER_OPTIONS = Object.freeze({ dim: 256, bigrams: true });

// FNV-1a over UTF-16 code units, then a murmur3 finaliser: FNV alone clusters short keys
// (one-letter words differ only in the low bits), and the finaliser spreads them over all 32 bits.
function hash32(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An embedder that needs no model and no network: feature hashing of word unigrams (and
 * bigrams), each feature added with a hash-derived sign (so collisions cancel on average rather
 * than pile up), then L2-normalised. Texts sharing words score high; it does not know synonyms.
 * Deterministic across runs and platforms.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dim = checkInteger('dim', options.dim ?? DEFAULT_HASHING_EMBEDDER_OPTIONS.dim, 1, 1 << 16);
  const bigrams = options.bigrams ?? DEFAULT_HASHING_EMBEDDER_OPTIONS.bigrams;
  if (typeof bigrams !== 'boolean') throw new TypeError(expectedMessage('bigrams', 'a boolean', bigrams));
  const embedOne = (text: string): Float32Array => {
    const v = new Float32Array(dim);
    const words = tokenize(text);
    const add = (feature: string, weight: number) => {
      const h = hash32(feature, 0);
      v[h % dim] += h & 0x80000000 ? -weight : weight;
    };
    for (let i = 0; i < words.length; i++) {
      add(words[i], 1);
      if (bigrams && i > 0) add(`${words[i - 1]} ${words[i]}`, 0.5);
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += v[i] * v[i];
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < dim; i++) v[i] *= inv;
    }
    return v;
  };
  return Object.freeze({
    id: `hashing-v1:${bigrams ? 'uni+bi' : 'uni'}`,
    dim,
    async embed(texts: readonly string[], signal?: AbortSignal) {
      signal?.throwIfAborted();
      return texts.map(embedOne);
    },
  });
}
