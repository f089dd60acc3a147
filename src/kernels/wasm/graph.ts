// STUB: replaced by the graph helper.
import type { GraphKernels } from '../types.js';
import type { WasmArena } from './memory.js';

/** Creates the WebAssembly graph kernels over `arena`. */
export function createWasmGraphKernels(arena: WasmArena): GraphKernels {
  void arena;
  return {} as GraphKernels;
}
