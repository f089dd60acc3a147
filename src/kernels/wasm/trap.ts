import { WasmTrapError } from '../../errors.js';

/** Rethrows a WebAssembly trap as `WASM_TRAP` (keeping it as `cause`); other errors pass through. */
export function rethrowTrap(kernel: string, error: unknown): never {
  if (error instanceof WebAssembly.RuntimeError) throw new WasmTrapError(kernel, error);
  throw error;
}
