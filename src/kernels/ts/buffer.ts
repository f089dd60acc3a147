import { BufferFreedError } from '../../errors.js';
import type { F32Buffer } from '../types.js';

/** An {@link F32Buffer} backed by an ordinary Float32Array (the TS backend's memory). */
export class TsF32Buffer implements F32Buffer {
  readonly length: number;
  private data: Float32Array | undefined;

  constructor(length: number) {
    this.length = length;
    this.data = new Float32Array(length);
  }

  get array(): Float32Array {
    if (this.data === undefined) throw new BufferFreedError();
    return this.data;
  }

  get freed(): boolean {
    return this.data === undefined;
  }

  free(): void {
    this.data = undefined;
  }
}

/** The Float32Array behind any float32 input. */
export function f32Of(x: Float32Array | F32Buffer): Float32Array {
  return x instanceof Float32Array ? x : x.array;
}
