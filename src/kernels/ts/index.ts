import { checkInteger } from '../../internal/validate.js';
import type { KernelSet } from '../types.js';
import { TsF32Buffer } from './buffer.js';
import { createTsCodecKernels } from './codec.js';
import { createTsGraphKernels } from './graph.js';
import { createTsVectorKernels } from './vector.js';

/** Creates a complete pure-TypeScript kernel set (always available, in any runtime). */
export function createTsKernels(): KernelSet {
  return {
    backend: 'ts',
    vector: createTsVectorKernels(),
    graph: createTsGraphKernels(),
    codec: createTsCodecKernels(),
    allocFloat32(length: number) {
      return new TsF32Buffer(checkInteger('length', length, 0));
    },
  };
}
