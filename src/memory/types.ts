/**
 * Public types of the memory store: scopes, items, and the options of `remember`, `recall`,
 * `forget` and `list`.
 *
 * @packageDocumentation
 */

import type { HybridOptions } from './hybrid.js';

/**
 * Where an item lives:
 * - `'short-term'`: belongs to one run (`runId`) and is deleted by `endRun(runId)`;
 * - `'long-term'`: persistent;
 * - `'entity'`: one item per entity name whose facts are merged on every `remember`.
 */
export type MemoryScope = 'short-term' | 'long-term' | 'entity';

/** The scopes, in a fixed order (for validation messages). */
export const MEMORY_SCOPES: readonly MemoryScope[] = ['short-term', 'long-term', 'entity'];

/** A metadata value that can be filtered on (equality). */
export type FilterValue = string | number | boolean | null;

/**
 * An equality filter on metadata: every key must equal its value (AND). Only top-level scalar
 * metadata values are indexed, so only they can be filtered on.
 */
export type MemoryFilter = Readonly<Record<string, FilterValue>>;

/** Free-form metadata stored with an item (JSON). */
export type MemoryMetadata = Readonly<Record<string, unknown>>;

/** A stored memory. */
export interface MemoryItem {
  /** Stable id (an integer, unique within the store). */
  readonly id: number;
  /** The remembered text (for entities: the merged facts, one per line). */
  readonly text: string;
  /** The item's scope. */
  readonly scope: MemoryScope;
  /** The run a short-term item belongs to. */
  readonly runId: string | null;
  /** The entity name of an entity item. */
  readonly entity: string | null;
  /** Metadata (for entities: merged, later keys win). */
  readonly metadata: MemoryMetadata;
  /** Creation time, ms since the epoch. */
  readonly createdAt: number;
  /** Last update time, ms since the epoch. */
  readonly updatedAt: number;
}

/** A recalled item with its score. */
export interface RecallResult extends MemoryItem {
  /**
   * Higher is closer. `vector` mode: cosine similarity in [-1, 1]; `keyword` mode: the negated
   * BM25 rank (larger is better); `hybrid` mode: the weighted reciprocal-rank-fusion score.
   */
  readonly score: number;
}

/** What to store: a text, or a text with metadata. */
export type RememberInput = string | { readonly text: string; readonly metadata?: MemoryMetadata };

/** Options of `remember`. */
export interface RememberOptions {
  /** @default 'long-term' (or `'short-term'` when `runId` is given, `'entity'` when `entity` is) */
  readonly scope?: MemoryScope;
  /** The run of a short-term item (required for `'short-term'`). */
  readonly runId?: string;
  /** The entity name (required for `'entity'`). */
  readonly entity?: string;
  /** Aborts the embedding. */
  readonly signal?: AbortSignal;
}

/** How `recall` ranks. */
export type RecallMode = 'vector' | 'keyword' | 'hybrid';

/** Which items an operation applies to. Every given field must match (AND). */
export interface MemorySelector {
  /** Only this scope. @default every scope */
  readonly scope?: MemoryScope;
  /** Only items of this run. */
  readonly runId?: string;
  /** Only this entity. */
  readonly entity?: string;
  /** Metadata equality conditions. */
  readonly filter?: MemoryFilter;
}

/** Options of `recall`. */
export interface RecallOptions extends MemorySelector {
  /** How many results at most. @default 10 */
  readonly k?: number;
  /** Drop results scoring below this (compared with {@link RecallResult.score}). @default -Infinity */
  readonly minScore?: number;
  /** @default 'vector' */
  readonly mode?: RecallMode;
  /** How `mode: 'hybrid'` fuses keyword and vector search. @default DEFAULT_HYBRID_OPTIONS */
  readonly hybrid?: HybridOptions;
  /** Aborts the embedding of the query. */
  readonly signal?: AbortSignal;
}

/** Options of `list`. */
export interface ListOptions extends MemorySelector {
  /** At most this many items, oldest first. @default all */
  readonly limit?: number;
  /** Skip this many. @default 0 */
  readonly offset?: number;
}

/** How the last vector recall was served (for tests and tuning). */
export type SearchPath = 'exact' | 'exact-filtered' | 'hnsw' | 'hnsw-filtered' | 'hnsw-fallback';
