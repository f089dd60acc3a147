import type { WeftWasmExports } from './exports.js';

/**
 * The host's view of the module's linear memory. Kernels never allocate or grow memory, so
 * views only go stale inside `alloc`; that is the one place they are rebuilt, and `generation`
 * tells long-lived views (kernel buffers) when to rebuild theirs.
 */
export class WasmArena {
  readonly exports: WeftWasmExports;
  u8!: Uint8Array;
  u16!: Uint16Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  /** Incremented whenever memory grows (and earlier views detach). */
  generation = 0;
  private buffer!: ArrayBuffer;
  private scratchPtr = 0;
  private scratchSize = 0;

  constructor(exports: WeftWasmExports) {
    this.exports = exports;
    this.refresh();
  }

  /** Rebuilds the views if memory has grown. */
  refresh(): void {
    const buffer = this.exports.memory.buffer as ArrayBuffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.generation++;
  }

  /** Allocates `bytes` zeroed bytes, 16-byte aligned; the block stays until {@link free}. */
  alloc(bytes: number): number {
    const ptr = this.exports.alloc(Math.max(16, bytes));
    this.refresh();
    return ptr;
  }

  /** Frees a block from {@link alloc}. */
  free(ptr: number): void {
    this.exports.free(ptr);
  }

  /**
   * A reusable region of at least `bytes` bytes, 16-byte aligned, valid until the next call.
   * Adapters carve a call's inputs and outputs out of it, so steady-state calls allocate nothing.
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchSize) {
      if (this.scratchPtr !== 0) this.exports.free(this.scratchPtr);
      // Grow geometrically so a slowly increasing workload does not reallocate every call.
      const size = Math.max(bytes, this.scratchSize * 2, 4096);
      this.scratchPtr = this.alloc(size);
      this.scratchSize = size;
    }
    return this.scratchPtr;
  }
}

/** Rounds `bytes` up to the 16-byte alignment SIMD loads prefer. */
export function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}
