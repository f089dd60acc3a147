import { DimensionMismatchError, EmbedderMismatchError } from '../errors.js';
import { getKernels, initKernels } from '../kernels/index.js';
import type { KernelSet } from '../kernels/types.js';
import type { MemoryBackend, StoreMeta } from './backend.js';
import { InMemoryBackend } from './in-memory-backend.js';
import type { Embedder } from './embedder.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { Memory } from './memory.js';
import { resolveMemoryOptions, type CreateMemoryOptions, type ResolvedMemoryOptions } from './options.js';
import { VectorSearch } from './vector-search.js';

/**
 * The embedder a file written by weft 0.1's default (the version-1 hashing embedder) needs, when
 * the caller left the embedder (and the dimension) to the default: such files keep opening.
 */
function legacyDefault(o: ResolvedMemoryOptions, options: CreateMemoryOptions, meta: StoreMeta): Embedder | undefined {
  if (!o.defaultEmbedder || (options.dim !== undefined && options.dim !== meta.dim)) return undefined;
  const bigrams = meta.embedder === 'hashing-v1:uni+bi' ? true : meta.embedder === 'hashing-v1:uni' ? false : undefined;
  return bigrams === undefined ? undefined : createHashingEmbedder({ version: 1, dim: meta.dim, bigrams });
}

/**
 * Opens (or creates) a memory. With `path`, items live in that SQLite file, which records the
 * embedder and dimension and refuses to open with others; without it, in memory.
 *
 * @throws `EmbedderMismatchError` (`EMBEDDER_MISMATCH`) or `DimensionMismatchError`
 *   (`DIMENSION_MISMATCH`) when the file was written with another embedder or dimension;
 *   `TypeError`/`RangeError` for bad options.
 */
export async function createMemory(options: CreateMemoryOptions = {}): Promise<Memory> {
  const o = resolveMemoryOptions(options);
  const signal = options.signal;
  signal?.throwIfAborted();
  const kernels: KernelSet = o.kernels ?? (await initKernels({ signal }).then(() => getKernels()));
  let backend: MemoryBackend;
  if (o.path === undefined) backend = new InMemoryBackend();
  else {
    // Imported only when asked for, so the in-memory (browser) path never loads better-sqlite3.
    const { SqliteBackend } = await import('./sqlite-backend.js');
    backend = new SqliteBackend(o.path);
  }
  try {
    const meta = backend.readMeta();
    let embedder = o.embedder;
    if (meta === undefined) backend.writeMeta({ dim: o.dim, embedder: embedder.id });
    else {
      embedder = legacyDefault(o, options, meta) ?? embedder;
      if (meta.dim !== embedder.dim) throw new DimensionMismatchError(`memory ${backend.source} was written with a dimension that`, meta.dim, embedder.dim);
      if (meta.embedder !== embedder.id) throw new EmbedderMismatchError(backend.source, meta.embedder, embedder.id);
    }
    const search = new VectorSearch({ ...o, dim: embedder.dim, kernels });
    for (const { id, vector } of backend.vectors()) search.matrix.set(id, vector);
    await search.open(backend.loadIndex(), signal);
    return new Memory(backend, embedder, search, kernels);
  } catch (error) {
    backend.close();
    throw error;
  }
}
