// STUB: replaced by the codec helper.
import type { CodecKernels } from '../types.js';
import type { WasmArena } from './memory.js';

/** Creates the WebAssembly codec kernels over `arena`. */
export function createWasmCodecKernels(arena: WasmArena): CodecKernels {
  void arena;
  return {} as CodecKernels;
}
