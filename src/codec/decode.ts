import { DecodeInvalidError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import type { CodecKernels } from '../kernels/types.js';
import { EXT_TIMESTAMP, EXT_TYPED_ARRAY, EXT_UNDEFINED, MsgpackExt, TYPED_ARRAYS, indexExtensions, type Extension } from './ext.js';
import type { ResolvedCodecOptions } from './options.js';
import { KeyCache, MAX_CACHED_KEY, asciiString, isAscii } from './strings.js';
import { readTimestamp, timestampProblem } from './timestamp.js';

const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const EMPTY = new Uint8Array(0);
const EMPTY_VIEW: DataView = new DataView(EMPTY.buffer);
const TWO_32 = 4294967296;

// A plain Uint8Array on its own buffer, also from a Node Buffer (whose slice() is a view, and
// whose species would make typed-array slice() return a Buffer).
function copy(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/** Reads MessagePack. One instance decodes many buffers, one call at a time. */
export class Decoder {
  /** Whether a `decode` is running (an extension may call back into its codec). */
  busy = false;
  private bytes: Uint8Array = EMPTY;
  private view = EMPTY_VIEW;
  private pos = 0;
  private end = 0;
  private readonly keys = new KeyCache();
  private readonly extensions: readonly (Extension | undefined)[];
  private readonly kernels: CodecKernels;
  private readonly longString: number;
  private readonly nativeUtf8: boolean;
  private readonly bigint: boolean;
  private readonly useMaps: boolean;
  private readonly maxDepth: number;

  /** @param options - resolved (validated) options */
  constructor(options: ResolvedCodecOptions) {
    this.extensions = indexExtensions(options.extensions).byType;
    this.kernels = options.kernels;
    this.longString = options.longString;
    this.nativeUtf8 = options.nativeUtf8;
    this.bigint = options.int64 === 'bigint';
    this.useMaps = options.useMaps;
    this.maxDepth = options.maxDepth;
  }

  /**
   * Decodes the one value that must span all of `bytes`.
   * @throws DecodeInvalidError naming the byte offset of truncated, malformed or trailing data.
   */
  decode(bytes: Uint8Array): unknown {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(expectedMessage('bytes', 'a Uint8Array', bytes));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.end = bytes.length;
    this.busy = true;
    try {
      if (bytes.length === 0) throw new DecodeInvalidError(0, 'no data');
      const value = this.read(0);
      if (this.pos !== this.end) throw new DecodeInvalidError(this.pos, `${this.end - this.pos} trailing bytes after the value`);
      return value;
    } finally {
      this.busy = false;
      // Do not keep the caller's buffer alive.
      this.bytes = EMPTY;
      this.view = EMPTY_VIEW;
    }
  }

  private truncated(what: string, n: number): never {
    throw new DecodeInvalidError(this.pos, `truncated: ${what} needs ${n} bytes, ${this.end - this.pos} left`);
  }

  // Moves past `n` bytes and returns where they start.
  private take(n: number, what: string): number {
    const p = this.pos;
    if (p + n > this.end) this.truncated(what, n);
    this.pos = p + n;
    return p;
  }

  private read(depth: number): unknown {
    const at = this.pos;
    if (at >= this.end) this.truncated('a value', 1);
    const b = this.bytes[at];
    this.pos = at + 1;
    if (b < 0xa0) {
      if (b < 0x80) return b;
      if (b < 0x90) return this.readMap(b & 0x0f, depth, at);
      return this.readArray(b & 0x0f, depth, at);
    }
    if (b < 0xc0) return this.readString(b & 0x1f);
    if (b >= 0xe0) return b - 0x100;
    const v = this.view;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.readBin(this.length(1));
      case 0xc5: return this.readBin(this.length(2));
      case 0xc6: return this.readBin(this.length(4));
      case 0xc7: return this.readExt(this.length(1), at);
      case 0xc8: return this.readExt(this.length(2), at);
      case 0xc9: return this.readExt(this.length(4), at);
      case 0xca: return v.getFloat32(this.take(4, 'a float 32'));
      case 0xcb: return v.getFloat64(this.take(8, 'a float 64'));
      case 0xcc: return this.bytes[this.take(1, 'a uint 8')];
      case 0xcd: return v.getUint16(this.take(2, 'a uint 16'));
      case 0xce: return v.getUint32(this.take(4, 'a uint 32'));
      case 0xcf: return this.readInt64(this.take(8, 'a uint 64'), false);
      case 0xd0: return v.getInt8(this.take(1, 'an int 8'));
      case 0xd1: return v.getInt16(this.take(2, 'an int 16'));
      case 0xd2: return v.getInt32(this.take(4, 'an int 32'));
      case 0xd3: return this.readInt64(this.take(8, 'an int 64'), true);
      case 0xd4: return this.readExt(1, at);
      case 0xd5: return this.readExt(2, at);
      case 0xd6: return this.readExt(4, at);
      case 0xd7: return this.readExt(8, at);
      case 0xd8: return this.readExt(16, at);
      case 0xd9: return this.readString(this.length(1));
      case 0xda: return this.readString(this.length(2));
      case 0xdb: return this.readString(this.length(4));
      case 0xdc: return this.readArray(this.length(2), depth, at);
      case 0xdd: return this.readArray(this.length(4), depth, at);
      case 0xde: return this.readMap(this.length(2), depth, at);
      case 0xdf: return this.readMap(this.length(4), depth, at);
      default: throw new DecodeInvalidError(at, 'reserved byte 0xc1');
    }
  }

  // A big-endian length (or count) of `size` bytes.
  private length(size: 1 | 2 | 4): number {
    const p = this.take(size, 'a length');
    return size === 1 ? this.bytes[p] : size === 2 ? this.view.getUint16(p) : this.view.getUint32(p);
  }

  // Doubles hold the safe range exactly, so only values beyond it pay for a BigInt.
  private readInt64(p: number, signed: boolean): number | bigint {
    const v = this.view;
    if (!this.bigint) {
      const n = (signed ? v.getInt32(p) : v.getUint32(p)) * TWO_32 + v.getUint32(p + 4);
      if (Number.isSafeInteger(n)) return n;
    }
    return signed ? v.getBigInt64(p) : v.getBigUint64(p);
  }

  private enter(depth: number, count: number, minBytes: number, at: number): void {
    if (depth >= this.maxDepth) throw new DecodeInvalidError(at, `nesting deeper than maxDepth (${this.maxDepth})`);
    // Every element takes at least one byte: refuse a count the input cannot hold before allocating.
    if (count * minBytes > this.end - this.pos) {
      throw new DecodeInvalidError(this.pos, `truncated: ${count} ${minBytes === 1 ? 'elements' : 'entries'} announced, ${this.end - this.pos} bytes left`);
    }
  }

  private readArray(n: number, depth: number, at: number): unknown[] {
    this.enter(depth, n, 1, at);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.read(depth + 1));
    return out;
  }

  private readMap(n: number, depth: number, at: number): Record<string, unknown> | Map<unknown, unknown> {
    this.enter(depth, n, 2, at);
    if (this.useMaps) return this.readEntries(new Map(), n, depth);
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const head = this.bytes[this.pos];
      let key: unknown;
      if (head >= 0xa1 && head <= 0xa0 + MAX_CACHED_KEY && this.pos + (head & 0x1f) < this.end) key = this.readKey(head & 0x1f);
      else {
        key = this.read(depth + 1);
        if (typeof key !== 'string') {
          // A key that is not a string: continue as a Map holding the entries read so far.
          const map = new Map<unknown, unknown>(Object.entries(obj));
          map.set(key, this.read(depth + 1));
          return this.readEntries(map, n - i - 1, depth);
        }
      }
      const value = this.read(depth + 1);
      // A "__proto__" key is data: define it, never let assignment replace the prototype.
      if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key as string] = value;
    }
    return obj;
  }

  private readEntries(map: Map<unknown, unknown>, n: number, depth: number): Map<unknown, unknown> {
    for (let i = 0; i < n; i++) {
      const key = this.read(depth + 1);
      map.set(key, this.read(depth + 1));
    }
    return map;
  }

  // A fixstr key of 1..MAX_CACHED_KEY bytes, all in bounds.
  private readKey(n: number): string {
    const start = this.pos + 1;
    const key = this.keys.get(this.bytes, start, n);
    if (key === undefined) {
      this.pos = start;
      return this.readString(n);
    }
    this.pos = start + n;
    return key;
  }

  private readString(n: number): string {
    const start = this.take(n, 'a str');
    const end = start + n;
    if (n < this.longString && isAscii(this.bytes, start, end)) return asciiString(this.bytes, start, n);
    return this.nativeUtf8 ? textDecoder.decode(this.bytes.subarray(start, end)) : this.kernels.utf8Decode(this.bytes, start, end);
  }

  private readBin(n: number): Uint8Array {
    const start = this.take(n, 'a bin');
    return copy(this.bytes, start, start + n);
  }

  private readExt(n: number, at: number): unknown {
    const p = this.take(n + 1, 'an ext');
    const type = this.view.getInt8(p);
    const start = p + 1;
    if (type === EXT_TIMESTAMP) {
      const problem = timestampProblem(this.view, start, n);
      if (problem !== undefined) throw new DecodeInvalidError(at, problem);
      return readTimestamp(this.view, start, n) ?? new MsgpackExt(type, copy(this.bytes, start, start + n));
    }
    const ext = type >= 0 ? this.extensions[type] : undefined;
    if (ext !== undefined) return ext.decode(copy(this.bytes, start, start + n));
    if (type === EXT_UNDEFINED && n === 1) return undefined;
    if (type === EXT_TYPED_ARRAY) {
      if (n === 0) throw new DecodeInvalidError(at, 'typed array ext 0x74 without an element type');
      return this.readTypedArray(start, n - 1, at);
    }
    return new MsgpackExt(type, copy(this.bytes, start, start + n));
  }

  private readTypedArray(p: number, size: number, at: number): ArrayBufferView {
    const code = this.bytes[p];
    const ctor = TYPED_ARRAYS[code];
    if (ctor === undefined) throw new DecodeInvalidError(at, `unknown typed array code ${code}`);
    if (size % ctor.BYTES_PER_ELEMENT !== 0) throw new DecodeInvalidError(at, `${ctor.name} payload of ${size} bytes`);
    if (ctor === Float32Array) {
      const out = new Float32Array(size / 4);
      this.kernels.unpackFloat32(this.bytes, p + 1, false, out);
      return out;
    }
    // The copy gives the array its own, aligned buffer.
    return new ctor(copy(this.bytes, p + 1, p + 1 + size).buffer as ArrayBuffer);
  }
}
