import {
  checkBoolean, checkBytes, checkFloats, checkInput, checkOffset, checkRange, checkRoom, checkSeed32, checkSeed64,
  checkString, checkU32, varintError, varintRoomError,
} from '../codec-check.js';
import { unitsToString } from '../ts/utf8.js';
import type { CodecKernels } from '../types.js';
import { Status } from './exports.js';
import { align16, type WasmArena } from './memory.js';
import { rethrowTrap } from './trap.js';

// Strings cross into linear memory as UTF-16 code units and come back as a string built from
// units; those two copies, not the UTF-8 work, are most of a call. The fastest copies available
// are used (all measured on Node 20):
// - into memory: Node's Buffer#write(s, 'utf16le') is a native copy, ~80x faster than a
//   charCodeAt loop at 64K units; short strings and other runtimes use the loop;
// - out of memory: Buffer#toString('utf16le') (~3x faster than TextDecoder('utf-16le') at 700
//   units), else TextDecoder('utf-16le') with `ignoreBOM`, so the U+FEFF the UTF-8 decode kept
//   stays; short strings pass the units to fromCharCode as arguments, which beats both calls'
//   fixed costs. Decoded UTF-8 never holds lone surrogates, so no UTF-16 decoder substitutes.
interface NodeBuffer {
  write(s: string, offset: number, length: number, encoding: 'utf16le'): number;
  toString(encoding: 'utf16le', start: number, end: number): string;
}
const utf16 = typeof TextDecoder === 'function' ? new TextDecoder('utf-16le', { ignoreBOM: true }) : undefined;
const SHORT_COPY = 128;
const SHORT_NODE_STRING = 16;
const SHORT_STRING = 40;

/** Creates the WebAssembly codec kernels over `arena`. */
export function createWasmCodecKernels(arena: WasmArena): CodecKernels {
  const ex = arena.exports;
  // Looked up here rather than at import, so a test can create kernels as a browser would.
  const NodeBufferClass = (globalThis as { Buffer?: { from(buffer: ArrayBuffer): NodeBuffer } }).Buffer;
  // A Buffer over linear memory, rebuilt when memory grows (growth detaches the old one).
  let nodeBuffer: NodeBuffer | undefined;
  let nodeGeneration = -1;
  function nodeView(): NodeBuffer | undefined {
    if (NodeBufferClass === undefined) return undefined;
    if (nodeGeneration !== arena.generation) {
      nodeBuffer = NodeBufferClass.from(arena.u8.buffer as ArrayBuffer);
      nodeGeneration = arena.generation;
    }
    return nodeBuffer;
  }

  function putString(str: string, len: number, p: number): void {
    const node = len > SHORT_COPY ? nodeView() : undefined;
    if (node !== undefined) {
      node.write(str, p, len * 2, 'utf16le');
      return;
    }
    const u16 = arena.u16;
    const base = p >>> 1;
    for (let i = 0; i < len; i++) u16[base + i] = str.charCodeAt(i);
  }

  function unitsString(p: number, count: number): string {
    if (count > SHORT_NODE_STRING) {
      const node = nodeView();
      if (node !== undefined) return node.toString('utf16le', p, p + count * 2);
      if (count > SHORT_STRING && utf16 !== undefined) return utf16.decode(arena.u8.subarray(p, p + count * 2));
    }
    return unitsToString(arena.u16, p >>> 1, count);
  }

  // Copies `n` bytes of `bytes` from `start` into linear memory at `p`: a short loop beats
  // creating a subarray for `set` on the few-byte inputs MessagePack is full of.
  function putBytes(bytes: Uint8Array, start: number, n: number, p: number): void {
    const u8 = arena.u8;
    if (n <= 16) for (let i = 0; i < n; i++) u8[p + i] = bytes[start + i];
    else if (start === 0 && n === bytes.length) u8.set(bytes, p);
    else u8.set(bytes.subarray(start, start + n), p);
  }

  return {
    utf8Encode(str, out, offset) {
      checkString('str', str);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const len = str.length;
      const cap = Math.min(out.length - offset, len * 3);
      const src = arena.scratch(align16(len * 2) + align16(cap));
      const dst = src + align16(len * 2);
      putString(str, len, src);
      let n = 0;
      try {
        n = ex.utf8Encode(src, len, dst, cap);
      } catch (error) {
        rethrowTrap('utf8Encode', error);
      }
      if (n === Status.E_CAPACITY) return -1;
      if (n <= 16) {
        const u8 = arena.u8;
        for (let i = 0; i < n; i++) out[offset + i] = u8[dst + i];
      } else out.set(arena.u8.subarray(dst, dst + n), offset);
      return n;
    },
    utf8Decode(bytes, start, end) {
      checkRange(bytes, start, end);
      const len = end - start;
      const src = arena.scratch(align16(len) + align16(len * 2));
      const dst = src + align16(len);
      putBytes(bytes, start, len, src);
      let count = 0;
      try {
        count = ex.utf8Decode(src, len, dst);
      } catch (error) {
        rethrowTrap('utf8Decode', error);
      }
      return unitsString(dst, count);
    },
    packFloat32(src, out, offset, bigEndian) {
      checkFloats('src', src);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      checkBoolean('bigEndian', bigEndian);
      const n = src.length * 4;
      checkRoom(out, offset, n);
      const p = arena.scratch(align16(n) * 2);
      const q = p + align16(n);
      arena.f32.set(src, p >>> 2);
      try {
        ex.packFloat32(p, src.length, q, bigEndian ? 1 : 0);
      } catch (error) {
        rethrowTrap('packFloat32', error);
      }
      out.set(arena.u8.subarray(q, q + n), offset);
      return n;
    },
    unpackFloat32(bytes, offset, bigEndian, out) {
      checkBytes('bytes', bytes);
      checkOffset('offset', offset, bytes);
      checkBoolean('bigEndian', bigEndian);
      checkFloats('out', out);
      const n = out.length * 4;
      checkInput(bytes, offset, n, 'float32 data');
      const p = arena.scratch(align16(n) * 2);
      const q = p + align16(n);
      putBytes(bytes, offset, n, p);
      try {
        ex.unpackFloat32(p, out.length, q, bigEndian ? 1 : 0);
      } catch (error) {
        rethrowTrap('unpackFloat32', error);
      }
      out.set(arena.f32.subarray(q >>> 2, (q >>> 2) + out.length));
    },
    encodeVarints(values, out, offset) {
      checkU32('values', values);
      checkBytes('out', out);
      checkOffset('offset', offset, out);
      const cap = Math.min(out.length - offset, values.length * 5);
      const p = arena.scratch(align16(values.length * 4) + align16(cap));
      const dst = p + align16(values.length * 4);
      arena.u32.set(values, p >>> 2);
      let n = 0;
      try {
        n = ex.encodeVarints(p, values.length, dst, cap);
      } catch (error) {
        rethrowTrap('encodeVarints', error);
      }
      if (n === Status.E_CAPACITY) throw varintRoomError(values, out, offset);
      out.set(arena.u8.subarray(dst, dst + n), offset);
      return n;
    },
    decodeVarints(bytes, offset, end, out) {
      checkRange(bytes, offset, end, 'offset');
      checkU32('out', out);
      const len = end - offset;
      const p = arena.scratch(align16(len) + align16(out.length * 4));
      const dst = p + align16(len);
      putBytes(bytes, offset, len, p);
      let n = 0;
      try {
        n = ex.decodeVarints(p, len, out.length, dst);
      } catch (error) {
        rethrowTrap('decodeVarints', error);
      }
      if (n === Status.E_INVALID) throw varintError(bytes, offset, end, out.length);
      out.set(arena.u32.subarray(dst >>> 2, (dst >>> 2) + out.length));
      return offset + n;
    },
    xxh32(bytes, seed = 0) {
      checkBytes('bytes', bytes);
      checkSeed32(seed);
      const p = arena.scratch(bytes.length);
      putBytes(bytes, 0, bytes.length, p);
      try {
        return ex.xxh32(p, bytes.length, seed) >>> 0;
      } catch (error) {
        return rethrowTrap('xxh32', error);
      }
    },
    xxh64(bytes, seed = 0n) {
      checkBytes('bytes', bytes);
      checkSeed64(seed);
      const p = arena.scratch(bytes.length);
      putBytes(bytes, 0, bytes.length, p);
      try {
        // i64 results arrive signed.
        return BigInt.asUintN(64, ex.xxh64(p, bytes.length, seed));
      } catch (error) {
        return rethrowTrap('xxh64', error);
      }
    },
  };
}
