// The pure-TS twin of assembly/codec: the same results, bit for bit, from plain TS.
import {
  checkBoolean, checkBytes, checkFloats, checkInput, checkOffset, checkRange, checkRoom, checkSeed32, checkSeed64,
  checkString, checkU32, varintError, varintRoomError,
} from '../codec-check.js';
import type { CodecKernels } from '../types.js';
import { utf8DecodeTs, utf8EncodeTs } from './utf8.js';
import { xxh32Ts, xxh64Ts } from './xxhash.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Byte order is swapped on the floats' bits as integers: a float32 → double → float32 round
// trip (DataView.setFloat32, Float32Array reads) quiets signalling NaNs, which must survive.
// Copies between Float32Arrays (`set`) move bits, so they are safe.
//
// Long arrays swap with two native reverses: reversing all bytes swaps each word's bytes and
// reverses the word order, and reversing the words then restores the order (measured ~2x faster
// than a per-word loop from 384 floats on). Short ones go through a scratch buffer with a view
// per length, made once: creating a typed-array view costs as much as moving ~100 bytes.
const SHORT = 32;
const shortBuffer = new ArrayBuffer(SHORT * 4);
const shortF32 = new Float32Array(shortBuffer);
const shortI32 = new Int32Array(shortBuffer);
const shortU8 = new Uint8Array(shortBuffer);
const shortBytes = Array.from({ length: SHORT }, (_, n) => new Uint8Array(shortBuffer, 0, n * 4));
const shortFloats = Array.from({ length: SHORT }, (_, n) => new Float32Array(shortBuffer, 0, n));

function swapWords(bytes: Uint8Array, at: number, n: number): void {
  bytes.subarray(at, at + n * 4).reverse();
  new Int32Array(bytes.buffer, bytes.byteOffset + at, n).reverse();
}

let scratch = new Uint8Array(1024);

function packFloats(src: Float32Array, out: Uint8Array, offset: number, swap: boolean): void {
  const n = src.length;
  if (n < SHORT) {
    shortF32.set(src);
    if (swap) {
      for (let i = 0; i < n; i++) {
        const v = shortI32[i];
        shortI32[i] = (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
      }
    }
    out.set(shortBytes[n], offset);
    return;
  }
  const srcBytes = new Uint8Array(src.buffer, src.byteOffset, n * 4);
  if (!swap) {
    out.set(srcBytes, offset);
  } else if (((out.byteOffset + offset) & 3) === 0) {
    out.set(srcBytes, offset);
    swapWords(out, offset, n);
  } else {
    // An unaligned destination has no Int32Array view: swap in an aligned scratch, then copy.
    if (scratch.length < n * 4) scratch = new Uint8Array(Math.max(n * 4, scratch.length * 2));
    scratch.set(srcBytes);
    swapWords(scratch, 0, n);
    out.set(scratch.subarray(0, n * 4), offset);
  }
}

function unpackFloats(bytes: Uint8Array, offset: number, out: Float32Array, swap: boolean): void {
  const n = out.length;
  if (n < SHORT) {
    const u = shortU8;
    if (swap) {
      for (let i = 0, p = offset; i < n * 4; i += 4, p += 4) {
        u[i] = bytes[p + 3];
        u[i + 1] = bytes[p + 2];
        u[i + 2] = bytes[p + 1];
        u[i + 3] = bytes[p];
      }
    } else for (let i = 0; i < n * 4; i++) u[i] = bytes[offset + i];
    out.set(shortFloats[n]);
    return;
  }
  // `out` is always 4-byte aligned, so the swap happens in place there.
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, n * 4);
  outBytes.set(bytes.subarray(offset, offset + n * 4));
  if (swap) swapWords(outBytes, 0, n);
}

/** Decodes varints into `out`; returns the offset after the last, or -1 when one is invalid. */
function decodeVarintsTs(bytes: Uint8Array, offset: number, end: number, out: Uint32Array): number {
  let i = offset;
  const n = out.length;
  for (let k = 0; k < n; k++) {
    if (i + 5 <= end) {
      // Unrolled, with no end checks: five bytes are there.
      let b = bytes[i++];
      let v = b & 0x7f;
      if (b >= 0x80) {
        b = bytes[i++];
        v |= (b & 0x7f) << 7;
        if (b >= 0x80) {
          b = bytes[i++];
          v |= (b & 0x7f) << 14;
          if (b >= 0x80) {
            b = bytes[i++];
            v |= (b & 0x7f) << 21;
            if (b >= 0x80) {
              b = bytes[i++];
              if (b > 0x0f) return -1;
              v |= b << 28;
            }
          }
        }
      }
      out[k] = v;
      continue;
    }
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (i >= end) return -1;
      const b = bytes[i++];
      if (shift === 28) {
        if (b > 0x0f) return -1;
        v |= b << 28;
        break;
      }
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    out[k] = v;
  }
  return i;
}

function encodeVarintsTs(values: Uint32Array, out: Uint8Array, offset: number): number {
  let o = offset;
  const n = values.length;
  let k = 0;
  if (out.length - offset >= n * 5) {
    // Room for 5 bytes per value: write all five and advance by the length, so the length does
    // not steer a branch (random lengths mispredict; measured 1.5x faster). Up to 4 bytes past
    // a value are junk until the next values overwrite them, so the last 4 go byte by byte.
    for (; k < n - 4; k++) {
      const v = values[k];
      const len = ((32 - Math.clz32(v | 1)) * 9 + 62) >> 6; // ceil(bits / 7)
      out[o] = v | 0x80; // Uint8Array stores keep the low 8 bits
      out[o + 1] = (v >>> 7) | 0x80;
      out[o + 2] = (v >>> 14) | 0x80;
      out[o + 3] = (v >>> 21) | 0x80;
      out[o + 4] = v >>> 28;
      out[o + len - 1] &= 0x7f;
      o += len;
    }
  }
  for (; k < n; k++) {
    let v = values[k];
    const need = v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
    if (o + need > out.length) return -1;
    while (v >= 0x80) {
      out[o++] = v | 0x80;
      v >>>= 7;
    }
    out[o++] = v;
  }
  return o - offset;
}

/** Creates the pure-TS codec kernels. */
export function createTsCodecKernels(): CodecKernels {
  return {
    utf8Encode(str, out, offset) {
      checkString('str', str);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      return utf8EncodeTs(str, out, offset);
    },
    utf8Decode(bytes, start, end) {
      checkRange(bytes, start, end);
      return utf8DecodeTs(bytes, start, end);
    },
    packFloat32(src, out, offset, bigEndian) {
      checkFloats('src', src);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      checkBoolean('bigEndian', bigEndian);
      const n = src.length * 4;
      checkRoom(out, offset, n);
      packFloats(src, out, offset, bigEndian === LITTLE_ENDIAN_HOST);
      return n;
    },
    unpackFloat32(bytes, offset, bigEndian, out) {
      checkBytes('bytes', bytes);
      checkOffset('offset', offset, bytes);
      checkBoolean('bigEndian', bigEndian);
      checkFloats('out', out);
      const n = out.length * 4;
      checkInput(bytes, offset, n, 'float32 data');
      unpackFloats(bytes, offset, out, bigEndian === LITTLE_ENDIAN_HOST);
    },
    encodeVarints(values, out, offset) {
      checkU32('values', values);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const n = encodeVarintsTs(values, out, offset);
      if (n < 0) throw varintRoomError(values, out, offset);
      return n;
    },
    decodeVarints(bytes, offset, end, out) {
      checkRange(bytes, offset, end, 'offset');
      checkU32('out', out);
      const next = decodeVarintsTs(bytes, offset, end, out);
      if (next < 0) throw varintError(bytes, offset, end, out.length);
      return next;
    },
    xxh32(bytes, seed = 0) {
      checkBytes('bytes', bytes);
      return xxh32Ts(bytes, checkSeed32(seed));
    },
    xxh64(bytes, seed = 0n) {
      checkBytes('bytes', bytes);
      return xxh64Ts(bytes, checkSeed64(seed));
    },
  };
}
