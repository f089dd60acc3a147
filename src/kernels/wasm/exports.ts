import type { WasmMemory } from './wasm-types.js';

/** The raw exports of build/weft.wasm (assembly/index.ts). Pointers and lengths are numbers. */
export interface WeftWasmExports {
  readonly memory: WasmMemory;
  abiVersion(): number;
  alloc(size: number): number;
  free(ptr: number): void;
  dot(a: number, b: number, n: number): number;
  cosine(a: number, b: number, n: number): number;
  l2sq(a: number, b: number, n: number): number;
  normalize(v: number, n: number): number;
  scan(q: number, m: number, rows: number, dim: number, metric: number, out: number): number;
  topK(scores: number, n: number, k: number, ascending: number, outIds: number, outScores: number): number;
  scanTopK(
    q: number, m: number, rows: number, dim: number, metric: number, k: number,
    tmp: number, outIds: number, outScores: number,
  ): number;
  topoSort(n: number, offsets: number, targets: number, outOrder: number, scratch: number): number;
  findCycle(n: number, offsets: number, targets: number, outCycle: number, scratch: number): number;
  upwardRank(n: number, offsets: number, targets: number, weights: number, outRank: number, scratch: number): number;
  levels(n: number, offsets: number, targets: number, outLevels: number, scratch: number): number;
  utf8Encode(src: number, len: number, out: number, cap: number): number;
  utf8Decode(src: number, len: number, out: number): number;
  packFloat32(src: number, n: number, out: number, bigEndian: number): number;
  unpackFloat32(src: number, n: number, out: number, bigEndian: number): number;
  encodeVarints(src: number, n: number, out: number, cap: number): number;
  decodeVarints(src: number, len: number, n: number, out: number): number;
  xxh32(ptr: number, len: number, seed: number): number;
  xxh64(ptr: number, len: number, seed: bigint): bigint;
}

/** The ABI version this adapter speaks (assembly/abi.ts `ABI_VERSION`). */
export const ABI_VERSION = 1;

/** Status codes returned by kernels (assembly/abi.ts). */
export const Status = {
  OK: 0,
  E_DIMENSION: -1,
  E_CYCLE: -2,
  E_CAPACITY: -3,
  E_INVALID: -4,
} as const;
