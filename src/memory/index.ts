/**
 * The memory store: short-term, long-term and entity memory with vector recall (SIMD exact scan,
 * HNSW above a threshold), keyword and hybrid search, on SQLite in Node or in memory.
 *
 * @packageDocumentation
 */

export { createMemory } from './create-memory.js';
export { Memory } from './memory.js';
export { DEFAULT_MEMORY_OPTIONS } from './options.js';
export type { CreateMemoryOptions } from './options.js';
export { runMemory } from './run-memory.js';
export type { RunMemory, RememberOutputOptions } from './run-memory.js';
export { createHashingEmbedder, DEFAULT_HASHING_EMBEDDER_OPTIONS } from './hashing-embedder.js';
export type { HashingEmbedderOptions } from './hashing-embedder.js';
export { createOpenAIEmbedder, DEFAULT_OPENAI_EMBEDDER_OPTIONS } from './openai-embedder.js';
export type { OpenAIEmbedder, OpenAIEmbedderOptions } from './openai-embedder.js';
export { embedderFromFunction } from './embedder.js';
export type { Embedder, EmbedFunction, TermStatistics } from './embedder.js';
export { DEFAULT_HYBRID_OPTIONS } from './hybrid.js';
export type { HybridOptions } from './hybrid.js';
export { DEFAULT_HNSW_PARAMS } from './hnsw-index.js';
export type { HnswParams } from './hnsw-index.js';
export { RRF_K } from './rrf.js';
export { MEMORY_SCOPES } from './types.js';
export type {
  MemoryScope,
  MemoryItem,
  MemoryFilter,
  MemoryMetadata,
  FilterValue,
  MemorySelector,
  RecallMode,
  RecallOptions,
  RecallResult,
  RememberInput,
  RememberOptions,
  ListOptions,
  SearchPath,
} from './types.js';
