import { annLayout } from './ann-format.js';
import type { IndexKind, VectorIndex } from './ann-types.js';
import { loadWeftModule } from '../kernels/index.js';
import { annArena, type AnnArena } from '../kernels/wasm/ann.js';
import type { AnnDiffExports } from './ann-link-protocol.js';
import { AnnLinker } from './ann-linker.js';
import type { HnswParams } from './hnsw-index.js';
import type { Hit } from './vector-matrix.js';

/** Seed of the level generator: fixed, so that the same inserts always build the same graph. */
export const ANN_SEED = 100;

/**
 * weft's HNSW (assembly/ann/): the graph, its vectors and its search state in the linear memory
 * of an instance of its own, over unit vectors with distance 1 − dot. Nodes are numbered in
 * insertion order; this wrapper maps them to item ids. Replacing an item's vector tombstones its
 * old node and appends a new one. Search copies the query into, and reads k results out of,
 * WebAssembly buffers that live as long as the index: nothing is allocated or converted per call
 * on the WebAssembly side.
 *
 * With a linker thread (`thread`, where worker threads exist), a copy of the graph on that thread
 * does the linking and this graph takes its diffs: inserts only append here, and searches scan
 * the nodes not linked yet, so they find every item whatever the linker's lag. Should the thread
 * fail, linking resumes here from the last diff (this graph is always a consistent prefix).
 */
export class AnnIndex implements VectorIndex {
  readonly kind: IndexKind = 'weft';
  readonly searchesPending = true;
  readonly dim: number;
  private readonly arena: AnnArena;
  private readonly ex: AnnDiffExports;
  private readonly handle: number;
  private efSearch: number;
  private labels = new Float64Array(16);
  private readonly nodeOf = new Map<number, number>();
  private queryPtr: number;
  private outCap = 0;
  private outIds = 0;
  private outDist = 0;
  private allowCap = 0;
  private allowPtr = 0;
  private linker: AnnLinker | undefined;
  private waiters: (() => void)[] = [];
  /** Why the linker thread stopped, if it failed (linking continued on this thread). */
  linkerError: Error | undefined;

  private constructor(arena: AnnArena, handle: number, dim: number, efSearch: number) {
    this.arena = arena;
    this.ex = arena.exports as AnnDiffExports;
    this.handle = handle;
    this.dim = dim;
    this.efSearch = efSearch;
    this.queryPtr = arena.alloc(dim * 4);
  }

  /** An empty index with room for `capacity` vectors, linked on a thread of its own when `thread`. */
  static async create(dim: number, params: HnswParams, capacity: number, signal?: AbortSignal, thread = false): Promise<AnnIndex> {
    const module = await loadWeftModule(undefined, signal);
    const arena = await annArena(module);
    const handle = arena.exports.annCreate(dim, params.m, params.efConstruction, ANN_SEED);
    const index = new AnnIndex(arena, handle, dim, params.efSearch);
    const cap = Math.max(16, capacity);
    index.reserve(cap);
    if (thread) await index.startLinker({ module, dim, m: params.m, efConstruction: params.efConstruction, seed: ANN_SEED, capacity: cap });
    return index;
  }

  private async startLinker(init: Parameters<typeof AnnLinker.start>[0]): Promise<void> {
    this.linker = await AnnLinker.start(
      init,
      (bytes) => this.applyDiff(bytes),
      (error) => {
        // Linking goes on here, from the last diff applied.
        this.linker = undefined;
        this.linkerError = error;
        this.wake();
      },
    );
    // A loaded graph may come with pending nodes: the thread links them, and must be waited for.
    if (this.pending > 0) this.linker?.setBusy(true);
  }

  /** Whether another thread links this index (then {@link link} does nothing and {@link progress} waits for it). */
  get linksElsewhere(): boolean {
    return this.linker !== undefined;
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private applyDiff(bytes: Uint8Array): void {
    if (this.linker === undefined) return;
    const a = this.arena;
    const ptr = a.scratch(bytes.byteLength);
    a.u8.set(bytes, ptr);
    const ok = this.ex.annApplyDiff(this.handle, ptr, bytes.byteLength);
    a.refresh();
    if (ok === 0) {
      // A diff that does not continue this graph: stop the thread and link here from what holds.
      this.linker.close();
      this.linker = undefined;
      this.linkerError = new Error('the linker thread sent a diff that does not fit the index');
    } else if (this.pending === 0) this.linker.setBusy(false);
    this.wake();
  }

  /**
   * Resolves when the linker thread has sent its next diff (at once when nothing is pending, no
   * thread links this index, or `signal` aborts).
   */
  progress(signal?: AbortSignal): Promise<void> {
    if (this.linker === undefined || this.pending === 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.push(done);
    });
  }

  /** Stops the linker thread, if any. */
  dispose(): void {
    this.linker?.close();
    this.linker = undefined;
    this.wake();
  }

  /**
   * Reads an index written by {@link AnnIndex.toBytes}. Throws when the bytes are not a valid
   * index of dimension `dim` built with `params`' M and efConstruction (the caller rebuilds).
   */
  static async fromBytes(dim: number, params: HnswParams, bytes: Uint8Array, signal?: AbortSignal, thread = false): Promise<AnnIndex> {
    const layout = annLayout(bytes, dim, params);
    if (typeof layout === 'string') throw new Error(`not a weft HNSW index of dimension ${dim}: ${layout}`);
    const { count, graphBytes, tombstonesAt } = layout;
    const module = await loadWeftModule(undefined, signal);
    const arena = await annArena(module);
    const src = arena.alloc(graphBytes);
    arena.u8.set(bytes.subarray(0, graphBytes), src);
    const handle = arena.exports.annDeserialize(src, graphBytes);
    arena.free(src);
    arena.refresh();
    if (handle === 0) throw new Error('not a weft HNSW index: its graph does not validate');
    const index = new AnnIndex(arena, handle, dim, params.efSearch);
    index.reserve(Math.max(16, count));
    // The ids are float64s at an offset that need not be 8-aligned: read through a copy.
    const labels = new Float64Array(bytes.slice(graphBytes, graphBytes + count * 8).buffer);
    index.labels.set(labels);
    for (let node = 0; node < count; node++) {
      if (bytes[tombstonesAt + node] !== 0) continue;
      const id = labels[node];
      if (!Number.isSafeInteger(id) || id < 0 || index.nodeOf.has(id)) {
        throw new Error(`not a weft HNSW index: bad item id at node ${node}`);
      }
      index.nodeOf.set(id, node);
    }
    if (thread) {
      const graph = bytes.slice(0, graphBytes);
      const { m, efConstruction } = params;
      await index.startLinker({ module, dim, m, efConstruction, seed: ANN_SEED, capacity: Math.max(16, count), graph });
    }
    return index;
  }

  get size(): number {
    return this.nodeOf.size;
  }

  get pending(): number {
    return this.ex.annCount(this.handle) - this.ex.annLinked(this.handle);
  }

  get tombstoneShare(): number {
    const count = this.ex.annCount(this.handle);
    return count === 0 ? 0 : this.ex.annDeletedCount(this.handle) / count;
  }

  has(id: number): boolean {
    return this.nodeOf.has(id);
  }

  ids(): number[] {
    return [...this.nodeOf.keys()];
  }

  setEfSearch(ef: number): void {
    this.efSearch = ef;
  }

  private reserve(capacity: number): void {
    if (capacity > this.ex.annCapacity(this.handle)) {
      this.ex.annReserve(this.handle, capacity);
      this.arena.refresh();
    }
    if (this.labels.length < capacity) {
      const labels = new Float64Array(capacity);
      labels.set(this.labels);
      this.labels = labels;
    }
  }

  add(ids: readonly number[], vectors: readonly Float32Array[]): void {
    const n = ids.length;
    if (n === 0) return;
    const count = this.ex.annCount(this.handle);
    const capacity = this.ex.annCapacity(this.handle);
    // Grow by half again: the vectors are most of the index, and realloc copies them.
    if (count + n > capacity) this.reserve(Math.max(count + n, Math.ceil(capacity * 1.5)));
    const dim = this.dim;
    const base = (this.ex.annVectors(this.handle) >>> 2) + count * dim;
    const f32 = this.arena.f32;
    const deletes: number[] = [];
    for (let i = 0; i < n; i++) {
      const old = this.nodeOf.get(ids[i]);
      if (old !== undefined) {
        this.ex.annDelete(this.handle, old);
        deletes.push(old);
      }
      f32.set(vectors[i], base + i * dim);
      this.labels[count + i] = ids[i];
      this.nodeOf.set(ids[i], count + i);
    }
    this.ex.annAppend(this.handle, n);
    this.linker?.add(deletes, f32.slice(base, base + n * dim));
  }

  link(max: number): number {
    if (this.linker !== undefined) return this.pending;
    const left = this.ex.annLink(this.handle, Math.min(max, 0x7fffffff));
    // Linking allocates upper-level blocks, which may grow memory.
    this.arena.refresh();
    return left;
  }

  delete(id: number): void {
    const node = this.nodeOf.get(id);
    if (node === undefined) return;
    this.nodeOf.delete(id);
    this.ex.annDelete(this.handle, node);
    this.linker?.add([node], new Float32Array(0));
  }

  private ensureOut(k: number): void {
    if (k <= this.outCap) return;
    if (this.outCap > 0) {
      this.arena.free(this.outIds);
      this.arena.free(this.outDist);
    }
    this.outCap = Math.max(k, 16);
    this.outIds = this.arena.alloc(this.outCap * 4);
    this.outDist = this.arena.alloc(this.outCap * 4);
  }

  /** A byte per node, 1 for the nodes of `allowed` (the filtered search's mask). */
  private allowMask(allowed: readonly number[]): number {
    const count = this.ex.annCount(this.handle);
    if (count > this.allowCap) {
      if (this.allowCap > 0) this.arena.free(this.allowPtr);
      this.allowCap = Math.max(count, this.allowCap * 2);
      this.allowPtr = this.arena.alloc(this.allowCap);
    }
    const u8 = this.arena.u8;
    u8.fill(0, this.allowPtr, this.allowPtr + count);
    for (const id of allowed) {
      const node = this.nodeOf.get(id);
      if (node !== undefined) u8[this.allowPtr + node] = 1;
    }
    return this.allowPtr;
  }

  search(query: Float32Array, k: number, allowed?: readonly number[]): Hit[] {
    const want = Math.min(k, this.nodeOf.size);
    if (want <= 0) return [];
    this.ensureOut(want);
    const allow = allowed === undefined ? 0 : this.allowMask(allowed);
    const a = this.arena;
    a.f32.set(query, this.queryPtr >>> 2);
    const n = this.ex.annSearch(this.handle, this.queryPtr, want, Math.max(this.efSearch, want), allow, this.outIds, this.outDist);
    const ids = a.u32;
    const dist = a.f32;
    const i0 = this.outIds >>> 2;
    const d0 = this.outDist >>> 2;
    const out: Hit[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = { id: this.labels[ids[i0 + i]], score: 1 - dist[d0 + i] };
    return out;
  }

  async toBytes(): Promise<Uint8Array> {
    const size = this.ex.annSerializedSize(this.handle);
    const count = this.ex.annCount(this.handle);
    const ptr = this.arena.alloc(size);
    try {
      this.ex.annSerialize(this.handle, ptr);
      const out = new Uint8Array(size + count * 8);
      out.set(this.arena.u8.subarray(ptr, ptr + size));
      out.set(new Uint8Array(this.labels.buffer, 0, count * 8), size);
      return out;
    } finally {
      this.arena.free(ptr);
    }
  }
}
