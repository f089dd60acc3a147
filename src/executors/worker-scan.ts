// The exact vector scan, in shards across the pool's threads: the matrix lives in a
// SharedArrayBuffer that every thread can read, each shard's top k comes back with global row
// ids, and the merge keeps the kernel's order (best first, ties to the smaller id), so the result
// is the one-thread `scanTopK` on the whole matrix.

import { checkInteger, checkOneOf, checkTypedArray, expectedMessage } from '../internal/validate.js';
import { DimensionMismatchError } from '../errors.js';
import type { Metric } from '../kernels/types.js';
import type { ScanJob, ScanOutcome } from './worker-protocol.js';
import { defaultWorkerPool, type WorkerPool } from './worker-pool.js';

let matrices = 0;

/** A row-major float32 matrix in shared memory, for {@link parallelScan}. */
export class SharedMatrix {
  /** The shared memory. */
  readonly buffer: SharedArrayBuffer;
  /** A view of every row, row-major: write rows here, then call {@link changed}. */
  readonly data: Float32Array;
  private readonly id = ++matrices;
  private version = 0;

  /**
   * @param rows - number of rows
   * @param dim - floats per row
   */
  constructor(
    readonly rows: number,
    readonly dim: number,
  ) {
    checkInteger('rows', rows, 0);
    checkInteger('dim', dim, 1);
    this.buffer = new SharedArrayBuffer(rows * dim * 4);
    this.data = new Float32Array(this.buffer);
  }

  /** Identifies the contents: threads keep their copy of a shard while it holds. */
  get key(): string {
    return `${process.pid}:${this.id}:${this.version}`;
  }

  /** Says rows were written after a scan: the threads' copies are stale. */
  changed(): void {
    this.version++;
  }
}

/** Creates a {@link SharedMatrix}, optionally filled from `rows` (row-major, `rowCount * dim` floats). */
export function createSharedMatrix(rowCount: number, dim: number, rows?: Float32Array): SharedMatrix {
  const m = new SharedMatrix(rowCount, dim);
  if (rows !== undefined) {
    checkTypedArray('rows', rows, Float32Array);
    if (rows.length !== rowCount * dim) throw new RangeError(expectedMessage('rows.length', `rowCount * dim = ${rowCount * dim}`, rows.length));
    m.data.set(rows);
  }
  return m;
}

/** Options of {@link parallelScan}. */
export interface ParallelScanOptions {
  /** How many rows to return. */
  readonly k: number;
  /** @default 'dot' */
  readonly metric?: Metric;
  /** Shards to cut the matrix into. @default the pool's threads */
  readonly shards?: number;
  /** The threads. @default the process-wide pool */
  readonly pool?: WorkerPool;
  /** Aborts the scan (shards not started are not started). */
  readonly signal?: AbortSignal;
}

/** The best rows, best first: `ids[r]` is a row index, `scores[r]` its score. */
export interface ScanResult {
  readonly ids: Uint32Array;
  readonly scores: Float32Array;
}

/** Scans `matrix` for `query` in shards on the pool's threads; the same result as `getKernels().vector.scanTopK` on one thread. */
export async function parallelScan(matrix: SharedMatrix, query: Float32Array, options: ParallelScanOptions): Promise<ScanResult> {
  if (!(matrix instanceof SharedMatrix)) throw new TypeError(expectedMessage('matrix', 'a SharedMatrix (createSharedMatrix)', matrix));
  checkTypedArray('query', query, Float32Array);
  if (query.length !== matrix.dim) throw new DimensionMismatchError('parallelScan query', matrix.dim, query.length);
  const k = checkInteger('k', options?.k, 0);
  const metric = checkOneOf('metric', options.metric ?? 'dot', ['dot', 'cosine', 'l2']);
  const pool = options.pool ?? defaultWorkerPool();
  const shards = Math.max(1, Math.min(checkInteger('shards', options.shards ?? pool.threads, 1), matrix.rows));
  options.signal?.throwIfAborted();
  const piscina = await pool.piscina(0);
  // Structured clone copies a typed array's whole buffer: a query that is a view into a larger
  // one (a row of a matrix, WASM memory) would send all of it to each shard.
  const q = query.byteOffset === 0 && query.byteLength === query.buffer.byteLength && !(query.buffer instanceof SharedArrayBuffer) ? query : query.slice();
  const per = Math.ceil(matrix.rows / shards);
  const parts: Promise<ScanOutcome>[] = [];
  for (let start = 0; start < matrix.rows; start += per) {
    const job: ScanJob = { kind: 'scan', key: matrix.key, buffer: matrix.buffer, dim: matrix.dim, start, rows: Math.min(per, matrix.rows - start), query: q, metric, k };
    parts.push(
      pool.acquire(options.signal).then(() =>
        (piscina.run(job, options.signal === undefined ? {} : { signal: options.signal }) as Promise<ScanOutcome>).finally(() => pool.release()),
      ),
    );
  }
  return mergeTopK(await Promise.all(parts), k, metric === 'l2');
}

/** Merges per-shard top-k lists (each best first) into the overall top `k`: better score first, ties to the smaller id. */
export function mergeTopK(parts: readonly ScanResult[], k: number, ascending: boolean): ScanResult {
  const all: { id: number; score: number }[] = [];
  for (const p of parts) for (let r = 0; r < p.ids.length; r++) all.push({ id: p.ids[r], score: p.scores[r] });
  all.sort((a, b) => (a.score === b.score ? a.id - b.id : ascending ? a.score - b.score : b.score - a.score));
  const n = Math.min(k, all.length);
  const ids = new Uint32Array(n);
  const scores = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    ids[r] = all[r].id;
    scores[r] = all[r].score;
  }
  return { ids, scores };
}
