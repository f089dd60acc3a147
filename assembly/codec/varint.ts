import { E_CAPACITY, E_INVALID } from '../abi';

// Unsigned LEB128 for u32 values (1 to 5 bytes). Lengths vary from value to value, so a
// byte-at-a-time loop mispredicts its exit branch about once per value; instead each value is
// built or parsed in one 64-bit word (shift-and-mask "spreading"), and only values near the end
// of a buffer, where an 8-byte access would overrun, take the byte loop.

// Continuation bits of the first four bytes (a fifth byte never continues).
const CONT: u64 = 0x0000008080808080;

@inline
function varintLength(v: u32): u32 {
  const bits = 32 - clz<u32>(v | 1);
  return (bits * 9 + 62) >> 6; // ceil(bits / 7) for bits in 1..32
}

/**
 * Writes `n` u32 values at `src` as unsigned LEB128 varints into at most `cap` bytes at `out`.
 * Returns bytes written or E_CAPACITY.
 */
export function encodeVarints(src: usize, n: i32, out: usize, cap: i32): i32 {
  let s = src;
  const end = src + ((<usize>n) << 2);
  let o = out;
  const limit = out + <usize>cap;
  while (s < end) {
    const v = load<u32>(s);
    s += 4;
    const len = varintLength(v);
    if (o + 8 <= limit) {
      const w = <u64>v;
      const spread = (w & 0x7f) | ((w << 1) & 0x7f00) | ((w << 2) & 0x7f0000) | ((w << 3) & 0x7f000000) | ((w << 4) & 0x7f00000000);
      const more = CONT & ((<u64>1 << (<u64>(len - 1) << 3)) - 1);
      store<u64>(o, spread | more);
      o += len;
      continue;
    }
    if (o + len > limit) return E_CAPACITY;
    let x = v;
    while (x >= 0x80) {
      store<u8>(o, <u8>(x | 0x80));
      x >>= 7;
      o++;
    }
    store<u8>(o, <u8>x);
    o++;
  }
  return <i32>(o - out);
}

/**
 * Reads `n` varints from `len` bytes at `src` into u32s at `out`. Returns bytes consumed, or
 * E_INVALID for a truncated varint or one that does not fit 32 bits (a fifth byte above 0x0f).
 */
export function decodeVarints(src: usize, len: i32, n: i32, out: usize): i32 {
  let p = src;
  const end = src + <usize>len;
  let d = out;
  const dend = out + ((<usize>n) << 2);
  while (d < dend) {
    if (p + 8 <= end) {
      const x = load<u64>(p);
      const stops = ~x & CONT | 0x8000000000; // a fifth byte always ends the varint
      const bytes = (<u32>ctz<u64>(stops) >> 3) + 1;
      const m = x & ((<u64>1 << (<u64>bytes << 3)) - 1);
      const v = (m & 0x7f) | ((m >> 1) & 0x3f80) | ((m >> 2) & 0x1fc000) | ((m >> 3) & 0xfe00000) | ((m >> 4) & 0x7f0000000);
      // Above 32 bits: the fifth byte is over 0x0f, or it has a continuation bit of its own.
      if ((v >> 32) != 0 || (m & 0x8000000000) != 0) return E_INVALID;
      store<u32>(d, <u32>v);
      d += 4;
      p += bytes;
      continue;
    }
    let v: u32 = 0;
    let shift: u32 = 0;
    while (true) {
      if (p >= end) return E_INVALID;
      const b = <u32>load<u8>(p);
      p++;
      if (shift == 28) {
        if (b > 0x0f) return E_INVALID;
        v |= b << 28;
        break;
      }
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    store<u32>(d, v);
    d += 4;
  }
  return <i32>(p - src);
}
