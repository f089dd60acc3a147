import { checkInteger } from '../../internal/validate.js';
import { DecodeInvalidError } from '../../errors.js';
import { checkBytes, checkFloats, checkOffset, checkRange, checkRoom, checkSeed32, checkSeed64, checkU32, varintRoomError } from '../codec-check.js';
import { decodeVarintsTs } from '../ts/codec.js';
import { unitsToString } from '../ts/utf8.js';
import type { CodecKernels } from '../types.js';
import { Status } from './exports.js';
import { align16, type WasmArena } from './memory.js';
import { rethrowTrap } from './trap.js';

// Strings cross into linear memory as UTF-16 code units written one charCodeAt at a time, and
// come back the same way: that copy is the price of a WASM string kernel (see the bench).
const utf16 = typeof TextDecoder === 'function' ? new TextDecoder('utf-16le') : undefined;

/** Creates the WebAssembly codec kernels over `arena`. */
export function createWasmCodecKernels(arena: WasmArena): CodecKernels {
  const ex = arena.exports;

  function call<T>(name: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      return rethrowTrap(name, error);
    }
  }

  function unitsString(ptr: number, count: number): string {
    // Long strings decode faster through TextDecoder('utf-16le') than fromCharCode chunks.
    if (count > 256 && utf16 !== undefined) return utf16.decode(arena.u8.subarray(ptr, ptr + count * 2));
    return unitsToString(arena.u16.subarray(ptr >>> 1, (ptr >>> 1) + count), count);
  }

  return {
    utf8Encode(str, out, offset) {
      if (typeof str !== 'string') throw new TypeError(`Expected \`str\` to be a string, got ${typeof str}`);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const len = str.length;
      const cap = Math.min(out.length - offset, len * 3);
      const src = arena.scratch(align16(len * 2) + align16(cap));
      const dst = src + align16(len * 2);
      const u16 = arena.u16;
      const base = src >>> 1;
      for (let i = 0; i < len; i++) u16[base + i] = str.charCodeAt(i);
      const n = call('utf8Encode', () => ex.utf8Encode(src, len, dst, cap));
      if (n === Status.E_CAPACITY) return -1;
      out.set(arena.u8.subarray(dst, dst + n), offset);
      return n;
    },
    utf8Decode(bytes, start, end) {
      checkRange(bytes, start, end);
      const len = end - start;
      const src = arena.scratch(align16(len) + align16(len * 2));
      const dst = src + align16(len);
      arena.u8.set(bytes.subarray(start, end), src);
      const count = call('utf8Decode', () => ex.utf8Decode(src, len, dst));
      return unitsString(dst, count);
    },
    packFloat32(src, out, offset, bigEndian) {
      checkFloats('src', src);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const n = src.length * 4;
      checkRoom(out, offset, n);
      const p = arena.scratch(align16(n) * 2);
      arena.f32.set(src, p >>> 2);
      call('packFloat32', () => ex.packFloat32(p, src.length, p + align16(n), bigEndian ? 1 : 0));
      out.set(arena.u8.subarray(p + align16(n), p + align16(n) + n), offset);
      return n;
    },
    unpackFloat32(bytes, offset, bigEndian, out) {
      checkBytes('bytes', bytes);
      checkFloats('out', out);
      checkInteger('offset', offset, 0, Math.max(0, bytes.length - out.length * 4));
      const n = out.length * 4;
      if (bytes.length - offset < n) throw new DecodeInvalidError(offset, `needs ${n} bytes of float32 data, has ${bytes.length - offset}`);
      const p = arena.scratch(align16(n) * 2);
      arena.u8.set(bytes.subarray(offset, offset + n), p);
      call('unpackFloat32', () => ex.unpackFloat32(p, out.length, p + align16(n), bigEndian ? 1 : 0));
      out.set(arena.f32.subarray((p + align16(n)) >>> 2, ((p + align16(n)) >>> 2) + out.length));
    },
    encodeVarints(values, out, offset) {
      checkU32('values', values);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const cap = Math.min(out.length - offset, values.length * 5);
      const p = arena.scratch(align16(values.length * 4) + align16(cap));
      const dst = p + align16(values.length * 4);
      arena.u32.set(values, p >>> 2);
      const n = call('encodeVarints', () => ex.encodeVarints(p, values.length, dst, cap));
      if (n === Status.E_CAPACITY) throw varintRoomError(values, out, offset);
      out.set(arena.u8.subarray(dst, dst + n), offset);
      return n;
    },
    decodeVarints(bytes, offset, end, out) {
      checkRange(bytes, offset, end);
      checkU32('out', out);
      const len = end - offset;
      const p = arena.scratch(align16(len) + align16(out.length * 4));
      const dst = p + align16(len);
      arena.u8.set(bytes.subarray(offset, end), p);
      const n = call('decodeVarints', () => ex.decodeVarints(p, len, out.length, dst));
      // On failure, the TS decoder walks the bytes again to name where and why.
      if (n === Status.E_INVALID) return decodeVarintsTs(bytes, offset, end, out);
      out.set(arena.u32.subarray(dst >>> 2, (dst >>> 2) + out.length));
      return offset + n;
    },
    xxh32(bytes, seed = 0) {
      checkBytes('bytes', bytes);
      checkSeed32(seed);
      const p = arena.scratch(bytes.length);
      arena.u8.set(bytes, p);
      return call('xxh32', () => ex.xxh32(p, bytes.length, seed)) >>> 0;
    },
    xxh64(bytes, seed = 0n) {
      checkBytes('bytes', bytes);
      checkSeed64(seed);
      const p = arena.scratch(bytes.length);
      arena.u8.set(bytes, p);
      return BigInt.asUintN(64, call('xxh64', () => ex.xxh64(p, bytes.length, seed)));
    },
  };
}
