// STUB: replaced by the graph helper.
import type { GraphKernels } from '../types.js';

/** Creates the pure-TS graph kernels. */
export function createTsGraphKernels(): GraphKernels {
  return {} as GraphKernels;
}
