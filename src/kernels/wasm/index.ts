import { checkInteger } from '../../internal/validate.js';
import type { KernelSet } from '../types.js';
import { WasmF32Buffer } from './buffer.js';
import { createWasmCodecKernels } from './codec.js';
import { createWasmGraphKernels } from './graph.js';
import { instantiateWeft } from './load.js';
import { WasmArena } from './memory.js';
import { createWasmVectorKernels } from './vector.js';
import type { WasmModule } from './wasm-types.js';

/**
 * Creates a complete WebAssembly kernel set from a compiled module. Each call makes its own
 * instance (its own memory), so kernel sets never share state.
 */
export async function createWasmKernels(module: WasmModule): Promise<KernelSet> {
  const arena = new WasmArena(await instantiateWeft(module));
  return {
    backend: 'wasm',
    vector: createWasmVectorKernels(arena),
    graph: createWasmGraphKernels(arena),
    codec: createWasmCodecKernels(arena),
    allocFloat32(length: number) {
      return new WasmF32Buffer(arena, checkInteger('length', length, 0));
    },
  };
}
