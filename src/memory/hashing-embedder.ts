import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { Embedder, TermStatistics } from './embedder.js';
import { STOP_WORDS } from './stop-words.js';
import { stem, tokenize, words } from './tokenize.js';

/** Options of {@link createHashingEmbedder}. */
export interface HashingEmbedderOptions {
  /**
   * The vector dimension. 256 measured best for its cost (bench `memory-quality`, CISI): vector
   * nDCG@10 0.26 at 256, 0.29 at 384, 0.30 at 512, 0.35 at 1024, but each doubling doubles the
   * bytes per item (1 KB at 256) and the exact scan's time per query.
   * @default 256
   */
  readonly dim?: number;
  /**
   * `2`: Porter-stemmed words without stop words, sublinear term frequency (1 + ln tf) in stored
   * texts, and queries weighted by the IDF of the store's own collection ({@link Embedder.embedQuery}).
   * `1`: the first version (raw words and bigrams, tf), kept so that files written with it open.
   * @default 2
   */
  readonly version?: 1 | 2;
  /** Also hash word bigrams (captures short phrases). @default false (true with `version: 1`) */
  readonly bigrams?: boolean;
}

/** Defaults of {@link HashingEmbedderOptions}. */
export const DEFAULT_HASHING_EMBEDDER_OPTIONS = Object.freeze({ dim: 256, version: 2 as const, bigrams: false });

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

/** Adds `weight` at the feature's bucket with a hash-derived sign (collisions cancel on average). */
function addFeature(v: Float32Array, feature: string, weight: number): void {
  const h = hash32(feature, 0);
  v[h % v.length] += h & 0x80000000 ? -weight : weight;
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

function embedV1(text: string, dim: number, bigrams: boolean): Float32Array {
  const v = new Float32Array(dim);
  const ws = tokenize(text);
  for (let i = 0; i < ws.length; i++) {
    addFeature(v, ws[i], 1);
    if (bigrams && i > 0) addFeature(v, `${ws[i - 1]} ${ws[i]}`, 0.5);
  }
  return normalise(v);
}

/** Term (and bigram) counts of `text`: stop words dropped before stemming, as they are listed. */
function features(text: string, bigrams: boolean): Map<string, number> {
  const counts = new Map<string, number>();
  let previous: string | undefined;
  for (const w of words(text)) {
    if (STOP_WORDS.has(w)) {
      previous = undefined;
      continue;
    }
    const t = stem(w);
    counts.set(t, (counts.get(t) ?? 0) + 1);
    if (bigrams && previous !== undefined) {
      const b = `${previous} ${t}`;
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    previous = t;
  }
  return counts;
}

// Lucene's BM25 IDF, ln(1 + (N - n + 0.5) / (n + 0.5)): always positive, unlike FTS5's.
const idf = (documents: number, df: number) => Math.log(1 + (documents - df + 0.5) / (df + 0.5));

/**
 * A query's vector: each term weighted by its count times its IDF in the store. A term no item
 * holds would only add collision noise, so it gets no weight; a bigram weighs as its rarer word.
 */
function embedQueryV2(text: string, dim: number, bigrams: boolean, stats: TermStatistics): Float32Array {
  const v = new Float32Array(dim);
  const counts = features(text, bigrams);
  const weightOf = new Map<string, number>();
  const termIdf = (t: string) => {
    let w = weightOf.get(t);
    if (w === undefined) {
      const df = stats.documentFrequency(t);
      weightOf.set(t, (w = df === 0 ? 0 : idf(stats.documents, df)));
    }
    return w;
  };
  let any = false;
  for (const [f, c] of counts) {
    const space = f.indexOf(' ');
    const w = space < 0 ? termIdf(f) : Math.min(termIdf(f.slice(0, space)), termIdf(f.slice(space + 1)));
    if (w > 0) any = true;
    addFeature(v, f, c * w);
  }
  // Nothing the store knows (or an empty store): plain counts, so the query still has a direction.
  if (!any) for (const [f, c] of counts) addFeature(v, f, c);
  return normalise(v);
}

function embedDocumentV2(text: string, dim: number, bigrams: boolean): Float32Array {
  const v = new Float32Array(dim);
  for (const [f, c] of features(text, bigrams)) addFeature(v, f, 1 + Math.log(c));
  return normalise(v);
}

/**
 * An embedder that needs no model and no network: feature hashing of terms into `dim` buckets,
 * each with a hash-derived sign, then L2-normalised. Version 2 (the default) applies what lexical
 * retrieval knows: Porter stems, no stop words, sublinear tf for stored texts, and IDF from the
 * store's own collection for queries, so stored vectors never need re-embedding as the
 * collection grows. Texts sharing rare words score high; it does not know synonyms.
 * Deterministic across runs and platforms.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dim = checkInteger('dim', options.dim ?? DEFAULT_HASHING_EMBEDDER_OPTIONS.dim, 1, 1 << 16);
  const version = options.version ?? DEFAULT_HASHING_EMBEDDER_OPTIONS.version;
  if (version !== 1 && version !== 2) throw new TypeError(expectedMessage('version', '1 or 2', version));
  const bigrams = options.bigrams ?? version === 1;
  if (typeof bigrams !== 'boolean') throw new TypeError(expectedMessage('bigrams', 'a boolean', bigrams));
  const id = `hashing-v${version}:${bigrams ? 'uni+bi' : 'uni'}`;
  if (version === 1) {
    return Object.freeze({
      id,
      dim,
      async embed(texts: readonly string[], signal?: AbortSignal) {
        signal?.throwIfAborted();
        return texts.map((t) => embedV1(t, dim, bigrams));
      },
    });
  }
  return Object.freeze({
    id,
    dim,
    async embed(texts: readonly string[], signal?: AbortSignal) {
      signal?.throwIfAborted();
      return texts.map((t) => embedDocumentV2(t, dim, bigrams));
    },
    async embedQuery(text: string, stats: TermStatistics, signal?: AbortSignal) {
      signal?.throwIfAborted();
      return embedQueryV2(text, dim, bigrams, stats);
    },
  });
}
