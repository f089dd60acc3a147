/**
 * The kernel interfaces. Each family has one interface with two implementations, a WebAssembly
 * backend (AssemblyScript, SIMD) and a pure-TypeScript twin, that must return the same results.
 *
 * Calls are synchronous, take typed arrays and write into caller-owned output buffers, so hot
 * loops allocate nothing. Expected conditions (a dimension mismatch, a cycle, a buffer that is too
 * small) throw typed {@link WeftError}s from `errors.ts`; bad argument types throw `TypeError`.
 *
 * @packageDocumentation
 */

/** Which implementation serves a kernel family. */
export type BackendName = 'wasm' | 'ts';

/** Similarity or distance measure used by vector scans. */
export type Metric = 'dot' | 'cosine' | 'l2';

/**
 * A block of float32 memory owned by a kernel backend. With the WASM backend it lives inside the
 * module's linear memory, so kernels read it without copying: use it for large, long-lived data
 * such as a matrix of embeddings that is scanned many times.
 */
export interface F32Buffer {
  /** Number of float32 elements. */
  readonly length: number;
  /**
   * A view of the block. Read it again after any other kernel call: WASM memory may grow, and
   * growth detaches earlier views.
   */
  readonly array: Float32Array;
  /** Whether {@link F32Buffer.free} has been called. */
  readonly freed: boolean;
  /** Returns the block to the backend. Using the buffer afterwards throws `BUFFER_FREED`. */
  free(): void;
}

/** A float32 vector argument: a plain array (copied into WASM per call) or a kernel buffer. */
export type F32Input = Float32Array | F32Buffer;

/**
 * Vector kernels. Scores from `dot` and `cosine` are similarities (higher is closer); `l2`
 * is the squared Euclidean distance (lower is closer).
 *
 * Precision: the WASM backend accumulates in float32 lanes and the TS backend in float64, so
 * results agree within the usual summation bound `n · 2⁻²⁴ · Σ|terms|`. Components smaller than
 * about 1e-19 in magnitude underflow when squared in float32 (irrelevant for embeddings).
 */
export interface VectorKernels {
  /** Dot product of two vectors of equal length. */
  dot(a: F32Input, b: F32Input): number;
  /** Cosine similarity; 0 when either vector has zero norm. */
  cosine(a: F32Input, b: F32Input): number;
  /** Squared Euclidean distance. */
  l2sq(a: F32Input, b: F32Input): number;
  /** Scales `v` in place to unit length (a zero vector is left unchanged). Returns the former norm. */
  normalize(v: Float32Array | F32Buffer): number;
  /**
   * Scores one query against `matrix`, a row-major block of `matrix.length / query.length` rows,
   * writing one score per row into `out` (`dot`/`cosine`: similarity; `l2`: squared distance).
   */
  scan(query: F32Input, matrix: F32Input, metric: Metric, out: Float32Array): void;
  /**
   * Selects the `k` best of `scores` (largest, or smallest when `ascending`), writing their row ids
   * and scores best first; ties go to the smaller id; NaN scores are never selected.
   * Returns the number written: `min(k, number of non-NaN scores)`.
   */
  topK(scores: Float32Array, k: number, ascending: boolean, outIds: Uint32Array, outScores: Float32Array): number;
  /**
   * `scan` followed by `topK` without materialising the score array on the caller's side.
   * `l2` selects the smallest distances, the other metrics the largest similarities.
   */
  scanTopK(
    query: F32Input,
    matrix: F32Input,
    metric: Metric,
    k: number,
    outIds: Uint32Array,
    outScores: Float32Array,
  ): number;
}

/**
 * A directed graph in compressed sparse row form: the successors of node `v` are
 * `targets[offsets[v] .. offsets[v + 1])`. Nodes are `0 .. nodeCount - 1`.
 */
export interface CsrGraph {
  /** Number of nodes. */
  readonly nodeCount: number;
  /** `nodeCount + 1` monotone offsets into `targets`; `offsets[0] === 0`. */
  readonly offsets: Uint32Array;
  /** Edge targets, `offsets[nodeCount]` of them. */
  readonly targets: Uint32Array;
}

/**
 * Graph kernels over {@link CsrGraph}s. Results are identical across backends (deterministic
 * tie-breaking by node index and edge order).
 */
export interface GraphKernels {
  /**
   * Kahn's topological order (FIFO, sources seeded in index order) into `outOrder`
   * (length ≥ nodeCount). Returns how many nodes were ordered: less than `nodeCount` iff the
   * graph has a cycle.
   */
  topoSort(graph: CsrGraph, outOrder: Uint32Array): number;
  /**
   * Finds one cycle (depth-first, roots and edges in index order) and writes its nodes in edge
   * order into `outCycle` (length ≥ nodeCount). Returns its length, 0 when the graph is acyclic.
   */
  findCycle(graph: CsrGraph, outCycle: Uint32Array): number;
  /**
   * Upward rank: `rank[v] = weight[v] + max(rank[successor])`, the weighted longest path from `v`
   * to a sink. Writes `outRank` and returns the critical-path length (the largest rank).
   * Throws `CYCLE_DETECTED` (with the cycle's nodes) on a cyclic graph.
   */
  upwardRank(graph: CsrGraph, weights: Float64Array, outRank: Float64Array): number;
  /**
   * Level of each node: 0 for sources, else 1 + the largest level of its predecessors.
   * Writes `outLevels` and returns the number of levels. Throws `CYCLE_DETECTED` on a cycle.
   */
  levels(graph: CsrGraph, outLevels: Uint32Array): number;
}

/**
 * Codec kernels: the hot paths of the MessagePack codec and content hashing.
 * UTF-8 follows the WHATWG Encoding Standard: lone surrogates encode as U+FFFD, and each maximal
 * invalid subsequence decodes as one U+FFFD, exactly as `TextEncoder`/`TextDecoder` do.
 */
export interface CodecKernels {
  /**
   * Encodes `str` as UTF-8 into `out` at `offset`. Returns the number of bytes written, or -1
   * (writing nothing useful) when `out` lacks room; `str.length * 3` bytes always suffice.
   */
  utf8Encode(str: string, out: Uint8Array, offset: number): number;
  /**
   * Decodes `bytes[start, end)` as UTF-8. A byte order mark is kept as U+FEFF, not stripped
   * (as `TextDecoder` does with `ignoreBOM: true`): the caller decides what a BOM means.
   */
  utf8Decode(bytes: Uint8Array, start: number, end: number): string;
  /**
   * Writes the float32 values of `src` into `out` at `offset` as 4-byte IEEE 754 values,
   * big-endian (MessagePack's float 32) or little-endian. Returns bytes written (`4 * src.length`).
   * Throws `BUFFER_TOO_SMALL` when `out` lacks room.
   */
  packFloat32(src: Float32Array, out: Uint8Array, offset: number, bigEndian: boolean): number;
  /**
   * Reads `out.length` float32 values from `bytes` at `offset` (inverse of `packFloat32`).
   * Throws `DECODE_INVALID` when fewer than `4 * out.length` bytes follow `offset`.
   */
  unpackFloat32(bytes: Uint8Array, offset: number, bigEndian: boolean, out: Float32Array): void;
  /**
   * Writes each value of `values` as an unsigned LEB128 varint into `out` at `offset`.
   * Returns bytes written (at most `5 * values.length`). Throws `BUFFER_TOO_SMALL` when short.
   */
  encodeVarints(values: Uint32Array, out: Uint8Array, offset: number): number;
  /**
   * Reads `out.length` unsigned LEB128 varints from `bytes[offset, end)`. Returns the offset after
   * the last one. Throws `DECODE_INVALID` on a truncated or over-long (> 5 bytes / > 2^32-1) varint.
   */
  decodeVarints(bytes: Uint8Array, offset: number, end: number, out: Uint32Array): number;
  /** xxHash32 of `bytes` (the reference algorithm, seed default 0), as an unsigned 32-bit number. */
  xxh32(bytes: Uint8Array, seed?: number): number;
  /** xxHash64 of `bytes` (the reference algorithm, seed default 0n), as an unsigned bigint. */
  xxh64(bytes: Uint8Array, seed?: bigint): bigint;
}

/** Allocation of kernel-owned memory (zero-copy inputs for the WASM backend). */
export interface KernelMemory {
  /** Allocates a zero-filled float32 block of `length` elements. */
  allocFloat32(length: number): F32Buffer;
}

/** A complete set of kernels from one backend. */
export interface KernelSet extends KernelMemory {
  /** Which backend implements this set. */
  readonly backend: BackendName;
  /** Vector similarity, scans and top-k. */
  readonly vector: VectorKernels;
  /** Graph algorithms over CSR graphs. */
  readonly graph: GraphKernels;
  /** UTF-8, float packing, varints and hashing. */
  readonly codec: CodecKernels;
}
