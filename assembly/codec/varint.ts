// STUB: to be implemented (codec helper).
export function encodeVarints(src: usize, n: i32, out: usize, cap: i32): i32 { return 0; }
export function decodeVarints(src: usize, len: i32, n: i32, out: usize): i32 { return 0; }
