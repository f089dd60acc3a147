// Hand-written UTF-8, the TS twin of assembly/codec/utf8.ts (WHATWG semantics). TextEncoder and
// TextDecoder are native code, so they are benchmarked as peers, not used as the twin.

/** Encodes `str` into `out` at `offset`; returns bytes written or -1 when out of room. */
export function utf8EncodeTs(str: string, out: Uint8Array, offset: number): number {
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
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && i + 1 < len ? str.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        if (o + 4 > cap) return -1;
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

const inRange = (b: number, lo: number, hi: number) => b >= lo && b <= hi;

/** Decodes UTF-16 code units from `bytes[start, end)` into `units`; returns the count. */
export function utf8DecodeUnits(bytes: Uint8Array, start: number, end: number, units: Uint16Array): number {
  let i = start;
  let o = 0;
  while (i < end) {
    const b0 = bytes[i];
    let cp = 0xfffd;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (inRange(b0, 0xc2, 0xdf)) {
      if (i + 1 < end && inRange(bytes[i + 1], 0x80, 0xbf)) {
        cp = ((b0 & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
        i += 2;
      } else i += 1;
    } else if (inRange(b0, 0xe0, 0xef)) {
      const lo = b0 === 0xe0 ? 0xa0 : 0x80;
      const hi = b0 === 0xed ? 0x9f : 0xbf;
      if (i + 1 < end && inRange(bytes[i + 1], lo, hi)) {
        if (i + 2 < end && inRange(bytes[i + 2], 0x80, 0xbf)) {
          cp = ((b0 & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
          i += 3;
        } else i += 2;
      } else i += 1;
    } else if (inRange(b0, 0xf0, 0xf4)) {
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      if (i + 1 < end && inRange(bytes[i + 1], lo, hi)) {
        if (i + 2 < end && inRange(bytes[i + 2], 0x80, 0xbf)) {
          if (i + 3 < end && inRange(bytes[i + 3], 0x80, 0xbf)) {
            cp = ((b0 & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
            i += 4;
          } else i += 3;
        } else i += 2;
      } else i += 1;
    } else i += 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units[o++] = 0xd800 | (cp >> 10);
      units[o++] = 0xdc00 | (cp & 0x3ff);
    } else units[o++] = cp;
  }
  return o;
}

/** Turns code units into a string in chunks (argument lists have engine limits). */
export function unitsToString(units: Uint16Array, count: number): string {
  if (count <= 4096) return String.fromCharCode.apply(null, units.subarray(0, count) as unknown as number[]);
  let s = '';
  for (let i = 0; i < count; i += 4096) {
    s += String.fromCharCode.apply(null, units.subarray(i, Math.min(count, i + 4096)) as unknown as number[]);
  }
  return s;
}
