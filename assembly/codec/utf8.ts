import { E_CAPACITY } from '../abi';

// UTF-8 as the WHATWG Encoding Standard defines it, so results equal TextEncoder/TextDecoder:
// lone surrogates encode as U+FFFD, and each maximal invalid subpart decodes as one U+FFFD.
// ASCII runs, the common case for ids and keys, go 16 code units or bytes per step (SIMD):
// each step converts 16 and keeps the ASCII prefix, so on mixed text one check covers a whole
// run. The SIMD check is only tried at an ASCII character: on Cyrillic or CJK text it would fail
// at every character (measured: 30% slower than the scalar path alone).
//
// Both kernels may write scratch past their result, but never past the room the ABI grants
// (`cap` bytes; `len` units): the adapter copies out only the result.

const REPLACEMENT: u32 = 0xfffd;

// Encoding one unit writes at most 3 bytes (a surrogate pair: 4 bytes for 2 units), so with
// 3 bytes of room per unit no store can overflow and the per-character checks disappear;
// `checked` is a compile-time constant after inlining.
@inline
function encode(src: usize, len: i32, out: usize, cap: i32, checked: bool): i32 {
  let s = src;
  const end = src + ((<usize>len) << 1);
  let o = out;
  const limit = out + <usize>cap;
  const high = i16x8.splat(<i16>0xff80);
  const zero = i16x8.splat(0);
  while (s < end) {
    let c = <u32>load<u16>(s);
    if (c < 0x80) {
      if (s + 32 <= end && (!checked || o + 16 <= limit)) {
        // Room: at least 16 units remain, and with them 16 bytes of room (checked: tested).
        const a = v128.load(s);
        const b = v128.load(s, 16);
        v128.store(o, i8x16.narrow_i16x8_u(a, b));
        const wide = i8x16.narrow_i16x8_s(i16x8.ne(v128.and(a, high), zero), i16x8.ne(v128.and(b, high), zero));
        const k = ctz<u32>(i8x16.bitmask(wide) | 0x10000);
        s += (<usize>k) << 1;
        o += <usize>k;
        continue;
      }
      if (checked && o + 1 > limit) return E_CAPACITY;
      store<u8>(o, <u8>c);
      s += 2;
      o += 1;
      continue;
    }
    s += 2;
    if ((c & 0xf800) == 0xd800) {
      // A high surrogate followed by a low one is a pair; anything else is lone (U+FFFD).
      const d = s < end ? <u32>load<u16>(s) : 0;
      if (c <= 0xdbff && (d & 0xfc00) == 0xdc00) {
        if (checked && o + 4 > limit) return E_CAPACITY;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        s += 2;
        store<u32>(o, (0xf0 | (c >> 18)) | ((0x80 | ((c >> 12) & 0x3f)) << 8) | ((0x80 | ((c >> 6) & 0x3f)) << 16) | ((0x80 | (c & 0x3f)) << 24));
        o += 4;
        continue;
      }
      c = REPLACEMENT;
    }
    if (c < 0x800) {
      if (checked && o + 2 > limit) return E_CAPACITY;
      store<u8>(o, <u8>(0xc0 | (c >> 6)));
      store<u8>(o, <u8>(0x80 | (c & 0x3f)), 1);
      o += 2;
    } else {
      if (checked && o + 3 > limit) return E_CAPACITY;
      store<u8>(o, <u8>(0xe0 | (c >> 12)));
      store<u8>(o, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
      store<u8>(o, <u8>(0x80 | (c & 0x3f)), 2);
      o += 3;
    }
  }
  return <i32>(o - out);
}

/**
 * Encodes `len` UTF-16 code units at `src` into at most `cap` bytes at `out`.
 * Returns bytes written, or E_CAPACITY when `cap` is too small (`3 * len` always suffices).
 */
export function utf8Encode(src: usize, len: i32, out: usize, cap: i32): i32 {
  if (<i64>cap >= <i64>len * 3) return encode(src, len, out, cap, false);
  return encode(src, len, out, cap, true);
}

@inline
function cont(p: usize, off: usize): u32 {
  return <u32>load<u8>(p + off) - 0x80;
}

/**
 * Decodes `len` bytes at `src` into UTF-16 code units at `out` (room for `len` units always
 * suffices). Returns the number of code units written. A leading BOM (EF BB BF) is kept as
 * U+FEFF, as TextDecoder does with `ignoreBOM: true`: the caller decides what a BOM means.
 */
export function utf8Decode(src: usize, len: i32, out: usize): i32 {
  let p = src;
  const end = src + <usize>len;
  let o = out;
  while (p < end) {
    const b0 = <u32>load<u8>(p);
    if (b0 < 0x80) {
      if (p + 16 <= end) {
        // Room: every unit written so far took at least one byte, and 16 bytes remain.
        const v = v128.load(p);
        v128.store(o, i16x8.extend_low_i8x16_u(v));
        v128.store(o, i16x8.extend_high_i8x16_u(v), 16);
        const k = ctz<u32>(i8x16.bitmask(v) | 0x10000);
        p += <usize>k;
        o += (<usize>k) << 1;
        continue;
      }
      store<u16>(o, <u16>b0);
      p += 1;
      o += 2;
      continue;
    }
    // Exactly the WHATWG decoder, invalid input included: a failed test consumes only the
    // bytes before it (the "maximal subpart" rule) and yields U+FFFD. `cont` maps a
    // continuation byte to 0..0x3f and any other byte above, so each range test is one compare.
    let cp: u32 = REPLACEMENT;
    if (b0 - 0xc2 <= 0xdf - 0xc2) {
      const c1 = p + 1 < end ? cont(p, 1) : 0xff;
      if (c1 <= 0x3f) {
        cp = ((b0 & 0x1f) << 6) | c1;
        p += 2;
      } else p += 1;
    } else if (b0 - 0xe0 <= 0xef - 0xe0) {
      // E0 needs A0..BF next (no overlongs), ED needs 80..9F (no surrogates).
      const lo: u32 = b0 == 0xe0 ? 0x20 : 0;
      const hi: u32 = b0 == 0xed ? 0x1f : 0x3f;
      const c1 = p + 1 < end ? cont(p, 1) : 0xff;
      if (c1 - lo <= hi - lo) {
        const c2 = p + 2 < end ? cont(p, 2) : 0xff;
        if (c2 <= 0x3f) {
          cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
          p += 3;
        } else p += 2;
      } else p += 1;
    } else if (b0 - 0xf0 <= 0xf4 - 0xf0) {
      // F0 needs 90..BF next (no overlongs), F4 needs 80..8F (nothing above U+10FFFF).
      const lo: u32 = b0 == 0xf0 ? 0x10 : 0;
      const hi: u32 = b0 == 0xf4 ? 0x0f : 0x3f;
      const c1 = p + 1 < end ? cont(p, 1) : 0xff;
      if (c1 - lo <= hi - lo) {
        const c2 = p + 2 < end ? cont(p, 2) : 0xff;
        if (c2 <= 0x3f) {
          const c3 = p + 3 < end ? cont(p, 3) : 0xff;
          if (c3 <= 0x3f) {
            cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
            p += 4;
          } else p += 3;
        } else p += 2;
      } else p += 1;
    } else p += 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      store<u16>(o, <u16>(0xd800 | (cp >> 10)));
      store<u16>(o, <u16>(0xdc00 | (cp & 0x3ff)), 2);
      o += 4;
    } else {
      store<u16>(o, <u16>cp);
      o += 2;
    }
  }
  return <i32>((o - out) >> 1);
}
