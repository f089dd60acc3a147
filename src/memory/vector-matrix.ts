import type { F32Buffer, KernelSet } from '../kernels/types.js';

/**
 * Bytes per full chunk (8 MiB: 16,384 rows at dim 128, 5,461 at dim 384): large enough that the
 * per-chunk call and merge cost nothing next to the scan, small enough that a nearly empty last
 * chunk wastes little memory at large dimensions.
 */
export const CHUNK_BYTES = 8 << 20;
const FIRST_ROWS = 64;

interface Chunk {
  buffer: F32Buffer;
  rows: number; // capacity in rows
}

/** One hit of a search: a row's id and its score (higher is closer). */
export interface Hit {
  id: number;
  score: number;
}

/**
 * The exact-search matrix: unit vectors in kernel buffers (WASM linear memory with the WASM
 * backend), scanned in place with `scanTopK` and the `dot` metric (cosine on unit vectors).
 *
 * The kernels scan a whole buffer, so a buffer's unused rows are filled with NaN, which `topK`
 * never selects. Storage is a list of chunks: the first doubles (copying) up to a full chunk, then
 * full chunks are appended without copying, so growth never copies more than one chunk and at
 * most one chunk's spare rows are scanned in vain (doubling one buffer would scan up to 2x).
 * Deleting moves the last row into the hole, keeping rows dense.
 */
export class VectorMatrix {
  readonly dim: number;
  /** Rows per full chunk. */
  readonly chunkRows: number;
  private readonly kernels: KernelSet;
  private readonly chunks: Chunk[] = [];
  private ids: Float64Array = new Float64Array(FIRST_ROWS);
  private readonly slotOf = new Map<number, number>();
  private rowCount = 0;
  private outIds = new Uint32Array(16);
  private outScores = new Float32Array(16);

  /**
   * @param dim - vector dimension
   * @param kernels - the kernel set whose buffers and scan are used
   * @param chunkRows - rows per full chunk @default `CHUNK_BYTES / (4 · dim)`, at least 1024
   */
  constructor(dim: number, kernels: KernelSet, chunkRows = Math.max(1024, Math.floor(CHUNK_BYTES / (4 * dim)))) {
    this.dim = dim;
    this.kernels = kernels;
    this.chunkRows = Math.max(FIRST_ROWS, chunkRows);
  }

  /** Number of rows. */
  get size(): number {
    return this.rowCount;
  }

  /** Whether `id` has a row. */
  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** The ids of all rows, in row order. */
  allIds(): number[] {
    return Array.from(this.ids.subarray(0, this.rowCount));
  }

  private capacity(): number {
    let c = 0;
    for (const ch of this.chunks) c += ch.rows;
    return c;
  }

  private alloc(rows: number): Chunk {
    const buffer = this.kernels.allocFloat32(rows * this.dim);
    buffer.array.fill(Number.NaN);
    return { buffer, rows };
  }

  private grow(): void {
    const first = this.chunks[0];
    if (first === undefined) {
      this.chunks.push(this.alloc(FIRST_ROWS));
    } else if (this.chunks.length === 1 && first.rows < this.chunkRows) {
      const next = this.alloc(Math.min(this.chunkRows, first.rows * 2));
      next.buffer.array.set(first.buffer.array.subarray(0, this.rowCount * this.dim));
      first.buffer.free();
      this.chunks[0] = next;
    } else {
      this.chunks.push(this.alloc(this.chunkRows));
    }
    const cap = this.capacity();
    if (this.ids.length < cap) {
      const ids = new Float64Array(Math.max(cap, this.ids.length * 2));
      ids.set(this.ids.subarray(0, this.rowCount));
      this.ids = ids;
    }
  }

  private locate(slot: number): [Chunk, number] {
    const first = this.chunks[0];
    if (slot < first.rows) return [first, slot];
    const rest = slot - first.rows;
    return [this.chunks[1 + Math.floor(rest / this.chunkRows)], rest % this.chunkRows];
  }

  /** Adds (or replaces) the row of `id`; `vector` must be unit length (not checked). */
  set(id: number, vector: Float32Array): void {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      if (this.rowCount === this.capacity()) this.grow();
      slot = this.rowCount++;
      this.slotOf.set(id, slot);
      this.ids[slot] = id;
    }
    const [chunk, row] = this.locate(slot);
    chunk.buffer.array.set(vector, row * this.dim);
  }

  /** The stored vector of `id` (a copy), or undefined. */
  get(id: number): Float32Array | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const [chunk, row] = this.locate(slot);
    return chunk.buffer.array.slice(row * this.dim, (row + 1) * this.dim);
  }

  /** Removes the row of `id` (no-op when absent). */
  delete(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const last = --this.rowCount;
    const [lastChunk, lastRow] = this.locate(last);
    const lastArray = lastChunk.buffer.array;
    if (slot !== last) {
      const [chunk, row] = this.locate(slot);
      chunk.buffer.array.set(lastArray.subarray(lastRow * this.dim, (lastRow + 1) * this.dim), row * this.dim);
      const moved = this.ids[last];
      this.ids[slot] = moved;
      this.slotOf.set(moved, slot);
    }
    lastArray.fill(Number.NaN, lastRow * this.dim, (lastRow + 1) * this.dim);
    this.slotOf.delete(id);
    // Drop an emptied trailing chunk so scans do not pay for it.
    const tail = this.chunks[this.chunks.length - 1];
    if (this.chunks.length > 1 && this.rowCount <= this.capacity() - tail.rows) {
      tail.buffer.free();
      this.chunks.pop();
    }
  }

  /** Removes every row and frees the buffers. */
  clear(): void {
    for (const c of this.chunks) c.buffer.free();
    this.chunks.length = 0;
    this.slotOf.clear();
    this.rowCount = 0;
  }

  private ensureOut(k: number): void {
    if (this.outIds.length < k) {
      this.outIds = new Uint32Array(k);
      this.outScores = new Float32Array(k);
    }
  }

  /** The `k` rows most similar to `query` (a unit vector), best first; ties to the earlier row. */
  search(query: Float32Array, k: number): Hit[] {
    const want = Math.min(k, this.rowCount);
    if (want === 0) return [];
    this.ensureOut(want);
    const vector = this.kernels.vector;
    const merged: Hit[] = [];
    let base = 0;
    for (const chunk of this.chunks) {
      const n = vector.scanTopK(query, chunk.buffer, 'dot', Math.min(want, chunk.rows), this.outIds, this.outScores);
      for (let i = 0; i < n; i++) merged.push({ id: this.ids[base + this.outIds[i]], score: this.outScores[i] });
      base += chunk.rows;
    }
    if (this.chunks.length > 1) merged.sort((a, b) => b.score - a.score);
    return merged.slice(0, want);
  }

  /** Like {@link search}, restricted to `ids` (rows absent from the matrix are skipped). */
  searchAmong(query: Float32Array, ids: readonly number[], k: number): Hit[] {
    const present = ids.filter((id) => this.slotOf.has(id));
    const want = Math.min(k, present.length);
    if (want === 0) return [];
    // A filtered set is gathered into a plain array: copying the candidates is cheaper than
    // scanning every row when the filter is selective, which is when this path is taken.
    const dim = this.dim;
    const gathered = new Float32Array(present.length * dim);
    present.forEach((id, i) => {
      const [chunk, row] = this.locate(this.slotOf.get(id)!);
      gathered.set(chunk.buffer.array.subarray(row * dim, (row + 1) * dim), i * dim);
    });
    this.ensureOut(want);
    const n = this.kernels.vector.scanTopK(query, gathered, 'dot', want, this.outIds, this.outScores);
    const out: Hit[] = [];
    for (let i = 0; i < n; i++) out.push({ id: present[this.outIds[i]], score: this.outScores[i] });
    return out;
  }
}
