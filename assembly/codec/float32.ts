// float32 arrays to and from bytes. Little-endian is the host order (a plain copy); big-endian,
// MessagePack's float 32, swaps the bytes of four floats per SIMD swizzle.

@inline
function swapCopy(src: usize, n: i32, out: usize): void {
  const shuffle = i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(out + off, i8x16.swizzle(v128.load(src + off), shuffle));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<u32>(out + off, bswap<u32>(load<u32>(src + off)));
  }
}

/** Writes `n` floats at `src` as 4n bytes at `out`. Returns bytes written. */
export function packFloat32(src: usize, n: i32, out: usize, bigEndian: i32): i32 {
  if (bigEndian) swapCopy(src, n, out);
  else memory.copy(out, src, (<usize>n) << 2);
  return n << 2;
}

/** Reads `n` floats from 4n bytes at `src` into `out`. Returns bytes read. */
export function unpackFloat32(src: usize, n: i32, out: usize, bigEndian: i32): i32 {
  if (bigEndian) swapCopy(src, n, out);
  else memory.copy(out, src, (<usize>n) << 2);
  return n << 2;
}
