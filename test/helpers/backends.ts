// Both kernel backends, for `describe.each` parity tests.
import { loadWeftModule } from '../../src/kernels/index.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';
import type { KernelSet } from '../../src/kernels/types.js';
import { createWasmKernels } from '../../src/kernels/wasm/index.js';

/** A fresh WASM kernel set (its own instance and memory). */
export async function wasmKernels(): Promise<KernelSet> {
  return createWasmKernels(await loadWeftModule());
}

/** The pure-TS kernel set. */
export function tsKernels(): KernelSet {
  return createTsKernels();
}

/** Both backends by name, WASM first. */
export async function bothBackends(): Promise<[KernelSet, KernelSet]> {
  return [await wasmKernels(), tsKernels()];
}
