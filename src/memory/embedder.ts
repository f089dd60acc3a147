import { DimensionMismatchError, EmbeddingFailedError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';

/**
 * What a store knows about its own collection, always current: how many items it holds and in
 * how many of them a term occurs. Terms are Porter stems of lower-cased, diacritic-free words, as
 * the keyword index (SQLite FTS5 `porter unicode61`) holds them.
 */
export interface TermStatistics {
  /** Items in the store. */
  readonly documents: number;
  /** In how many items `term` occurs. */
  documentFrequency(term: string): number;
}

/**
 * Turns texts into vectors. weft normalises every vector it stores, so an embedder need not.
 */
export interface Embedder {
  /**
   * Identifies the embedding space (e.g. `hashing-v1`, `openai:text-embedding-3-small`). A memory
   * database records it and refuses to open with another (`EMBEDDER_MISMATCH`).
   */
  readonly id: string;
  /** The dimension of every vector returned. */
  readonly dim: number;
  /** Embeds `texts`, one vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /**
   * Embeds a recall query knowing the store's collection (e.g. to weight its terms by IDF).
   * Optional: without it, queries go through {@link Embedder.embed} like stored texts. Its
   * vectors must be comparable with `embed`'s (same space and dimension).
   */
  embedQuery?(text: string, stats: TermStatistics, signal?: AbortSignal): Promise<Float32Array>;
}

/** A plain embedding function, as accepted by `createMemory({ embedder })`. */
export type EmbedFunction = (texts: readonly string[], signal?: AbortSignal) => Promise<Float32Array[]> | Float32Array[];

/** Wraps a plain function as an {@link Embedder} of dimension `dim`. */
export function embedderFromFunction(fn: EmbedFunction, dim: number, id = 'custom'): Embedder {
  if (typeof fn !== 'function') throw new TypeError(expectedMessage('embedder', 'a function or an Embedder', fn));
  return {
    id,
    dim,
    embed: async (texts, signal) => fn(texts, signal),
  };
}

/** Whether `value` looks like an {@link Embedder}. */
export function isEmbedder(value: unknown): value is Embedder {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Embedder).embed === 'function' &&
    typeof (value as Embedder).id === 'string' &&
    typeof (value as Embedder).dim === 'number'
  );
}

/**
 * Calls `embedder` (its `embedQuery` for a single query when `stats` is given) and checks what
 * came back: one Float32Array per text, each of the embedder's
 * dimension. A plugged-in function is not trusted to get this right.
 */
export async function embedChecked(
  embedder: Embedder,
  texts: readonly string[],
  signal?: AbortSignal,
  stats?: TermStatistics,
): Promise<Float32Array[]> {
  signal?.throwIfAborted();
  // A query (one text, with the store's statistics) goes through embedQuery when there is one.
  const vectors =
    stats !== undefined && texts.length === 1 && embedder.embedQuery !== undefined
      ? [await embedder.embedQuery(texts[0], stats, signal)]
      : await embedder.embed(texts, signal);
  signal?.throwIfAborted();
  if (!Array.isArray(vectors) || vectors.length !== texts.length) {
    throw new EmbeddingFailedError(
      `embedder ${embedder.id} returned ${Array.isArray(vectors) ? vectors.length : typeof vectors} vectors for ${texts.length} texts`,
    );
  }
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i];
    if (!(v instanceof Float32Array)) {
      throw new EmbeddingFailedError(`embedder ${embedder.id} returned a ${describeType(v)} at ${i}, not a Float32Array`);
    }
    if (v.length !== embedder.dim) throw new DimensionMismatchError(`embedder ${embedder.id} vector ${i}`, embedder.dim, v.length);
    // A NaN or infinite component would be stored but never found (no score compares with it).
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k])) throw new EmbeddingFailedError(`embedder ${embedder.id} returned a non-finite value (${v[k]}) at vector ${i}, component ${k}`);
    }
  }
  return vectors;
}

function describeType(v: unknown): string {
  return v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}
