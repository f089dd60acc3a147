// The hook through which the memory store's HNSW (src/memory/ann-index.ts) reaches its exports:
// the index has no TS twin (it needs WebAssembly; without it recall stays on the exact scan), so
// it takes an instance of the module rather than a kernel family.
import { WasmUnavailableError } from '../../errors.js';
import type { WeftWasmExports } from './exports.js';
import { instantiateWeft } from './load.js';
import { WasmArena } from './memory.js';
import type { WasmModule } from './wasm-types.js';

/** The ANN exports of build/weft.wasm (assembly/ann/index.ts); handles and pointers are numbers. */
export interface AnnWasmExports extends WeftWasmExports {
  annCreate(dim: number, m: number, efConstruction: number, seed: number): number;
  annFree(h: number): void;
  annReserve(h: number, capacity: number): void;
  annCapacity(h: number): number;
  annVectors(h: number): number;
  annCount(h: number): number;
  annLinked(h: number): number;
  annDeletedCount(h: number): number;
  annAppend(h: number, n: number): number;
  annLink(h: number, max: number): number;
  annDelete(h: number, node: number): number;
  annSearch(h: number, q: number, k: number, ef: number, allow: number, outIds: number, outDist: number): number;
  annSerializedSize(h: number): number;
  annSerialize(h: number, out: number): void;
  annDeserialize(src: number, len: number): number;
}

/** An arena whose exports include the ANN functions. */
export interface AnnArena extends WasmArena {
  readonly exports: AnnWasmExports;
}

/**
 * A fresh instance of weft's compiled module for one index. Each index gets its own linear memory: its
 * growth then never detaches the views of the kernels' buffers (the exact scan's), and dropping
 * the index returns all of its memory at once.
 */
export async function annArena(module: WasmModule): Promise<AnnArena> {
  const exports = (await instantiateWeft(module)) as AnnWasmExports;
  if (typeof exports.annCreate !== 'function') throw new WasmUnavailableError('weft.wasm was built without the ANN exports');
  return new WasmArena(exports) as AnnArena;
}
