// The ABI shared with src/kernels/wasm: version, memory management and status codes.
// Kernels take raw pointers into linear memory and never allocate; the host allocates input and
// output regions through alloc/free (the minimal runtime's TLSF allocator, which never collects
// on its own, so a kernel call cannot move or free anything).

/** Bumped whenever an export's signature or meaning changes. */
export const ABI_VERSION: i32 = 1;

/** Success. */
export const OK: i32 = 0;
/** Two arguments have different dimensions. */
export const E_DIMENSION: i32 = -1;
/** The graph has a cycle. */
export const E_CYCLE: i32 = -2;
/** An output region is too small. */
export const E_CAPACITY: i32 = -3;
/** Input bytes are invalid (truncated or malformed). */
export const E_INVALID: i32 = -4;

export function abiVersion(): i32 {
  return ABI_VERSION;
}

/** Allocates `size` bytes, 16-byte aligned (TLSF's alignment), growing memory as needed. */
export function alloc(size: usize): usize {
  const ptr = heap.alloc(size);
  memory.fill(ptr, 0, size);
  return ptr;
}

/** Frees a block returned by alloc. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
