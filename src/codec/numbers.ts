// Numbers in their smallest MessagePack format. Integers beyond 32 bits are written from two
// 32-bit halves computed in doubles: every safe integer splits exactly, and BigInt would allocate.

const TWO_32 = 4294967296;

/** Bytes {@link writeNumber} and {@link writeBigInt} may write. */
export const MAX_NUMBER_BYTES = 9;

/**
 * Writes `v` at `p` and returns the position after it: a safe integer (but not -0) as the
 * smallest of positive/negative fixint, uint 8/16/32/64 and int 8/16/32/64; anything else as
 * float 64, or as float 32 when `float32` is set and that is exact (NaN included).
 */
export function writeNumber(b: Uint8Array, view: DataView, p: number, v: number, float32: boolean): number {
  // -0 is an integer to Number.isSafeInteger, but only a float keeps its sign.
  if (!Number.isSafeInteger(v) || (v === 0 && 1 / v < 0)) {
    if (float32 && (Math.fround(v) === v || v !== v)) {
      b[p] = 0xca;
      view.setFloat32(p + 1, v);
      return p + 5;
    }
    b[p] = 0xcb;
    view.setFloat64(p + 1, v);
    return p + 9;
  }
  if (v >= 0) {
    if (v < 0x80) {
      b[p] = v;
      return p + 1;
    }
    if (v < 0x100) {
      b[p] = 0xcc;
      b[p + 1] = v;
      return p + 2;
    }
    if (v < 0x10000) {
      b[p] = 0xcd;
      b[p + 1] = v >> 8;
      b[p + 2] = v;
      return p + 3;
    }
    if (v < TWO_32) {
      b[p] = 0xce;
      view.setUint32(p + 1, v);
      return p + 5;
    }
    b[p] = 0xcf;
    view.setUint32(p + 1, Math.floor(v / TWO_32));
    view.setUint32(p + 5, v >>> 0);
    return p + 9;
  }
  // Uint8Array stores keep the low 8 bits: two's complement for free.
  if (v >= -32) {
    b[p] = v;
    return p + 1;
  }
  if (v >= -0x80) {
    b[p] = 0xd0;
    b[p + 1] = v;
    return p + 2;
  }
  if (v >= -0x8000) {
    b[p] = 0xd1;
    b[p + 1] = v >> 8;
    b[p + 2] = v;
    return p + 3;
  }
  if (v >= -0x80000000) {
    b[p] = 0xd2;
    view.setInt32(p + 1, v);
    return p + 5;
  }
  b[p] = 0xd3;
  const hi = Math.floor(v / TWO_32);
  view.setInt32(p + 1, hi);
  view.setUint32(p + 5, v - hi * TWO_32);
  return p + 9;
}

/** Whether `v` fits int 64 or uint 64. */
export function isInt64(v: bigint): boolean {
  return v >= -0x8000000000000000n && v <= 0xffffffffffffffffn;
}

/**
 * Writes `v` (see {@link isInt64}) at `p` as uint 64 when non-negative, else int 64, whatever
 * its size, so that it can decode as a bigint again. Returns the position after it.
 */
export function writeBigInt(b: Uint8Array, view: DataView, p: number, v: bigint): number {
  if (v < 0n) {
    b[p] = 0xd3;
    view.setBigInt64(p + 1, v);
  } else {
    b[p] = 0xcf;
    view.setBigUint64(p + 1, v);
  }
  return p + 9;
}
