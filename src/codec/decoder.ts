import { DecodeInvalidError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';
import { EXT_TIMESTAMP, EXT_TYPED_ARRAY, EXT_UNDEFINED, MsgpackExt, TYPED_ARRAYS, indexExtensions, type Extension } from './ext.js';
import type { ResolvedCodecOptions } from './options.js';
import { timestampToDate } from './timestamp.js';

const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

// A copy with its own buffer even when the input is a Node Buffer, whose slice() is a view.
const copy = (bytes: Uint8Array, start: number, end: number): Uint8Array => Uint8Array.prototype.slice.call(bytes, start, end);

/** Reads MessagePack. One instance may decode many buffers, one at a time. */
export class Decoder {
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.bytes.buffer);
  private pos = 0;
  private readonly extensions: Map<number, Extension>;
  // Map keys repeat across the objects of a message: short keys are cached by their bytes.
  private readonly keys = new Map<number, { bytes: Uint8Array; key: string }[]>();

  constructor(private readonly options: ResolvedCodecOptions) {
    this.extensions = indexExtensions(options.extensions);
  }

  /**
   * Decodes one value that must span all of `bytes`.
   * @throws DecodeInvalidError naming the byte offset of truncated, malformed or trailing data.
   */
  decode(bytes: Uint8Array): unknown {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(expectedMessage('bytes', 'a Uint8Array', bytes));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    if (bytes.length === 0) throw new DecodeInvalidError(0, 'no data');
    const value = this.read(0);
    if (this.pos !== bytes.length) throw new DecodeInvalidError(this.pos, `${bytes.length - this.pos} trailing bytes after the value`);
    return value;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) {
      throw new DecodeInvalidError(this.pos, `truncated: ${what} needs ${n} bytes, ${this.bytes.length - this.pos} left`);
    }
  }

  private read(depth: number): unknown {
    this.need(1, 'a value');
    const at = this.pos;
    const b = this.bytes[this.pos++];
    if (b < 0x80) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b < 0x90) return this.readMap(b & 0x0f, depth, at);
    if (b < 0xa0) return this.readArray(b & 0x0f, depth, at);
    if (b < 0xc0) return this.readString(b & 0x1f);
    const v = this.view;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.readBin(this.u(1));
      case 0xc5: return this.readBin(this.u(2));
      case 0xc6: return this.readBin(this.u(4));
      case 0xc7: return this.readExt(this.u(1), at);
      case 0xc8: return this.readExt(this.u(2), at);
      case 0xc9: return this.readExt(this.u(4), at);
      case 0xca: this.need(4, 'a float 32'); this.pos += 4; return v.getFloat32(this.pos - 4);
      case 0xcb: this.need(8, 'a float 64'); this.pos += 8; return v.getFloat64(this.pos - 8);
      case 0xcc: return this.u(1);
      case 0xcd: return this.u(2);
      case 0xce: return this.u(4);
      case 0xcf: this.need(8, 'a uint 64'); this.pos += 8; return this.int64(v.getBigUint64(this.pos - 8));
      case 0xd0: this.need(1, 'an int 8'); return v.getInt8(this.pos++);
      case 0xd1: this.need(2, 'an int 16'); this.pos += 2; return v.getInt16(this.pos - 2);
      case 0xd2: this.need(4, 'an int 32'); this.pos += 4; return v.getInt32(this.pos - 4);
      case 0xd3: this.need(8, 'an int 64'); this.pos += 8; return this.int64(v.getBigInt64(this.pos - 8));
      case 0xd4: return this.readExt(1, at);
      case 0xd5: return this.readExt(2, at);
      case 0xd6: return this.readExt(4, at);
      case 0xd7: return this.readExt(8, at);
      case 0xd8: return this.readExt(16, at);
      case 0xd9: return this.readString(this.u(1));
      case 0xda: return this.readString(this.u(2));
      case 0xdb: return this.readString(this.u(4));
      case 0xdc: return this.readArray(this.u(2), depth, at);
      case 0xdd: return this.readArray(this.u(4), depth, at);
      case 0xde: return this.readMap(this.u(2), depth, at);
      case 0xdf: return this.readMap(this.u(4), depth, at);
      default: throw new DecodeInvalidError(this.pos - 1, 'reserved byte 0xc1');
    }
  }

  private u(n: 1 | 2 | 4): number {
    this.need(n, 'a length or integer');
    const p = this.pos;
    this.pos += n;
    return n === 1 ? this.bytes[p] : n === 2 ? this.view.getUint16(p) : this.view.getUint32(p);
  }

  private int64(v: bigint): number | bigint {
    if (this.options.int64 === 'bigint') return v;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  }

  private checkDepth(depth: number, count: number, minBytes: number, at: number): void {
    if (depth >= this.options.maxDepth) throw new DecodeInvalidError(at, `nesting deeper than maxDepth (${this.options.maxDepth})`);
    // Every element takes at least one byte: refuse a length the input cannot hold before allocating.
    if (count * minBytes > this.bytes.length - this.pos) {
      throw new DecodeInvalidError(this.pos, `truncated: ${count} elements announced, ${this.bytes.length - this.pos} bytes left`);
    }
  }

  private readArray(n: number, depth: number, at: number): unknown[] {
    this.checkDepth(depth, n, 1, at);
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read(depth + 1);
    return out;
  }

  private readMap(n: number, depth: number, at: number): Record<string, unknown> | Map<unknown, unknown> {
    this.checkDepth(depth, n, 2, at);
    if (this.options.useMaps) {
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) map.set(this.read(depth + 1), this.read(depth + 1));
      return map;
    }
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const head = this.bytes[this.pos];
      const key = head >= 0xa0 && head < 0xc0 ? this.readKey(head & 0x1f) : this.read(depth + 1);
      if (typeof key !== 'string') return this.finishAsMap(obj, key, n - i, depth);
      const value = this.read(depth + 1);
      // A "__proto__" key is data: define it, never let assignment replace the prototype.
      if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key] = value;
    }
    return obj;
  }

  // A non-string key appeared: continue as a Map holding the entries read so far.
  private finishAsMap(obj: Record<string, unknown>, key: unknown, left: number, depth: number): Map<unknown, unknown> {
    const map = new Map<unknown, unknown>(Object.entries(obj));
    map.set(key, this.read(depth + 1));
    for (let i = 1; i < left; i++) map.set(this.read(depth + 1), this.read(depth + 1));
    return map;
  }

  private readKey(n: number): string {
    this.pos++;
    if (n > 16) return this.readString(n);
    this.need(n, 'a string');
    const bytes = this.bytes;
    const p = this.pos;
    let hash = n;
    for (let i = 0; i < n; i++) hash = (hash * 31 + bytes[p + i]) | 0;
    let bucket = this.keys.get(hash);
    if (bucket !== undefined) {
      outer: for (const entry of bucket) {
        for (let i = 0; i < n; i++) if (entry.bytes[i] !== bytes[p + i]) continue outer;
        this.pos += n;
        return entry.key;
      }
    } else if (this.keys.size < 4096) {
      bucket = [];
      this.keys.set(hash, bucket);
    }
    const key = this.readString(n);
    if (bucket !== undefined && bucket.length < 4) bucket.push({ bytes: copy(bytes, p, p + n), key });
    return key;
  }

  private readString(n: number): string {
    this.need(n, 'a string');
    const bytes = this.bytes;
    const start = this.pos;
    this.pos += n;
    if (n < this.options.longString) {
      // Short strings: ASCII by hand (one fromCharCode call over the bytes, no concatenation);
      // anything else through the full decoder below.
      for (let i = start; i < start + n; i++) if (bytes[i] >= 0x80) return this.decodeUtf8(start, start + n);
      return String.fromCharCode.apply(null, bytes.subarray(start, start + n) as unknown as number[]);
    }
    return this.decodeUtf8(start, start + n);
  }

  private decodeUtf8(start: number, end: number): string {
    return this.options.nativeUtf8 ? textDecoder.decode(this.bytes.subarray(start, end)) : this.options.kernels.utf8Decode(this.bytes, start, end);
  }

  private readBin(n: number): Uint8Array {
    this.need(n, 'a bin');
    this.pos += n;
    return copy(this.bytes, this.pos - n, this.pos);
  }

  private readExt(n: number, at: number): unknown {
    this.need(1 + n, 'an ext');
    const type = this.view.getInt8(this.pos);
    const start = this.pos + 1;
    this.pos = start + n;
    if (type === EXT_TIMESTAMP) return timestampToDate(this.bytes.subarray(start, start + n), at);
    if (type === EXT_UNDEFINED && n === 1 && !this.extensions.has(0)) return undefined;
    if (type === EXT_TYPED_ARRAY && n >= 1) return this.readTypedArray(start, n, at);
    const data = copy(this.bytes, start, start + n);
    const ext = this.extensions.get(type);
    return ext !== undefined ? ext.decode(data) : new MsgpackExt(type, data);
  }

  private readTypedArray(start: number, n: number, at: number): ArrayBufferView {
    const code = this.bytes[start];
    const ctor = TYPED_ARRAYS[code];
    if (ctor === undefined) throw new DecodeInvalidError(at, `unknown typed array code ${code}`);
    const size = n - 1;
    if (size % ctor.BYTES_PER_ELEMENT !== 0) throw new DecodeInvalidError(at, `${ctor.name} payload of ${size} bytes`);
    if (ctor === Float32Array) {
      const out = new Float32Array(size / 4);
      this.options.kernels.unpackFloat32(this.bytes, start + 1, false, out);
      return out;
    }
    // The copy gives the array its own, aligned buffer.
    return new ctor(copy(this.bytes, start + 1, start + n).buffer as ArrayBuffer);
  }
}
