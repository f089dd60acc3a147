import { DimensionMismatchError, EmbedderMismatchError } from '../errors.js';
import { getKernels, initKernels } from '../kernels/index.js';
import type { KernelSet } from '../kernels/types.js';
import type { MemoryBackend } from './backend.js';
import { InMemoryBackend } from './in-memory-backend.js';
import { Memory } from './memory.js';
import { resolveMemoryOptions, type CreateMemoryOptions } from './options.js';
import { VectorSearch } from './vector-search.js';

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
    if (meta === undefined) backend.writeMeta({ dim: o.dim, embedder: o.embedder.id });
    else {
      if (meta.dim !== o.dim) throw new DimensionMismatchError(`memory ${backend.source} was written with a dimension that`, meta.dim, o.dim);
      if (meta.embedder !== o.embedder.id) throw new EmbedderMismatchError(backend.source, meta.embedder, o.embedder.id);
    }
    const search = new VectorSearch({ ...o, kernels });
    for (const { id, vector } of backend.vectors()) search.matrix.set(id, vector);
    await search.open(backend.loadIndex(), signal);
    return new Memory(backend, o.embedder, search, kernels);
  } catch (error) {
    backend.close();
    throw error;
  }
}
