// STUB: to be implemented (codec helper).
export function utf8Encode(src: usize, len: i32, out: usize, cap: i32): i32 { return 0; }
export function utf8Decode(src: usize, len: i32, out: usize): i32 { return 0; }
