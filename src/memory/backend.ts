import type { TermStatistics } from './embedder.js';
import type { MemoryMetadata, MemoryScope, MemorySelector } from './types.js';
import type { Hit } from './vector-matrix.js';

/** A stored row, as a backend returns it. */
export interface StoredRow {
  readonly id: number;
  readonly scope: MemoryScope;
  readonly runId: string | null;
  readonly entity: string | null;
  readonly text: string;
  readonly metadata: MemoryMetadata;
  /** Unit vector. */
  readonly vector: Float32Array;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A row to insert. */
export interface NewRow {
  readonly scope: MemoryScope;
  readonly runId: string | null;
  readonly entity: string | null;
  readonly text: string;
  readonly metadata: MemoryMetadata;
  readonly vector: Float32Array;
  readonly now: number;
}

/** What a store records about itself, checked on open. */
export interface StoreMeta {
  /** Vector dimension. */
  readonly dim: number;
  /** The embedder's id. */
  readonly embedder: string;
}

/**
 * Storage behind a memory: SQLite in Node ({@link SqliteBackend}), plain maps in browsers
 * ({@link InMemoryBackend}). Search structures (matrix, HNSW) live above it and are rebuilt from
 * {@link MemoryBackend.vectors}. Every method is synchronous, so a caller's sequence of calls
 * cannot interleave with another task's.
 */
export interface MemoryBackend {
  /** Names the store in messages (the path, or `:memory:`). */
  readonly source: string;
  /** Whether the HNSW index bytes can be saved (a persistent store). */
  readonly persistent: boolean;
  readMeta(): StoreMeta | undefined;
  writeMeta(meta: StoreMeta): void;
  /** Inserts rows in one transaction; returns their ids in order. */
  insert(rows: readonly NewRow[]): number[];
  /** Replaces an entity row's text, metadata and vector. */
  update(id: number, row: Pick<NewRow, 'text' | 'metadata' | 'vector' | 'now'>): void;
  /** Deletes rows in one transaction. */
  delete(ids: readonly number[]): void;
  /**
   * Rows by id, in the order given; unknown ids are skipped. With `vectors: false` a backend may
   * leave `vector` empty (recall returns items, not vectors, and reading k BLOBs back cost more
   * than the index search at 100K items).
   */
  getMany(ids: readonly number[], vectors?: boolean): StoredRow[];
  /**
   * `getMany(ids, false)` and {@link MemoryBackend.externalVersion} as of the same read: what a
   * recall needs, in one query where the backend can.
   */
  recallItems(ids: readonly number[]): { rows: StoredRow[]; version: number };
  /** The entity row named `name`. */
  findEntity(name: string): StoredRow | undefined;
  /** Rows matching `selector`, oldest first. */
  list(selector: MemorySelector, limit: number, offset: number): StoredRow[];
  /** Ids of rows matching `selector` (uses the metadata index). */
  ids(selector: MemorySelector): number[];
  count(selector: MemorySelector): number;
  /** Every row's id and vector. */
  vectors(): Iterable<{ id: number; vector: Float32Array }>;
  /**
   * Keyword search, best first, ranked by FTS5's `bm25()` over Porter-stemmed terms (every query
   * word OR-ed, repeats counted); `score` is the negated rank, larger for better matches.
   */
  keyword(query: string, selector: MemorySelector, limit: number): Hit[];
  /** Document frequencies from the keyword index, always current (for IDF-weighting embedders). */
  termStatistics(): TermStatistics;
  loadIndex(): Uint8Array | undefined;
  /** Saves (or with `undefined`, drops) the HNSW index bytes. */
  saveIndex(bytes: Uint8Array | undefined): void;
  /** A number that changes when another connection has written to the store. */
  externalVersion(): number;
  close(): void;
}

/** Whether any field of a selector restricts the rows. */
export function isEmptySelector(s: MemorySelector): boolean {
  return s.scope === undefined && s.runId === undefined && s.entity === undefined && (s.filter === undefined || Object.keys(s.filter).length === 0);
}
