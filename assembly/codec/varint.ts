import { E_CAPACITY, E_INVALID } from '../abi';

/**
 * Writes `n` u32 values at `src` as unsigned LEB128 varints into at most `cap` bytes at `out`.
 * Returns bytes written or E_CAPACITY.
 */
export function encodeVarints(src: usize, n: i32, out: usize, cap: i32): i32 {
  let o = 0;
  for (let k = 0; k < n; k++) {
    let v = load<u32>(src + ((<usize>k) << 2));
    // The common fast case: room for the longest varint, so no per-byte capacity check.
    if (o + 5 > cap) {
      const need = v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
      if (o + need > cap) return E_CAPACITY;
    }
    while (v >= 0x80) {
      store<u8>(out + <usize>o, <u8>((v & 0x7f) | 0x80));
      v >>= 7;
      o++;
    }
    store<u8>(out + <usize>o, <u8>v);
    o++;
  }
  return o;
}

/**
 * Reads `n` varints from `len` bytes at `src` into u32s at `out`. Returns bytes consumed, or
 * E_INVALID for a truncated varint or one that does not fit 32 bits.
 */
export function decodeVarints(src: usize, len: i32, n: i32, out: usize): i32 {
  let i = 0;
  for (let k = 0; k < n; k++) {
    let v: u32 = 0;
    let shift: u32 = 0;
    while (true) {
      if (i >= len) return E_INVALID;
      const b = <u32>load<u8>(src + <usize>i);
      i++;
      if (shift == 28) {
        if (b > 0x0f) return E_INVALID;
        v |= b << 28;
        break;
      }
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    store<u32>(out + ((<usize>k) << 2), v);
  }
  return i;
}
