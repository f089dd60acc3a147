import { E_CAPACITY } from '../abi';

// UTF-8 as the WHATWG Encoding Standard defines it, so results equal TextEncoder/TextDecoder:
// lone surrogates encode as U+FFFD, and each maximal invalid subpart decodes as one U+FFFD.
// ASCII runs, the common case for ids and keys, go 8 (encode) or 16 (decode) at a time.

const REPLACEMENT: u32 = 0xfffd;

/**
 * Encodes `len` UTF-16 code units at `src` into at most `cap` bytes at `out`.
 * Returns bytes written, or E_CAPACITY when `cap` is too small.
 */
export function utf8Encode(src: usize, len: i32, out: usize, cap: i32): i32 {
  let i = 0;
  let o = 0;
  const high = i16x8.splat(<i16>0xff80);
  while (i < len) {
    if (i + 8 <= len && o + 8 <= cap) {
      const v = v128.load(src + ((<usize>i) << 1));
      if (!v128.any_true(v128.and(v, high))) {
        v128.store64_lane(out + <usize>o, i8x16.narrow_i16x8_u(v, v), 0);
        i += 8;
        o += 8;
        continue;
      }
    }
    let c = <u32>load<u16>(src + ((<usize>i) << 1));
    i++;
    if (c < 0x80) {
      if (o + 1 > cap) return E_CAPACITY;
      store<u8>(out + <usize>o, <u8>c);
      o += 1;
      continue;
    }
    if (c < 0x800) {
      if (o + 2 > cap) return E_CAPACITY;
      store<u8>(out + <usize>o, <u8>(0xc0 | (c >> 6)));
      store<u8>(out + <usize>o + 1, <u8>(0x80 | (c & 0x3f)));
      o += 2;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      let paired = false;
      if (c <= 0xdbff && i < len) {
        const d = <u32>load<u16>(src + ((<usize>i) << 1));
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          paired = true;
        }
      }
      if (paired) {
        if (o + 4 > cap) return E_CAPACITY;
        store<u8>(out + <usize>o, <u8>(0xf0 | (c >> 18)));
        store<u8>(out + <usize>o + 1, <u8>(0x80 | ((c >> 12) & 0x3f)));
        store<u8>(out + <usize>o + 2, <u8>(0x80 | ((c >> 6) & 0x3f)));
        store<u8>(out + <usize>o + 3, <u8>(0x80 | (c & 0x3f)));
        o += 4;
        continue;
      }
      c = REPLACEMENT;
    }
    if (o + 3 > cap) return E_CAPACITY;
    store<u8>(out + <usize>o, <u8>(0xe0 | (c >> 12)));
    store<u8>(out + <usize>o + 1, <u8>(0x80 | ((c >> 6) & 0x3f)));
    store<u8>(out + <usize>o + 2, <u8>(0x80 | (c & 0x3f)));
    o += 3;
  }
  return o;
}

@inline
function byteAt(src: usize, i: i32): u32 {
  return <u32>load<u8>(src + <usize>i);
}

@inline
function inRange(b: u32, lo: u32, hi: u32): bool {
  return b - lo <= hi - lo;
}

/**
 * Decodes `len` bytes at `src` into UTF-16 code units at `out` (room for `len` units always
 * suffices). Returns the number of code units written. A BOM is kept, as TextDecoder does with
 * `ignoreBOM: true`.
 */
export function utf8Decode(src: usize, len: i32, out: usize): i32 {
  let i = 0;
  let o = 0;
  while (i < len) {
    if (i + 16 <= len) {
      const v = v128.load(src + <usize>i);
      if (i8x16.bitmask(v) == 0) {
        const dst = out + ((<usize>o) << 1);
        v128.store(dst, i16x8.extend_low_i8x16_u(v));
        v128.store(dst, i16x8.extend_high_i8x16_u(v), 16);
        i += 16;
        o += 16;
        continue;
      }
    }
    const b0 = byteAt(src, i);
    let cp: u32 = REPLACEMENT;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (inRange(b0, 0xc2, 0xdf)) {
      if (i + 1 < len && inRange(byteAt(src, i + 1), 0x80, 0xbf)) {
        cp = ((b0 & 0x1f) << 6) | (byteAt(src, i + 1) & 0x3f);
        i += 2;
      } else i += 1;
    } else if (inRange(b0, 0xe0, 0xef)) {
      const lo: u32 = b0 == 0xe0 ? 0xa0 : 0x80;
      const hi: u32 = b0 == 0xed ? 0x9f : 0xbf;
      if (i + 1 < len && inRange(byteAt(src, i + 1), lo, hi)) {
        if (i + 2 < len && inRange(byteAt(src, i + 2), 0x80, 0xbf)) {
          cp = ((b0 & 0x0f) << 12) | ((byteAt(src, i + 1) & 0x3f) << 6) | (byteAt(src, i + 2) & 0x3f);
          i += 3;
        } else i += 2;
      } else i += 1;
    } else if (inRange(b0, 0xf0, 0xf4)) {
      const lo: u32 = b0 == 0xf0 ? 0x90 : 0x80;
      const hi: u32 = b0 == 0xf4 ? 0x8f : 0xbf;
      if (i + 1 < len && inRange(byteAt(src, i + 1), lo, hi)) {
        if (i + 2 < len && inRange(byteAt(src, i + 2), 0x80, 0xbf)) {
          if (i + 3 < len && inRange(byteAt(src, i + 3), 0x80, 0xbf)) {
            cp = ((b0 & 0x07) << 18) | ((byteAt(src, i + 1) & 0x3f) << 12) | ((byteAt(src, i + 2) & 0x3f) << 6) | (byteAt(src, i + 3) & 0x3f);
            i += 4;
          } else i += 3;
        } else i += 2;
      } else i += 1;
    } else i += 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      store<u16>(out + ((<usize>o) << 1), <u16>(0xd800 | (cp >> 10)));
      store<u16>(out + ((<usize>o) << 1) + 2, <u16>(0xdc00 | (cp & 0x3ff)));
      o += 2;
    } else {
      store<u16>(out + ((<usize>o) << 1), <u16>cp);
      o += 1;
    }
  }
  return o;
}
