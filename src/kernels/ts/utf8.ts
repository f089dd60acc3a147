// Hand-written UTF-8, the TS twin of assembly/codec/utf8.ts (WHATWG semantics). TextEncoder and
// TextDecoder are native code, so they are benchmarked as peers, not used as the twin.

/** Encodes `str` into `out` at `offset`; returns bytes written or -1 when out of room. */
export function utf8EncodeTs(str: string, out: Uint8Array, offset: number): number {
  const len = str.length;
  // With 3 bytes of room per code unit nothing can overflow (a pair is 4 bytes for 2 units),
  // so the common case (callers reserve `3 * length`) skips every per-character check.
  if (out.length - offset < len * 3) return encodeChecked(str, out, offset);
  let o = offset;
  for (let i = 0; i < len; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
      continue;
    }
    if ((c & 0xf800) === 0xd800) {
      const d = i + 1 < len ? str.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 0x3f);
        out[o++] = 0x80 | ((c >> 6) & 0x3f);
        out[o++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 0x3f);
    out[o++] = 0x80 | (c & 0x3f);
  }
  return o - offset;
}

function encodeChecked(str: string, out: Uint8Array, offset: number): number {
  const len = str.length;
  const cap = out.length;
  let o = offset;
  for (let i = 0; i < len; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      if (o >= cap) return -1;
      out[o++] = c;
      continue;
    }
    if (c < 0x800) {
      if (o + 2 > cap) return -1;
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
      continue;
    }
    if ((c & 0xf800) === 0xd800) {
      const d = i + 1 < len ? str.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (d & 0xfc00) === 0xdc00) {
        if (o + 4 > cap) return -1;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 0x3f);
        out[o++] = 0x80 | ((c >> 6) & 0x3f);
        out[o++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    if (o + 3 > cap) return -1;
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 0x3f);
    out[o++] = 0x80 | (c & 0x3f);
  }
  return o - offset;
}

// Code units collect in a reused plain array: `String.fromCharCode.apply` takes a plain array
// ~3x faster than a Uint16Array (measured), and chunks keep the argument list within limits.
const CHUNK = 4096;
const units: number[] = [];
const fromCharCode = String.fromCharCode;

// Up to this many code units, passing them as arguments beats `apply` (measured).
const SHORT_STRING = 32;

/**
 * Decodes `bytes[start, end)`. Each maximal invalid subpart becomes one U+FFFD; a BOM is kept
 * (as TextDecoder with `ignoreBOM: true`).
 */
export function utf8DecodeTs(bytes: Uint8Array, start: number, end: number): string {
  const u = units;
  let s = '';
  let o = 0;
  let i = start;
  while (i < end) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      u[o++] = b0;
      i++;
    } else {
      // `^ 0x80` maps a continuation byte to 0..0x3f and any other byte above it. A failed
      // test consumes only the bytes before it: that is the "maximal subpart" rule.
      let cp = 0xfffd;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        const c1 = i + 1 < end ? bytes[i + 1] ^ 0x80 : 0xff;
        if (c1 <= 0x3f) {
          cp = ((b0 & 0x1f) << 6) | c1;
          i += 2;
        } else i += 1;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        // E0 needs A0..BF next (no overlongs), ED needs 80..9F (no surrogates).
        const c1 = i + 1 < end ? bytes[i + 1] ^ 0x80 : 0xff;
        if (c1 >= (b0 === 0xe0 ? 0x20 : 0) && c1 <= (b0 === 0xed ? 0x1f : 0x3f)) {
          const c2 = i + 2 < end ? bytes[i + 2] ^ 0x80 : 0xff;
          if (c2 <= 0x3f) {
            cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
            i += 3;
          } else i += 2;
        } else i += 1;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        // F0 needs 90..BF next (no overlongs), F4 needs 80..8F (nothing above U+10FFFF).
        const c1 = i + 1 < end ? bytes[i + 1] ^ 0x80 : 0xff;
        if (c1 >= (b0 === 0xf0 ? 0x10 : 0) && c1 <= (b0 === 0xf4 ? 0x0f : 0x3f)) {
          const c2 = i + 2 < end ? bytes[i + 2] ^ 0x80 : 0xff;
          if (c2 <= 0x3f) {
            const c3 = i + 3 < end ? bytes[i + 3] ^ 0x80 : 0xff;
            if (c3 <= 0x3f) {
              cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
              i += 4;
            } else i += 3;
          } else i += 2;
        } else i += 1;
      } else i += 1;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        u[o++] = 0xd800 | (cp >> 10);
        u[o++] = 0xdc00 | (cp & 0x3ff);
      } else u[o++] = cp;
    }
    if (o >= CHUNK) {
      u.length = o;
      s += fromCharCode.apply(null, u);
      o = 0;
    }
  }
  if (o <= SHORT_STRING) return s + shortString(u, o);
  u.length = o;
  return s + fromCharCode.apply(null, u);
}

/**
 * Builds a string from `count` code units at `units[base]`, passing them to fromCharCode as
 * arguments eight at a time: for short strings (a few dozen units) that beats both `apply`,
 * which first converts its array, and TextDecoder's fixed cost per call.
 */
export function unitsToString(units: Uint16Array, base: number, count: number): string {
  let s = '';
  let i = base;
  const end = base + count;
  for (; i + 8 <= end; i += 8) {
    s += fromCharCode(units[i], units[i + 1], units[i + 2], units[i + 3], units[i + 4], units[i + 5], units[i + 6], units[i + 7]);
  }
  for (; i < end; i++) s += fromCharCode(units[i]);
  return s;
}

// unitsToString over the plain array (a separate function keeps both call sites monomorphic).
function shortString(u: number[], count: number): string {
  let s = '';
  let i = 0;
  for (; i + 8 <= count; i += 8) s += fromCharCode(u[i], u[i + 1], u[i + 2], u[i + 3], u[i + 4], u[i + 5], u[i + 6], u[i + 7]);
  for (; i < count; i++) s += fromCharCode(u[i]);
  return s;
}
