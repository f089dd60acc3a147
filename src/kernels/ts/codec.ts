// The pure-TS twin of assembly/codec.
import { DecodeInvalidError } from '../../errors.js';
import { checkInteger } from '../../internal/validate.js';
import { checkBytes, checkFloats, checkOffset, checkRange, checkRoom, checkSeed32, checkSeed64, checkU32, varintRoomError } from '../codec-check.js';
import type { CodecKernels } from '../types.js';
import { unitsToString, utf8DecodeUnits, utf8EncodeTs } from './utf8.js';
import { xxh32Ts, xxh64Ts } from './xxhash.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes LEB128 varints; returns the offset after the last, or throws naming where it failed.
 * Shared with the WASM adapter, which calls it only to explain a failure.
 */
export function decodeVarintsTs(bytes: Uint8Array, offset: number, end: number, out: Uint32Array): number {
  let i = offset;
  for (let k = 0; k < out.length; k++) {
    const start = i;
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= end) throw new DecodeInvalidError(start, `truncated varint (value ${k} of ${out.length})`);
      const b = bytes[i++];
      if (shift === 28) {
        if (b > 0x0f) throw new DecodeInvalidError(start, `varint ${k} does not fit in 32 bits`);
        v = (v | (b << 28)) >>> 0;
        break;
      }
      v |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    out[k] = v;
  }
  return i;
}

/** Creates the pure-TS codec kernels. */
export function createTsCodecKernels(): CodecKernels {
  let units = new Uint16Array(256);
  return {
    utf8Encode(str, out, offset) {
      if (typeof str !== 'string') throw new TypeError(`Expected \`str\` to be a string, got ${typeof str}`);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      return utf8EncodeTs(str, out, offset);
    },
    utf8Decode(bytes, start, end) {
      checkRange(bytes, start, end);
      if (units.length < end - start) units = new Uint16Array(Math.max(end - start, units.length * 2));
      return unitsToString(units, utf8DecodeUnits(bytes, start, end, units));
    },
    packFloat32(src, out, offset, bigEndian) {
      checkFloats('src', src);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const n = src.length * 4;
      checkRoom(out, offset, n);
      if (bigEndian === !LITTLE_ENDIAN_HOST || src.length === 0) {
        out.set(new Uint8Array(src.buffer, src.byteOffset, n), offset);
      } else {
        const view = new DataView(out.buffer, out.byteOffset + offset, n);
        for (let i = 0; i < src.length; i++) view.setFloat32(i * 4, src[i], !bigEndian);
      }
      return n;
    },
    unpackFloat32(bytes, offset, bigEndian, out) {
      checkBytes('bytes', bytes);
      checkFloats('out', out);
      checkInteger('offset', offset, 0, Math.max(0, bytes.length - out.length * 4));
      if (bytes.length - offset < out.length * 4) throw new DecodeInvalidError(offset, `needs ${out.length * 4} bytes of float32 data, has ${bytes.length - offset}`);
      if (bigEndian === !LITTLE_ENDIAN_HOST) {
        new Uint8Array(out.buffer, out.byteOffset, out.length * 4).set(bytes.subarray(offset, offset + out.length * 4));
      } else {
        const view = new DataView(bytes.buffer, bytes.byteOffset + offset, out.length * 4);
        for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, !bigEndian);
      }
    },
    encodeVarints(values, out, offset) {
      checkU32('values', values);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      let o = offset;
      const cap = out.length;
      for (let k = 0; k < values.length; k++) {
        let v = values[k];
        const need = v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
        if (o + need > cap) throw varintRoomError(values, out, offset);
        while (v >= 0x80) {
          out[o++] = (v & 0x7f) | 0x80;
          v >>>= 7;
        }
        out[o++] = v;
      }
      return o - offset;
    },
    decodeVarints(bytes, offset, end, out) {
      checkRange(bytes, offset, end);
      checkU32('out', out);
      return decodeVarintsTs(bytes, offset, end, out);
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
