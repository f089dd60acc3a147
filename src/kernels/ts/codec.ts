// STUB: replaced by the codec helper.
import type { CodecKernels } from '../types.js';

/** Creates the pure-TS codec kernels. */
export function createTsCodecKernels(): CodecKernels {
  return {} as CodecKernels;
}
