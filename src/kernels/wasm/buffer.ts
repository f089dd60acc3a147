import { BufferFreedError } from '../../errors.js';
import type { F32Buffer, F32Input } from '../types.js';
import type { WasmArena } from './memory.js';

/** An {@link F32Buffer} inside the module's linear memory: kernels read it in place. */
export class WasmF32Buffer implements F32Buffer {
  readonly length: number;
  readonly arena: WasmArena;
  private address: number;
  private view: Float32Array;
  private generation: number;

  constructor(arena: WasmArena, length: number) {
    this.arena = arena;
    this.length = length;
    this.address = arena.alloc(length * 4);
    this.view = new Float32Array(arena.exports.memory.buffer, this.address, length);
    this.generation = arena.generation;
  }

  /** The block's address; throws once freed. */
  get ptr(): number {
    if (this.address === 0) throw new BufferFreedError();
    return this.address;
  }

  get array(): Float32Array {
    const ptr = this.ptr;
    if (this.generation !== this.arena.generation) {
      this.view = new Float32Array(this.arena.exports.memory.buffer, ptr, this.length);
      this.generation = this.arena.generation;
    }
    return this.view;
  }

  get freed(): boolean {
    return this.address === 0;
  }

  free(): void {
    if (this.address === 0) return;
    this.arena.free(this.address);
    this.address = 0;
  }
}

/**
 * The address of a float32 input inside `arena`: a buffer of this arena is used in place,
 * anything else is copied to `at` (a scratch address with room for it).
 */
export function placeF32(arena: WasmArena, x: F32Input, at: number): number {
  if ((x as WasmF32Buffer).arena === arena) return (x as WasmF32Buffer).ptr;
  arena.f32.set(x instanceof Float32Array ? x : x.array, at >>> 2);
  return at;
}

/** Scratch bytes needed to copy `x` in (none for a buffer of this arena). */
export function copyBytes(arena: WasmArena, x: F32Input, length: number): number {
  return (x as WasmF32Buffer).arena === arena ? 0 : (length * 4 + 15) & ~15;
}
