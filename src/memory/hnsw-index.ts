import type { IndexKind, VectorIndex } from './ann-types.js';
import type { Hit } from './vector-matrix.js';
import { hnswBytesProblem } from './hnsw-format.js';
import { HNSW_FS_DIR, type HnswModule, type HnswNativeIndex } from './hnsw-loader.js';

/** HNSW parameters. */
export interface HnswParams {
  /** Graph degree. @default 16 */
  readonly m: number;
  /** Candidate list size while building. @default 100 */
  readonly efConstruction: number;
  /** Candidate list size while searching (raised to `k` when smaller). @default 100 */
  readonly efSearch: number;
}

/**
 * Defaults of {@link HnswParams}. efSearch 100, not hnswlib's usual 50: on the bench's clustered
 * 100K × 128 set, ef 50 gives recall@10 0.9745 and ef 100 gives 0.9985 (for ~1.3x the query time).
 * efConstruction 100, not 200: linking costs half (156 against 298 µs an item at 100K × 128 in
 * weft's index) for recall@10 at ef 100 of 0.9970 against 0.9985 (100K × 128) and 0.9930
 * against 0.9935 (100K × 384); at 64, 100K × 128 falls to 0.9845.
 */
export const DEFAULT_HNSW_PARAMS: Readonly<HnswParams> = Object.freeze({ m: 16, efConstruction: 100, efSearch: 100 });

let fileCounter = 0;

/**
 * An hnswlib-wasm index over unit vectors in inner-product space (distance = 1 − cosine), with
 * labels equal to item ids. Grows by doubling; deletions are marks. Added vectors wait in a queue
 * until {@link HnswIndex.link} inserts them (searches do not see them before).
 */
export class HnswIndex implements VectorIndex {
  readonly kind: IndexKind = 'hnswlib-wasm';
  readonly searchesPending = false;
  readonly tombstoneShare = 0;
  private queueIds: number[] = [];
  private queueVectors: Float32Array[] = [];
  private queueAt = 0;
  private readonly lib: HnswModule;
  private readonly index: HnswNativeIndex;
  private efSearch: number;
  private readonly labels = new Set<number>();
  // Labels hnswlib holds, and those of them it has marked deleted: marking an unknown label, or
  // one already marked, throws inside hnswlib.
  private readonly inLib = new Set<number>();
  private readonly marked = new Set<number>();
  private currentEf = 0;

  private constructor(lib: HnswModule, index: HnswNativeIndex, params: HnswParams) {
    this.lib = lib;
    this.index = index;
    this.efSearch = params.efSearch;
  }

  /** Changes the search candidate list size (recall against speed) for later searches. */
  setEfSearch(ef: number): void {
    this.efSearch = ef;
  }

  /** An empty index with room for `capacity` vectors. */
  static create(lib: HnswModule, dim: number, params: HnswParams, capacity: number): HnswIndex {
    const index = new lib.HierarchicalNSW('ip', dim, '');
    index.initIndex(Math.max(16, capacity), params.m, params.efConstruction, 100);
    return new HnswIndex(lib, index, params);
  }

  /**
   * Reads an index from bytes written by {@link HnswIndex.toBytes}. Throws when the bytes are not
   * a readable index of dimension `dim`.
   */
  static async fromBytes(lib: HnswModule, dim: number, params: HnswParams, bytes: Uint8Array): Promise<HnswIndex> {
    const problem = hnswBytesProblem(bytes, dim);
    if (problem !== undefined) throw new Error(`not an HNSW index of dimension ${dim}: ${problem}`);
    const name = `weft-${fileCounter++}.bin`;
    const path = `${HNSW_FS_DIR}/${name}`;
    lib.FS.writeFile(path, bytes);
    const index = new lib.HierarchicalNSW('ip', dim, '');
    try {
      // hnswlib reads max_elements from the file; the argument only matters when it is larger.
      await index.readIndex(name, 0);
    } finally {
      lib.FS.unlink(path);
    }
    const out = new HnswIndex(lib, index, params);
    const deleted = new Set(index.getDeletedLabels());
    for (const label of index.getUsedLabels()) {
      out.inLib.add(label);
      if (deleted.has(label)) out.marked.add(label);
      else out.labels.add(label);
    }
    return out;
  }

  /** Number of live (not deleted) vectors, queued ones included. */
  get size(): number {
    return this.labels.size;
  }

  get pending(): number {
    return this.queueIds.length - this.queueAt;
  }

  has(id: number): boolean {
    return this.labels.has(id);
  }

  ids(): number[] {
    return [...this.labels];
  }

  private reserve(extra: number): void {
    const max = this.index.getMaxElements();
    const needed = this.index.getCurrentCount() + extra;
    if (needed > max) this.index.resizeIndex(Math.max(needed, max * 2));
  }

  /**
   * Adds vectors under `ids`. An id already present (even marked deleted) has its vector updated
   * in place: hnswlib's `addPoint` does that for a known label.
   */
  add(ids: readonly number[], vectors: readonly Float32Array[]): void {
    for (let i = 0; i < ids.length; i++) {
      this.queueIds.push(ids[i]);
      this.queueVectors.push(vectors[i]);
      this.labels.add(ids[i]);
    }
  }

  link(max: number): number {
    const end = Math.min(this.queueIds.length, this.queueAt + max);
    // A deleted queued item is skipped; a queued id that is live was added (or replaced) last.
    const ids: number[] = [];
    const vectors: Float32Array[] = [];
    for (let i = this.queueAt; i < end; i++) {
      if (!this.labels.has(this.queueIds[i])) continue;
      ids.push(this.queueIds[i]);
      vectors.push(this.queueVectors[i]);
    }
    this.queueAt = end;
    if (end === this.queueIds.length) {
      this.queueIds = [];
      this.queueVectors = [];
      this.queueAt = 0;
    }
    if (ids.length > 0) {
      this.reserve(ids.length);
      // hnswlib updates a known label in place and clears its deletion mark.
      this.index.addPoints(vectors, ids, false);
      for (const id of ids) {
        this.inLib.add(id);
        this.marked.delete(id);
      }
    }
    return this.pending;
  }

  /** Marks `id` deleted (no-op when absent). */
  delete(id: number): void {
    if (!this.labels.delete(id)) return;
    // A queued item never reached hnswlib: marking it there would throw.
    if (this.inLib.has(id) && !this.marked.has(id)) {
      this.index.markDelete(id);
      this.marked.add(id);
    }
  }

  /** The `k` nearest linked live vectors to `query`, best first, optionally only among `allowed`. */
  search(query: Float32Array, k: number, allowed?: readonly number[]): Hit[] {
    const set = allowed === undefined ? undefined : new Set(allowed);
    const accept = set === undefined ? undefined : (id: number) => set.has(id);
    const want = Math.min(k, this.labels.size);
    if (want === 0) return [];
    const ef = Math.max(this.efSearch, want);
    if (ef !== this.currentEf) {
      this.index.setEfSearch(ef);
      this.currentEf = ef;
    }
    const r = this.index.searchKnn(query, want, accept);
    const out: Hit[] = new Array(r.neighbors.length);
    for (let i = 0; i < r.neighbors.length; i++) out[i] = { id: r.neighbors[i], score: 1 - r.distances[i] };
    return out;
  }

  /** The index as bytes (hnswlib's own file format). */
  async toBytes(): Promise<Uint8Array> {
    const name = `weft-${fileCounter++}.bin`;
    const path = `${HNSW_FS_DIR}/${name}`;
    await this.index.writeIndex(name);
    try {
      return this.lib.FS.readFile(path);
    } finally {
      this.lib.FS.unlink(path);
    }
  }
}
