// xxHash32 and xxHash64 in plain TS, the twins of assembly/codec/hash.ts (the reference
// algorithms, github.com/Cyan4973/xxHash). xxHash64 works on 64-bit values as (hi, lo) int32
// halves: BigInt arithmetic allocates on every operation and measured ~15x slower.
//
// Input words come through a DataView, which V8 compiles to plain loads at any alignment (3x
// faster than assembling bytes). Creating one costs as much as hashing a few hundred bytes,
// though, so short inputs are copied into a scratch buffer with a DataView made once.

const P32_1 = 0x9e3779b1;
const P32_2 = 0x85ebca77;
const P32_3 = 0xc2b2ae3d;
const P32_4 = 0x27d4eb2f;
const P32_5 = 0x165667b1;

const rotl32 = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const round32 = (acc: number, input: number) => Math.imul(rotl32((acc + Math.imul(input, P32_2)) | 0, 13), P32_1);

const SCRATCH_BYTES = 1024;
const scratch = new Uint8Array(SCRATCH_BYTES);
const scratchView = new DataView(scratch.buffer);

/** A DataView whose bytes [0, length) are those of `b`. */
function viewOf(b: Uint8Array): DataView {
  if (b.length <= SCRATCH_BYTES) {
    scratch.set(b);
    return scratchView;
  }
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** xxHash32 of `bytes` with a u32 `seed`, as an unsigned number. */
export function xxh32Ts(bytes: Uint8Array, seed: number): number {
  const len = bytes.length;
  const dv = viewOf(bytes);
  let p = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P32_1 + P32_2) | 0;
    let v2 = (seed + P32_2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P32_1) | 0;
    for (; p <= len - 16; p += 16) {
      v1 = round32(v1, dv.getInt32(p, true));
      v2 = round32(v2, dv.getInt32(p + 4, true));
      v3 = round32(v3, dv.getInt32(p + 8, true));
      v4 = round32(v4, dv.getInt32(p + 12, true));
    }
    h = (rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18)) | 0;
  } else h = (seed + P32_5) | 0;
  h = (h + len) | 0;
  for (; p + 4 <= len; p += 4) h = Math.imul(rotl32((h + Math.imul(dv.getInt32(p, true), P32_3)) | 0, 17), P32_4);
  for (; p < len; p++) h = Math.imul(rotl32((h + Math.imul(dv.getUint8(p), P32_5)) | 0, 11), P32_1);
  h ^= h >>> 15;
  h = Math.imul(h, P32_2);
  h ^= h >>> 13;
  h = Math.imul(h, P32_3);
  h ^= h >>> 16;
  return h >>> 0;
}

const P1H = 0x9e3779b1 | 0, P1L = 0x85ebca87 | 0;
const P2H = 0xc2b2ae3d | 0, P2L = 0x27d4eb4f | 0;
const P3H = 0x165667b1 | 0, P3L = 0x9e3779f9 | 0;
const P4H = 0x85ebca77 | 0, P4L = 0xc2b2ae63 | 0;
const P5H = 0x27d4eb2f | 0, P5L = 0x165667c5 | 0;

/**
 * High 32 bits of the unsigned product of two 32-bit values (given as int32 bit patterns).
 * 16-bit limbs keep every partial product exact in a double and every sum below 2^32.
 */
function mulhi(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const t = a0 * b0;
  const m1 = a1 * b0 + (t >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  return a1 * b1 + (m1 >>> 16) + (m2 >>> 16);
}

// The 64-bit helpers below leave their result here, [hi, lo], instead of allocating a pair.
// (A module-level `let` pair measured slower: every access pays a TDZ check.)
const R = new Int32Array(2);

function mul(ah: number, al: number, bh: number, bl: number): void {
  R[1] = Math.imul(al, bl);
  R[0] = mulhi(al, bl) + Math.imul(al, bh) + Math.imul(ah, bl);
}

function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al + bl) | 0;
  R[1] = lo;
  R[0] = ah + bh + ((lo >>> 0) < (bl >>> 0) ? 1 : 0);
}

/** Rotates left by `r` in 1..31. */
function rotl(h: number, l: number, r: number): void {
  R[0] = (h << r) | (l >>> (32 - r));
  R[1] = (l << r) | (h >>> (32 - r));
}

/** round(acc, input) = rotl(acc + input * P2, 31) * P1. */
function round(ah: number, al: number, ih: number, il: number): void {
  mul(ih, il, P2H, P2L);
  add(ah, al, R[0], R[1]);
  rotl(R[0], R[1], 31);
  mul(R[0], R[1], P1H, P1L);
}

// bigint <-> halves through shared memory: one BigInt allocation instead of four operations.
const SPLIT64 = new BigUint64Array(1);
const SPLIT32 = new Int32Array(SPLIT64.buffer);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN_HOST ? 1 : 0;
const LO = 1 - HI;

// The four accumulators between the stripe loop and the merge: [v1h, v1l, ..., v4h, v4l].
const V = new Int32Array(8);

/**
 * The 32-byte stripes, which is where long inputs spend their time: `round` written out in
 * locals four times, as TurboFan keeps locals in registers but not the helpers' results.
 */
function stripes(dv: DataView, end: number): void {
  let v1h = V[0], v1l = V[1], v2h = V[2], v2l = V[3], v3h = V[4], v3l = V[5], v4h = V[6], v4l = V[7];
  let il: number, ih: number, ml: number, mh: number, sl: number, sh: number, rl: number, rh: number;
  for (let p = 0; p + 32 <= end; p += 32) {
    il = dv.getInt32(p, true); ih = dv.getInt32(p + 4, true);
    ml = Math.imul(il, P2L); mh = mulhi(il, P2L) + Math.imul(il, P2H) + Math.imul(ih, P2L);
    sl = (v1l + ml) | 0; sh = (v1h + mh + ((sl >>> 0) < (ml >>> 0) ? 1 : 0)) | 0;
    rl = (sl << 31) | (sh >>> 1); rh = (sh << 31) | (sl >>> 1);
    v1l = Math.imul(rl, P1L); v1h = (mulhi(rl, P1L) + Math.imul(rl, P1H) + Math.imul(rh, P1L)) | 0;

    il = dv.getInt32(p + 8, true); ih = dv.getInt32(p + 12, true);
    ml = Math.imul(il, P2L); mh = mulhi(il, P2L) + Math.imul(il, P2H) + Math.imul(ih, P2L);
    sl = (v2l + ml) | 0; sh = (v2h + mh + ((sl >>> 0) < (ml >>> 0) ? 1 : 0)) | 0;
    rl = (sl << 31) | (sh >>> 1); rh = (sh << 31) | (sl >>> 1);
    v2l = Math.imul(rl, P1L); v2h = (mulhi(rl, P1L) + Math.imul(rl, P1H) + Math.imul(rh, P1L)) | 0;

    il = dv.getInt32(p + 16, true); ih = dv.getInt32(p + 20, true);
    ml = Math.imul(il, P2L); mh = mulhi(il, P2L) + Math.imul(il, P2H) + Math.imul(ih, P2L);
    sl = (v3l + ml) | 0; sh = (v3h + mh + ((sl >>> 0) < (ml >>> 0) ? 1 : 0)) | 0;
    rl = (sl << 31) | (sh >>> 1); rh = (sh << 31) | (sl >>> 1);
    v3l = Math.imul(rl, P1L); v3h = (mulhi(rl, P1L) + Math.imul(rl, P1H) + Math.imul(rh, P1L)) | 0;

    il = dv.getInt32(p + 24, true); ih = dv.getInt32(p + 28, true);
    ml = Math.imul(il, P2L); mh = mulhi(il, P2L) + Math.imul(il, P2H) + Math.imul(ih, P2L);
    sl = (v4l + ml) | 0; sh = (v4h + mh + ((sl >>> 0) < (ml >>> 0) ? 1 : 0)) | 0;
    rl = (sl << 31) | (sh >>> 1); rh = (sh << 31) | (sl >>> 1);
    v4l = Math.imul(rl, P1L); v4h = (mulhi(rl, P1L) + Math.imul(rl, P1H) + Math.imul(rh, P1L)) | 0;
  }
  V[0] = v1h; V[1] = v1l; V[2] = v2h; V[3] = v2l; V[4] = v3h; V[5] = v3l; V[6] = v4h; V[7] = v4l;
}

/** xxHash64 of `bytes` with a u64 `seed`, as an unsigned bigint. */
export function xxh64Ts(bytes: Uint8Array, seed: bigint): bigint {
  const len = bytes.length;
  const dv = viewOf(bytes);
  SPLIT64[0] = seed;
  const sh = SPLIT32[HI];
  const sl = SPLIT32[LO];
  let p = 0;
  let hh: number;
  let hl: number;
  if (len >= 32) {
    add(sh, sl, P1H, P1L);
    add(R[0], R[1], P2H, P2L);
    V[0] = R[0]; V[1] = R[1];
    add(sh, sl, P2H, P2L);
    V[2] = R[0]; V[3] = R[1];
    V[4] = sh; V[5] = sl;
    // seed - P1 = seed + (2^64 - P1) = seed + ~P1 + 1
    add(sh, sl, ~P1H, ~P1L);
    add(R[0], R[1], 0, 1);
    V[6] = R[0]; V[7] = R[1];
    stripes(dv, len);
    p = len - (len % 32);
    rotl(V[0], V[1], 1);
    hh = R[0]; hl = R[1];
    for (let k = 1; k < 4; k++) {
      rotl(V[2 * k], V[2 * k + 1], k === 1 ? 7 : k === 2 ? 12 : 18);
      add(hh, hl, R[0], R[1]);
      hh = R[0]; hl = R[1];
    }
    // merge: h = (h ^ round(0, v)) * P1 + P4, for each accumulator
    for (let k = 0; k < 4; k++) {
      round(0, 0, V[2 * k], V[2 * k + 1]);
      mul(hh ^ R[0], hl ^ R[1], P1H, P1L);
      add(R[0], R[1], P4H, P4L);
      hh = R[0]; hl = R[1];
    }
  } else {
    add(sh, sl, P5H, P5L);
    hh = R[0]; hl = R[1];
  }
  add(hh, hl, Math.floor(len / 4294967296), len | 0);
  hh = R[0]; hl = R[1];
  for (; p + 8 <= len; p += 8) {
    round(0, 0, dv.getInt32(p + 4, true), dv.getInt32(p, true));
    rotl(hh ^ R[0], hl ^ R[1], 27);
    mul(R[0], R[1], P1H, P1L);
    add(R[0], R[1], P4H, P4L);
    hh = R[0]; hl = R[1];
  }
  if (p + 4 <= len) {
    mul(0, dv.getInt32(p, true), P1H, P1L);
    rotl(hh ^ R[0], hl ^ R[1], 23);
    mul(R[0], R[1], P2H, P2L);
    add(R[0], R[1], P3H, P3L);
    hh = R[0]; hl = R[1];
    p += 4;
  }
  for (; p < len; p++) {
    mul(0, dv.getUint8(p), P5H, P5L);
    rotl(hh ^ R[0], hl ^ R[1], 11);
    mul(R[0], R[1], P1H, P1L);
    hh = R[0]; hl = R[1];
  }
  // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  hl ^= hh >>> 1;
  mul(hh, hl, P2H, P2L);
  hh = R[0]; hl = R[1];
  hl ^= (hl >>> 29) | (hh << 3);
  hh ^= hh >>> 29;
  mul(hh, hl, P3H, P3L);
  hh = R[0];
  hl = R[1] ^ hh;
  SPLIT32[HI] = hh;
  SPLIT32[LO] = hl;
  return SPLIT64[0];
}
