import { DimensionMismatchError } from '../errors.js';
import { checkInteger, checkOneOf, expectedMessage } from '../internal/validate.js';
import type { KernelSet } from '../kernels/types.js';
import { embedderFromFunction, isEmbedder, type EmbedFunction, type Embedder } from './embedder.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { INDEX_KINDS, type IndexKind } from './ann-types.js';
import { DEFAULT_HNSW_PARAMS, type HnswParams } from './hnsw-index.js';

/** Options of {@link createMemory}. */
export interface CreateMemoryOptions {
  /**
   * The SQLite file (created when missing; `':memory:'` for a private in-memory database).
   * Without it, the memory uses the in-memory backend (the one browsers get).
   * @default undefined
   */
  readonly path?: string;
  /**
   * Turns texts into vectors: an {@link Embedder}, or a function `(texts) => Float32Array[]`
   * whose vectors have `dim` elements.
   * @default the hashing embedder (version 2) of dimension `dim` (offline, no model); a file
   *   written with the version-1 hashing embedder (weft 0.1) opens with that one instead
   */
  readonly embedder?: Embedder | EmbedFunction;
  /**
   * The vector dimension. With an {@link Embedder} it defaults to (and must equal) `embedder.dim`.
   * @default 256
   */
  readonly dim?: number;
  /**
   * Recorded in the database for a plain-function embedder, and checked on reopen: name the model.
   * @default 'custom'
   */
  readonly embedderId?: string;
  /**
   * Items from which recall uses an HNSW index instead of the exact SIMD scan; `Infinity` never
   * builds one. Where weft's index starts to beat the exact scan, measured on 2 cores (bench
   * `memory threshold`, clustered vectors of dim 256, k 10, ef 100, recall@10 1 at each size): at
   * 2,000 items the scan is still faster (70 µs against 102 µs per query), at 5,000 the index is
   * 2.6x faster (120 µs against 313 µs), at 10,000 9x; the crossover is near 3,000. Below it the
   * index would cost insert time (linking an item costs about twice storing it) for nothing.
   * @default 3000
   */
  readonly hnswThreshold?: number;
  /** HNSW parameters. @default { m: 16, efConstruction: 100, efSearch: 100 } */
  readonly hnsw?: Partial<HnswParams>;
  /**
   * The HNSW implementation: `'weft'`, weft's own (AssemblyScript on the SIMD kernels, its graph
   * in WebAssembly memory), or `'hnswlib-wasm'` (the hnswlib package, kept as the bench's peer).
   * Without WebAssembly neither loads and recall stays exact. An index saved by one kind is
   * rebuilt by the other.
   * @default 'weft'
   */
  readonly index?: IndexKind;
  /**
   * Whether weft's index is linked on a worker thread of its own (where there are worker threads:
   * Node; the browser links on the memory's thread). Inserts then return at the SQLite rate while
   * the graph catches up; recall scans the items not linked yet, so it finds them all, and an
   * insert waits when more than 2,048 are behind. `false` links on the memory's thread, in the
   * background between calls.
   * @default true
   */
  readonly indexThread?: boolean;
  /**
   * A filtered recall whose filter matches at most this many items scans them exactly (always
   * correct); above, it searches the HNSW index with the filter and falls back to exact when the
   * index returns fewer than `k`.
   * @default 4096
   */
  readonly exactFilterLimit?: number;
  /** Kernels for the exact scan. @default `getKernels()` after `initKernels()` */
  readonly kernels?: KernelSet;
  /** Aborts opening (loading kernels, hnswlib and an index). */
  readonly signal?: AbortSignal;
}

/** Defaults of {@link CreateMemoryOptions}. */
export const DEFAULT_MEMORY_OPTIONS = Object.freeze({
  dim: 256,
  embedderId: 'custom',
  hnswThreshold: 3000,
  hnsw: DEFAULT_HNSW_PARAMS,
  index: 'weft' as IndexKind,
  indexThread: true,
  exactFilterLimit: 4096,
});

/** {@link CreateMemoryOptions} resolved, validated and frozen. */
export interface ResolvedMemoryOptions {
  readonly path: string | undefined;
  readonly embedder: Embedder;
  /** Whether `embedder` is the default (no `embedder` option given). */
  readonly defaultEmbedder: boolean;
  readonly dim: number;
  readonly hnswThreshold: number;
  readonly hnsw: HnswParams;
  readonly index: IndexKind;
  readonly indexThread: boolean;
  readonly exactFilterLimit: number;
  readonly kernels: KernelSet | undefined;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(expectedMessage(name, 'a boolean', value));
  return value;
}

function checkThreshold(value: unknown): number {
  if (value === Infinity) return value;
  return checkInteger('hnswThreshold', value, 1);
}

/** Resolves and validates options (programmer errors throw `TypeError`/`RangeError`). */
export function resolveMemoryOptions(options: CreateMemoryOptions): ResolvedMemoryOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const o = { ...DEFAULT_MEMORY_OPTIONS, ...options };
  if (o.path !== undefined && (typeof o.path !== 'string' || o.path === '')) {
    throw new TypeError(expectedMessage('path', 'a non-empty string', o.path));
  }
  if (typeof o.embedderId !== 'string' || o.embedderId === '') {
    throw new TypeError(expectedMessage('embedderId', 'a non-empty string', o.embedderId));
  }
  let embedder: Embedder;
  let dim: number;
  if (isEmbedder(o.embedder)) {
    embedder = o.embedder;
    checkInteger('embedder.dim', embedder.dim, 1);
    dim = options.dim === undefined ? embedder.dim : checkInteger('dim', options.dim, 1);
    if (dim !== embedder.dim) throw new DimensionMismatchError(`embedder ${embedder.id}`, dim, embedder.dim);
  } else {
    dim = checkInteger('dim', o.dim, 1);
    embedder =
      o.embedder === undefined ? createHashingEmbedder({ dim }) : embedderFromFunction(o.embedder as EmbedFunction, dim, o.embedderId);
  }
  const hnswIn = { ...DEFAULT_HNSW_PARAMS, ...(options.hnsw ?? {}) };
  const hnsw = Object.freeze({
    m: checkInteger('hnsw.m', hnswIn.m, 2),
    efConstruction: checkInteger('hnsw.efConstruction', hnswIn.efConstruction, 1),
    efSearch: checkInteger('hnsw.efSearch', hnswIn.efSearch, 1),
  });
  if (o.kernels !== undefined && (typeof o.kernels !== 'object' || o.kernels === null || !('vector' in o.kernels))) {
    throw new TypeError(expectedMessage('kernels', 'a KernelSet', o.kernels));
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError(expectedMessage('signal', 'an AbortSignal', o.signal));
  return Object.freeze({
    path: o.path,
    embedder,
    defaultEmbedder: o.embedder === undefined,
    dim,
    hnswThreshold: checkThreshold(o.hnswThreshold),
    hnsw,
    index: checkOneOf('index', o.index, INDEX_KINDS),
    indexThread: checkBoolean('indexThread', o.indexThread),
    exactFilterLimit: checkInteger('exactFilterLimit', o.exactFilterLimit, 0),
    kernels: o.kernels,
  });
}

/** Validates a scope name. */
export function checkScope(value: unknown): void {
  checkOneOf('scope', value, ['short-term', 'long-term', 'entity']);
}
