// xxHash32 and xxHash64 in plain TS. xxHash64 works on (hi, lo) 32-bit halves, multiplying by
// 16-bit limbs, because BigInt arithmetic allocates on every operation and is ~50x slower.

const P32_1 = 0x9e3779b1;
const P32_2 = 0x85ebca77;
const P32_3 = 0xc2b2ae3d;
const P32_4 = 0x27d4eb2f;
const P32_5 = 0x165667b1;

const rotl32 = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const read32 = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
const round32 = (acc: number, input: number) => Math.imul(rotl32((acc + Math.imul(input, P32_2)) | 0, 13), P32_1);

/** xxHash32 of `bytes[0, len)`. */
export function xxh32Ts(bytes: Uint8Array, seed: number): number {
  const len = bytes.length;
  let p = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P32_1 + P32_2) | 0;
    let v2 = (seed + P32_2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P32_1) | 0;
    for (; p <= len - 16; p += 16) {
      v1 = round32(v1, read32(bytes, p));
      v2 = round32(v2, read32(bytes, p + 4));
      v3 = round32(v3, read32(bytes, p + 8));
      v4 = round32(v4, read32(bytes, p + 12));
    }
    h = (rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18)) | 0;
  } else h = (seed + P32_5) | 0;
  h = (h + len) | 0;
  for (; p + 4 <= len; p += 4) h = Math.imul(rotl32((h + Math.imul(read32(bytes, p), P32_3)) | 0, 17), P32_4);
  for (; p < len; p++) h = Math.imul(rotl32((h + Math.imul(bytes[p], P32_5)) | 0, 11), P32_1);
  h ^= h >>> 15;
  h = Math.imul(h, P32_2);
  h ^= h >>> 13;
  h = Math.imul(h, P32_3);
  h ^= h >>> 16;
  return h >>> 0;
}

// 64-bit values as (hi, lo) unsigned 32-bit halves; results land in H and L to avoid allocating.
let H = 0;
let L = 0;

// Low 64 bits of a 64x64 product: lo*lo in full (its high half via 16-bit pieces, exact in
// doubles), plus the two cross products' low halves (Math.imul wraps mod 2^32).
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const t = a0 * b0;
  const m1 = a1 * b0 + Math.floor(t / 65536);
  const m2 = a0 * b1 + (m1 % 65536);
  const hiLo = a1 * b1 + Math.floor(m1 / 65536) + Math.floor(m2 / 65536);
  L = Math.imul(al, bl) >>> 0;
  H = (hiLo + Math.imul(al, bh) + Math.imul(ah, bl)) >>> 0;
}

function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  L = lo >>> 0;
  H = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

function rotl(h: number, l: number, r: number): void {
  if (r >= 32) {
    const t = h;
    h = l;
    l = t;
    r -= 32;
  }
  if (r === 0) {
    H = h >>> 0;
    L = l >>> 0;
    return;
  }
  H = ((h << r) | (l >>> (32 - r))) >>> 0;
  L = ((l << r) | (h >>> (32 - r))) >>> 0;
}

const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

// round(acc, input) = rotl(acc + input * P2, 31) * P1
function round(ah: number, al: number, ih: number, il: number): void {
  mul(ih, il, P2H, P2L);
  add(ah, al, H, L);
  rotl(H, L, 31);
  mul(H, L, P1H, P1L);
}

/** xxHash64 of `bytes`, as an unsigned bigint. */
export function xxh64Ts(bytes: Uint8Array, seed: bigint): bigint {
  const len = bytes.length;
  const sh = Number(seed >> 32n) >>> 0;
  const sl = Number(seed & 0xffffffffn) >>> 0;
  let p = 0;
  let hh: number;
  let hl: number;
  if (len >= 32) {
    add(sh, sl, P1H, P1L);
    add(H, L, P2H, P2L);
    let v1h = H, v1l = L;
    add(sh, sl, P2H, P2L);
    let v2h = H, v2l = L;
    let v3h = sh, v3l = sl;
    // seed - P1 = seed + (2^64 - P1)
    add(sh, sl, ~P1H >>> 0, ~P1L >>> 0);
    add(H, L, 0, 1);
    let v4h = H, v4l = L;
    for (; p <= len - 32; p += 32) {
      round(v1h, v1l, read32(bytes, p + 4), read32(bytes, p));
      v1h = H; v1l = L;
      round(v2h, v2l, read32(bytes, p + 12), read32(bytes, p + 8));
      v2h = H; v2l = L;
      round(v3h, v3l, read32(bytes, p + 20), read32(bytes, p + 16));
      v3h = H; v3l = L;
      round(v4h, v4l, read32(bytes, p + 28), read32(bytes, p + 24));
      v4h = H; v4l = L;
    }
    rotl(v1h, v1l, 1);
    let th = H, tl = L;
    rotl(v2h, v2l, 7);
    add(th, tl, H, L);
    th = H; tl = L;
    rotl(v3h, v3l, 12);
    add(th, tl, H, L);
    th = H; tl = L;
    rotl(v4h, v4l, 18);
    add(th, tl, H, L);
    hh = H; hl = L;
    for (const [vh, vl] of [[v1h, v1l], [v2h, v2l], [v3h, v3l], [v4h, v4l]]) {
      round(0, 0, vh, vl);
      hh = (hh ^ H) >>> 0;
      hl = (hl ^ L) >>> 0;
      mul(hh, hl, P1H, P1L);
      add(H, L, P4H, P4L);
      hh = H; hl = L;
    }
  } else {
    add(sh, sl, P5H, P5L);
    hh = H; hl = L;
  }
  add(hh, hl, Math.floor(len / 4294967296), len >>> 0);
  hh = H; hl = L;
  for (; p + 8 <= len; p += 8) {
    round(0, 0, read32(bytes, p + 4), read32(bytes, p));
    rotl((hh ^ H) >>> 0, (hl ^ L) >>> 0, 27);
    mul(H, L, P1H, P1L);
    add(H, L, P4H, P4L);
    hh = H; hl = L;
  }
  if (p + 4 <= len) {
    mul(0, read32(bytes, p), P1H, P1L);
    rotl((hh ^ H) >>> 0, (hl ^ L) >>> 0, 23);
    mul(H, L, P2H, P2L);
    add(H, L, P3H, P3L);
    hh = H; hl = L;
    p += 4;
  }
  for (; p < len; p++) {
    mul(0, bytes[p], P5H, P5L);
    rotl((hh ^ H) >>> 0, (hl ^ L) >>> 0, 11);
    mul(H, L, P1H, P1L);
    hh = H; hl = L;
  }
  // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  hl = (hl ^ (hh >>> 1)) >>> 0;
  mul(hh, hl, P2H, P2L);
  hh = H;
  hl = L;
  const lo29 = ((hl >>> 29) | (hh << 3)) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  hl = (hl ^ lo29) >>> 0;
  mul(hh, hl, P3H, P3L);
  hh = H;
  hl = (L ^ H) >>> 0;
  return (BigInt(hh) << 32n) | BigInt(hl);
}
