// STUB: to be implemented (codec helper).
export function packFloat32(src: usize, n: i32, out: usize, bigEndian: i32): i32 { return 0; }
export function unpackFloat32(src: usize, n: i32, out: usize, bigEndian: i32): i32 { return 0; }
