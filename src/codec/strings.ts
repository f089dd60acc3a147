// Inline UTF-8 for the short strings (ids, keys, enum-like values) that make up most of a
// message: below ~32 characters a loop beats any call into native code or WebAssembly, whose
// fixed cost per call (~150-200 ns measured for TextEncoder/TextDecoder) exceeds the whole loop.
// Both directions follow the WHATWG Encoding Standard, like the kernels: a lone surrogate
// encodes as U+FFFD; anything but ASCII decodes through the caller's full decoder.

const fromCharCode = String.fromCharCode;

/**
 * Writes `str` as UTF-8 at `pos` (room for `3 * str.length` bytes is the caller's job) and
 * returns the number of bytes written.
 */
export function writeUtf8(str: string, bytes: Uint8Array, pos: number): number {
  const len = str.length;
  let o = pos;
  for (let i = 0; i < len; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      bytes[o++] = c;
    } else if (c < 0x800) {
      bytes[o++] = 0xc0 | (c >> 6);
      bytes[o++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = c <= 0xdbff && i + 1 < len ? str.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          bytes[o++] = 0xf0 | (c >> 18);
          bytes[o++] = 0x80 | ((c >> 12) & 0x3f);
          bytes[o++] = 0x80 | ((c >> 6) & 0x3f);
          bytes[o++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      bytes[o++] = 0xe0 | (c >> 12);
      bytes[o++] = 0x80 | ((c >> 6) & 0x3f);
      bytes[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o - pos;
}

/** Whether `bytes[start, end)` is all ASCII. */
export function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] > 0x7f) return false;
  return true;
}

// Explicit arguments: measured 2-4x faster than `fromCharCode.apply` over a subarray or an
// array, which pay for the argument spread.
function chunk(b: Uint8Array, p: number, n: number): string {
  switch (n) {
    case 0: return '';
    case 1: return fromCharCode(b[p]);
    case 2: return fromCharCode(b[p], b[p + 1]);
    case 3: return fromCharCode(b[p], b[p + 1], b[p + 2]);
    case 4: return fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
    case 5: return fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4]);
    case 6: return fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5]);
    case 7: return fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6]);
    default: return fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
  }
}

/** The string of `n` ASCII bytes at `p` (the caller has checked {@link isAscii}). */
export function asciiString(bytes: Uint8Array, p: number, n: number): string {
  if (n <= 8) return chunk(bytes, p, n);
  let s = chunk(bytes, p, 8);
  for (let i = 8; i < n; i += 8) s += chunk(bytes, p + i, n - i < 8 ? n - i : 8);
  return s;
}

const KEY_CACHE_SIZE = 4096;
/** Keys longer than this are not cached: long keys are rare and their comparison costs more. */
export const MAX_CACHED_KEY = 24;

/**
 * A direct-mapped cache of short ASCII map keys. Messages repeat the same keys across objects,
 * and returning the very same string both skips building it and lets V8 reuse the internalized
 * property name when the key is stored into an object.
 */
export class KeyCache {
  // '' never matches: zero-length keys are answered before the lookup.
  private readonly slots: string[] = new Array<string>(KEY_CACHE_SIZE).fill('');

  /**
   * The key of the `n` bytes at `p` (1 ≤ n ≤ {@link MAX_CACHED_KEY}, in bounds), from the cache
   * or else built and cached; `undefined` when they are not all ASCII.
   */
  get(bytes: Uint8Array, p: number, n: number): string | undefined {
    const slot = ((n << 7) ^ (bytes[p] << 4) ^ (bytes[p + (n >> 1)] << 2) ^ bytes[p + n - 1]) & (KEY_CACHE_SIZE - 1);
    const cached = this.slots[slot];
    if (cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === bytes[p + i]) i++;
      if (i === n) return cached;
    }
    if (!isAscii(bytes, p, p + n)) return undefined;
    const key = asciiString(bytes, p, n);
    this.slots[slot] = key;
    return key;
  }
}
