// weft's HNSW file: the graph as assembly/ann/serialize.ts writes it (a 64-byte header, then the
// arrays), followed by one float64 item id per node. The header is checked here, before anything
// is copied into WebAssembly; the graph itself is validated in WebAssembly as it is read.

import type { HnswParams } from './hnsw-index.js';

const MAGIC = 0x574e4857; // "WHNW", little-endian
const VERSION = 1;
const HEADER = 64;

/** Where the parts of a valid file are. */
export interface AnnLayout {
  /** Nodes (live, tombstoned and pending). */
  readonly count: number;
  /** Bytes of the graph part (the rest are the item ids). */
  readonly graphBytes: number;
  /** Offset of the tombstone bytes (one per node). */
  readonly tombstonesAt: number;
}

/** The layout of `bytes`, or why they are not an index of dimension `dim` built with `params`. */
export function annLayout(bytes: Uint8Array, dim: number, params: HnswParams): AnnLayout | string {
  if (bytes.byteLength < HEADER) return `${bytes.byteLength} bytes is shorter than the header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const i32 = (at: number) => view.getInt32(at, true);
  if (view.getUint32(0, true) !== MAGIC) return 'not a weft HNSW file';
  if (view.getUint32(4, true) !== VERSION) return `format version ${view.getUint32(4, true)}, expected ${VERSION}`;
  if (i32(8) !== dim) return `vectors of ${i32(8)} floats, expected ${dim}`;
  if (i32(12) !== params.m || i32(16) !== params.efConstruction) {
    return `built with M ${i32(12)} and efConstruction ${i32(16)}, expected ${params.m} and ${params.efConstruction}`;
  }
  const count = i32(20);
  if (count < 0) return `node count ${count}`;
  const graphBytes = bytes.byteLength - count * 8;
  const tombstonesAt = HEADER + count * (dim * 4 + 4 + (1 + 2 * params.m) * 4);
  if (graphBytes < tombstonesAt + count) return `truncated: ${bytes.byteLength} bytes for ${count} nodes`;
  return { count, graphBytes, tombstonesAt };
}
