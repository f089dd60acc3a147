import type { KernelSet } from '../kernels/types.js';
import type { MemoryBackend } from './backend.js';
import { HnswIndex, type HnswParams } from './hnsw-index.js';
import { loadHnsw, type HnswModule } from './hnsw-loader.js';
import type { SearchPath } from './types.js';
import { VectorMatrix, type Hit } from './vector-matrix.js';

/** Vectors added to the HNSW index per slice of a background build (the event loop runs between). */
const BUILD_SLICE = 512;

/** Settings of {@link VectorSearch}. */
export interface VectorSearchSettings {
  readonly dim: number;
  readonly kernels: KernelSet;
  readonly hnswThreshold: number;
  readonly hnsw: HnswParams;
  readonly exactFilterLimit: number;
}

/**
 * The search side of a memory: the exact matrix always (the source of truth for vectors in
 * memory), plus an HNSW index once the collection reaches the threshold. The index is built in
 * the background in slices; until it is complete, recall scans exactly, so results never depend
 * on the build's progress. Items added or deleted during a build are reconciled at its end.
 */
export class VectorSearch {
  readonly matrix: VectorMatrix;
  private readonly settings: VectorSearchSettings;
  private index: HnswIndex | undefined;
  private building: Promise<void> | undefined;
  private buildAbort = new AbortController();
  // Set when hnswlib-wasm cannot load (a browser without it, a broken install): no retry per insert.
  private hnswUnavailable = false;
  // Whether the vectors changed since the index was last loaded or saved: saving a large index
  // (tens of MB) on every close would cost more than the work it records.
  private dirty = false;
  /** How the last search was served. */
  lastPath: SearchPath = 'exact';

  /** Ids whose vector was replaced while a build was running. */
  private readonly replacedDuringBuild = new Set<number>();

  constructor(settings: VectorSearchSettings) {
    this.settings = settings;
    this.matrix = new VectorMatrix(settings.dim, settings.kernels);
  }

  /** Whether the HNSW index is complete and used by searches. */
  get indexed(): boolean {
    return this.index !== undefined;
  }

  /** Resolves when no build is in progress (rejects if the last build failed, or on abort). */
  async whenIndexed(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.building === undefined) return;
    if (signal === undefined) return this.building;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.building!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Adds (or replaces) vectors; starts a background build when the threshold is crossed. */
  add(ids: readonly number[], vectors: readonly Float32Array[]): void {
    this.dirty = true;
    // A build in progress may already hold an older vector of these ids: it re-adds them at the end.
    if (this.building !== undefined) for (const id of ids) this.replacedDuringBuild.add(id);
    ids.forEach((id, i) => this.matrix.set(id, vectors[i]));
    if (this.index !== undefined) this.index.add(ids, vectors);
    else this.maybeBuild();
  }

  delete(ids: readonly number[]): void {
    if (ids.length > 0) this.dirty = true;
    for (const id of ids) {
      this.matrix.delete(id);
      this.index?.delete(id);
    }
  }

  /** Reloads every vector from `backend` (after another connection wrote), keeping the index in step. */
  reload(backend: MemoryBackend): void {
    this.dirty = true;
    // Vectors another connection replaced (an entity merge) must replace the index's copy too:
    // reconcile() only compares which ids are present.
    const replaced: number[] = [];
    const fresh = [...backend.vectors()];
    if (this.index !== undefined) {
      for (const { id, vector } of fresh) {
        const old = this.matrix.get(id);
        if (old !== undefined && !sameVector(old, vector)) replaced.push(id);
      }
    }
    this.matrix.clear();
    for (const { id, vector } of fresh) this.matrix.set(id, vector);
    if (this.index !== undefined) {
      this.reconcile(this.index);
      if (replaced.length > 0) this.index.add(replaced, replaced.map((id) => this.matrix.get(id)!));
    } else this.maybeBuild();
  }

  /**
   * Opens with a saved index when there is one that reads back; otherwise (missing, corrupt, of
   * another dimension) builds anew once the collection is large enough.
   */
  async open(saved: Uint8Array | undefined, signal?: AbortSignal): Promise<'loaded' | 'rebuilding' | 'none'> {
    if (this.matrix.size < this.settings.hnswThreshold) return 'none';
    if (saved !== undefined) {
      try {
        const lib = await loadHnsw();
        signal?.throwIfAborted();
        const index = await HnswIndex.fromBytes(lib, this.settings.dim, this.settings.hnsw, saved);
        this.dirty = this.reconcile(index);
        this.index = index;
        return 'loaded';
      } catch (error) {
        if (signal?.aborted) throw error;
        // A corrupt or foreign index is not an error for the caller: the vectors are intact.
      }
    }
    this.maybeBuild();
    return 'rebuilding';
  }

  /** Makes `index` hold exactly the matrix's ids (vectors of ids it lacks are added); returns whether it changed. */
  private reconcile(index: HnswIndex): boolean {
    const extra = [...index.liveLabels()].filter((label) => !this.matrix.has(label));
    for (const label of extra) index.delete(label);
    const missing = this.matrix.allIds().filter((id) => !index.liveLabels().has(id));
    if (missing.length > 0) index.add(missing, missing.map((id) => this.matrix.get(id)!));
    return extra.length > 0 || missing.length > 0;
  }

  private maybeBuild(): void {
    if (this.building !== undefined || this.index !== undefined || this.hnswUnavailable) return;
    if (this.matrix.size < this.settings.hnswThreshold) return;
    const signal = this.buildAbort.signal;
    this.building = this.build(signal).finally(() => {
      this.building = undefined;
    });
    // The promise is kept for whenIndexed(); this handler only stops an unhandled rejection.
    this.building.catch(() => {});
  }

  private async build(signal: AbortSignal): Promise<void> {
    let lib: HnswModule;
    try {
      lib = await loadHnsw();
    } catch {
      // Without hnswlib-wasm recall stays exact: slower on large collections, never wrong.
      this.hnswUnavailable = true;
      return;
    }
    const ids = this.matrix.allIds();
    const index = HnswIndex.create(lib, this.settings.dim, this.settings.hnsw, Math.ceil(ids.length * 1.25));
    for (let start = 0; start < ids.length; start += BUILD_SLICE) {
      if (signal.aborted) return;
      const slice = ids.slice(start, start + BUILD_SLICE).filter((id) => this.matrix.has(id));
      index.add(slice, slice.map((id) => this.matrix.get(id)!));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (signal.aborted) return;
    this.reconcile(index);
    const replaced = [...this.replacedDuringBuild].filter((id) => this.matrix.has(id));
    this.replacedDuringBuild.clear();
    if (replaced.length > 0) index.add(replaced, replaced.map((id) => this.matrix.get(id)!));
    this.index = index;
    this.dirty = true;
  }

  /** Stops a background build (on close). */
  async stop(): Promise<void> {
    this.buildAbort.abort();
    await this.building?.catch(() => {});
    this.buildAbort = new AbortController();
  }

  /** The index bytes to save, or undefined when there is no index. */
  async indexBytes(): Promise<Uint8Array | undefined> {
    return this.index?.toBytes();
  }

  /** Whether the saved index (or its absence) no longer matches the vectors. */
  get indexDirty(): boolean {
    return this.dirty;
  }

  /** Records that the current index was saved. */
  markSaved(): void {
    this.dirty = false;
  }

  /** The `k` best of all vectors. */
  search(query: Float32Array, k: number): Hit[] {
    const want = Math.min(k, this.matrix.size);
    if (this.index !== undefined) {
      const hits = this.index.search(query, want);
      if (hits.length >= want) {
        this.lastPath = 'hnsw';
        return hits;
      }
    }
    this.lastPath = 'exact';
    return this.matrix.search(query, want);
  }

  /** The `k` best among `ids` (the items a selector matched). */
  searchAmong(query: Float32Array, ids: readonly number[], k: number): Hit[] {
    const want = Math.min(k, ids.length);
    if (this.index !== undefined && ids.length > this.settings.exactFilterLimit) {
      const allowed = new Set(ids);
      const hits = this.index.search(query, want, (id) => allowed.has(id));
      if (hits.length >= want) {
        this.lastPath = 'hnsw-filtered';
        return hits;
      }
      this.lastPath = 'hnsw-fallback';
    } else {
      this.lastPath = 'exact-filtered';
    }
    return this.matrix.searchAmong(query, ids, want);
  }

  /** Frees the kernel buffers. */
  dispose(): void {
    this.matrix.clear();
    this.index = undefined;
  }
}

/** Whether two stored (unit) vectors are the same, as far as float32 copies can tell. */
function sameVector(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (Math.abs(a[k] - b[k]) > 1e-6) return false;
  return true;
}
