import type { Hit } from './vector-matrix.js';

/** Which HNSW implementation a memory uses. */
export type IndexKind = 'weft' | 'hnswlib-wasm';

/** The index kinds, for validation. */
export const INDEX_KINDS: readonly IndexKind[] = Object.freeze(['weft', 'hnswlib-wasm']);

/**
 * What the vector search needs of an approximate index, whichever implementation serves it.
 * Adding queues vectors as pending; `link` does the graph work in bounded steps, so a background
 * build can yield to the event loop between them.
 */
export interface VectorIndex {
  readonly kind: IndexKind;
  /** Live (not deleted) items, pending or linked. */
  readonly size: number;
  /** Items added but not linked into the graph yet. */
  readonly pending: number;
  /** Share of the graph's nodes that are tombstones (a repair rebuild is due above a limit). */
  readonly tombstoneShare: number;
  /** Whether searches cover pending items (otherwise they must be linked before the index serves). */
  readonly searchesPending: boolean;
  /** Whether `id` is a live item. */
  has(id: number): boolean;
  /** The live ids. */
  ids(): number[];
  /** Adds (or replaces) vectors under `ids`, as pending. */
  add(ids: readonly number[], vectors: readonly Float32Array[]): void;
  /** Links up to `max` pending items; returns how many stay pending. */
  link(max: number): number;
  /** Deletes `id` (no-op when absent). */
  delete(id: number): void;
  /** Changes efSearch for later searches. */
  setEfSearch(ef: number): void;
  /** The `k` nearest live items to `query` (a unit vector), best first, optionally only among `allowed`. */
  search(query: Float32Array, k: number, allowed?: readonly number[]): Hit[];
  /** The index as bytes, to store in the database. */
  toBytes(): Promise<Uint8Array>;
  /** Whether another thread links it: `link` then does nothing and `progress` waits for that thread. */
  readonly linksElsewhere?: boolean;
  /** Resolves when the other thread has linked more (at once when it does not, or nothing is pending). */
  progress?(signal?: AbortSignal): Promise<void>;
  /** Releases what the index holds outside its memory (a linker thread). */
  dispose?(): void;
}
