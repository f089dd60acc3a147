// The messages between an index (ann-index.ts, on the memory's thread) and its linker thread
// (ann-link-thread.ts). The linker holds a copy of the graph fed the same appends and deletes in
// the same order, so node numbers agree; it links and sends back diffs (assembly/ann/diff.ts).
import type { AnnWasmExports } from '../kernels/wasm/ann.js';

/** What the linker thread starts from (its workerData). */
export interface LinkerInit {
  readonly module: WebAssembly.Module;
  readonly dim: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly seed: number;
  readonly capacity: number;
  /** The serving graph's bytes (its graph part) when it was loaded rather than created. */
  readonly graph?: Uint8Array;
}

/** To the linker: nodes to tombstone, then `vectors` (row-major, `dim` floats each) to append. */
export interface LinkerAdd {
  readonly type: 'add';
  readonly deletes: readonly number[];
  readonly vectors: Float32Array;
}

/** From the linker: the diff of the nodes it linked since the last one. */
export interface LinkerDiff {
  readonly type: 'diff';
  readonly bytes: Uint8Array;
}

/** The exports a linker and a served index use beyond the plain index's. */
export interface AnnDiffExports extends AnnWasmExports {
  annTrack(h: number): void;
  annDiffSize(h: number, from: number): number;
  annDiffWrite(h: number, from: number, out: number): void;
  annApplyDiff(h: number, src: number, len: number): number;
}
