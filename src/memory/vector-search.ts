import type { KernelSet } from '../kernels/types.js';
import { AnnIndex } from './ann-index.js';
import type { IndexKind, VectorIndex } from './ann-types.js';
import type { MemoryBackend } from './backend.js';
import { HnswIndex, type HnswParams } from './hnsw-index.js';
import { loadHnsw } from './hnsw-loader.js';
import type { SearchPath } from './types.js';
import { VectorMatrix, type Hit } from './vector-matrix.js';

/** Milliseconds of linking per step of a background build (the event loop runs between steps). */
const LINK_STEP_MS = 8;
/** Items linked per call inside a step (a step stops at the first call that ends past its time). */
const LINK_CALL = 8;
/**
 * Items a serving index may hold unlinked: searches scan them exactly, so beyond this an insert
 * links the excess itself rather than let queries slow down.
 */
export const PENDING_LIMIT = 2048;
/** Share of tombstoned graph nodes above which the index is rebuilt from the live vectors. */
export const REPAIR_SHARE = 0.25;

/** Settings of {@link VectorSearch}. */
export interface VectorSearchSettings {
  readonly dim: number;
  readonly kernels: KernelSet;
  readonly hnswThreshold: number;
  readonly hnsw: HnswParams;
  readonly exactFilterLimit: number;
  /** Which HNSW implementation to build. @default 'weft' */
  readonly index?: IndexKind;
  /** Whether weft's index links on a worker thread where there are worker threads. @default true */
  readonly indexThread?: boolean;
}

const yieldTurn: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The search side of a memory: the exact matrix always (the source of truth for vectors in
 * memory), plus an HNSW index once the collection reaches the threshold. The index is built in
 * the background, in steps of a few milliseconds; until it is complete recall scans exactly, so
 * results never depend on the build's progress. Every add and delete also reaches the index
 * being built, so it is complete when its queue is empty. A serving index links new items in the
 * background too (its searches scan the few not yet linked), and is rebuilt the same way when
 * tombstones make up too much of its graph.
 */
export class VectorSearch {
  readonly matrix: VectorMatrix;
  private readonly settings: VectorSearchSettings;
  private readonly kind: IndexKind;
  /** The index that serves searches. */
  private index: VectorIndex | undefined;
  /** An index being built (the first one, or a repair), not serving yet. */
  private next: VectorIndex | undefined;
  private work: Promise<void> | undefined;
  private workAbort = new AbortController();
  // Set when the index implementation cannot load (no WebAssembly): no retry per insert.
  private unavailable = false;
  // Whether the vectors changed since the index was last loaded or saved: saving a large index
  // (tens of MB) on every close would cost more than the work it records.
  private dirty = false;
  /** How the last search was served. */
  lastPath: SearchPath = 'exact';

  private get thread(): boolean {
    return this.settings.indexThread ?? true;
  }

  constructor(settings: VectorSearchSettings) {
    this.settings = settings;
    this.kind = settings.index ?? 'weft';
    this.matrix = new VectorMatrix(settings.dim, settings.kernels);
  }

  /** Whether an HNSW index serves searches. */
  get indexed(): boolean {
    return this.index !== undefined;
  }

  /** Items the serving index holds but has not linked yet (searches scan them exactly). */
  get pendingLinks(): number {
    return this.index?.pending ?? 0;
  }

  /** Whether another thread links the serving index. */
  get linksElsewhere(): boolean {
    return this.index?.linksElsewhere === true;
  }

  /** Resolves when no background index work is left (rejects if it failed, or on abort). */
  async whenIndexed(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    while (this.work !== undefined) {
      const work = this.work;
      if (signal === undefined) await work;
      else {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
      }
    }
  }

  /** Adds (or replaces) vectors; starts a background build when the threshold is crossed. */
  add(ids: readonly number[], vectors: readonly Float32Array[]): void {
    this.dirty = true;
    ids.forEach((id, i) => this.matrix.set(id, vectors[i]));
    this.next?.add(ids, vectors);
    const index = this.index;
    if (index !== undefined) {
      index.add(ids, vectors);
      // An index linked elsewhere holds the excess back in caughtUp() instead, off this thread.
      const over = index.searchesPending ? index.pending - PENDING_LIMIT : index.pending;
      if (over > 0 && index.linksElsewhere !== true) index.link(over);
    }
    this.schedule();
  }

  /**
   * Resolves once the serving index holds at most PENDING_LIMIT items unlinked (at once unless
   * another thread links it): inserts wait here rather than let searches scan a growing backlog.
   */
  async caughtUp(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const index = this.index;
      if (index?.linksElsewhere !== true || index.pending <= PENDING_LIMIT || signal?.aborted) return;
      await index.progress!(signal);
    }
  }

  delete(ids: readonly number[]): void {
    if (ids.length > 0) this.dirty = true;
    for (const id of ids) {
      this.matrix.delete(id);
      this.index?.delete(id);
      this.next?.delete(id);
    }
    this.schedule();
  }

  /** Reloads every vector from `backend` (after another connection wrote), keeping the indexes in step. */
  reload(backend: MemoryBackend): void {
    this.dirty = true;
    // Vectors another connection replaced (an entity merge) must replace the index's copy too:
    // reconcile() only compares which ids are present.
    const replaced: number[] = [];
    const fresh = [...backend.vectors()];
    for (const { id, vector } of fresh) {
      const old = this.matrix.get(id);
      if (old !== undefined && !sameVector(old, vector)) replaced.push(id);
    }
    this.matrix.clear();
    for (const { id, vector } of fresh) this.matrix.set(id, vector);
    for (const index of [this.index, this.next]) {
      if (index === undefined) continue;
      this.reconcile(index);
      const vectors = replaced.map((id) => this.matrix.get(id)!);
      index.add(replaced, vectors);
      if (index === this.index && !index.searchesPending) index.link(Infinity);
    }
    this.schedule();
  }

  private async createIndex(capacity: number, signal: AbortSignal): Promise<VectorIndex> {
    if (this.kind === 'weft') return AnnIndex.create(this.settings.dim, this.settings.hnsw, capacity, signal, this.thread);
    return HnswIndex.create(await loadHnsw(), this.settings.dim, this.settings.hnsw, capacity);
  }

  private async indexFromBytes(bytes: Uint8Array, signal?: AbortSignal): Promise<VectorIndex> {
    const { dim, hnsw } = this.settings;
    if (this.kind === 'weft') return AnnIndex.fromBytes(dim, hnsw, bytes, signal, this.thread);
    return HnswIndex.fromBytes(await loadHnsw(), dim, hnsw, bytes);
  }

  /**
   * Opens with a saved index when there is one that reads back; otherwise (missing, corrupt, of
   * another dimension or kind) builds anew once the collection is large enough.
   */
  async open(saved: Uint8Array | undefined, signal?: AbortSignal): Promise<'loaded' | 'rebuilding' | 'none'> {
    if (this.matrix.size < this.settings.hnswThreshold) return 'none';
    if (saved !== undefined) {
      try {
        const index = await this.indexFromBytes(saved, signal);
        signal?.throwIfAborted();
        this.dirty = this.reconcile(index);
        if (!index.searchesPending) index.link(Infinity);
        this.index = index;
        this.schedule();
        return 'loaded';
      } catch (error) {
        if (signal?.aborted) throw error;
        // A corrupt or foreign index is not an error for the caller: the vectors are intact.
      }
    }
    this.schedule();
    return 'rebuilding';
  }

  /** Makes `index` hold exactly the matrix's ids (vectors of ids it lacks are added); returns whether it changed. */
  private reconcile(index: VectorIndex): boolean {
    const extra = index.ids().filter((id) => !this.matrix.has(id));
    for (const id of extra) index.delete(id);
    const missing = this.matrix.allIds().filter((id) => !index.has(id));
    index.add(missing, missing.map((id) => this.matrix.get(id)!));
    return extra.length > 0 || missing.length > 0;
  }

  /** Whether there is background work: a build to start or finish, or items to link. */
  private needsWork(): boolean {
    if (this.next !== undefined) return true;
    if (this.index === undefined) return !this.unavailable && this.matrix.size >= this.settings.hnswThreshold;
    return this.index.pending > 0 || this.index.tombstoneShare > REPAIR_SHARE;
  }

  private schedule(): void {
    if (this.work !== undefined || !this.needsWork()) return;
    const signal = this.workAbort.signal;
    this.work = this.run(signal).then(
      () => {
        this.work = undefined;
        // Items added after the last step may need another round.
        if (!signal.aborted) this.schedule();
      },
      (error: unknown) => {
        this.work = undefined;
        // A failing index is not retried on every insert: recall stays exact from here on.
        this.unavailable = true;
        this.index?.dispose?.();
        this.next?.dispose?.();
        this.index = undefined;
        this.next = undefined;
        throw error;
      },
    );
    // The promise is kept for whenIndexed(); this handler only stops an unhandled rejection.
    this.work.catch(() => {});
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.needsWork()) {
      const index = this.index;
      if (this.next === undefined && (index === undefined || index.tombstoneShare > REPAIR_SHARE)) {
        let next: VectorIndex;
        try {
          next = await this.createIndex(Math.ceil(this.matrix.size * 1.25), signal);
        } catch {
          if (signal.aborted) return;
          // Without the index implementation recall stays exact: slower on large collections, never wrong.
          this.unavailable = true;
          return;
        }
        if (signal.aborted) {
          next.dispose?.();
          return;
        }
        this.reconcile(next);
        this.next = next;
      }
      const target = this.next ?? index!;
      if (target.linksElsewhere === true) await target.progress!(signal);
      const t0 = performance.now();
      // (Not again when another thread links: link() is then a no-op.)
      while (target.linksElsewhere !== true && target.pending > 0 && performance.now() - t0 < LINK_STEP_MS) target.link(LINK_CALL);
      // A serving index that linked items (say, pending ones it was saved with) differs from its saved copy.
      if (target === this.index) this.dirty = true;
      if (this.next !== undefined && this.next.pending === 0) {
        this.index?.dispose?.();
        this.index = this.next;
        this.next = undefined;
        this.dirty = true;
      }
      if (target.linksElsewhere !== true) await yieldTurn();
    }
  }

  /** Stops background index work (on close). */
  async stop(): Promise<void> {
    this.workAbort.abort();
    await this.work?.catch(() => {});
    this.workAbort = new AbortController();
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
      const hits = this.index.search(query, want, ids);
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

  /** Frees the kernel buffers and drops the indexes. */
  dispose(): void {
    this.matrix.clear();
    this.index?.dispose?.();
    this.next?.dispose?.();
    this.index = undefined;
    this.next = undefined;
  }
}

/** Whether two stored (unit) vectors are the same, as far as float32 copies can tell. */
function sameVector(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (Math.abs(a[k] - b[k]) > 1e-6) return false;
  return true;
}
