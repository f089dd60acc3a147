// STUB: to be implemented (codec helper).
export function xxh32(ptr: usize, len: i32, seed: u32): u32 { return 0; }
export function xxh64(ptr: usize, len: i32, seed: u64): u64 { return 0; }
