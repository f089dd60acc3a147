import { describe } from '../internal/validate.js';
import type { CodecKernels } from '../kernels/types.js';
import { EXT_TYPED_ARRAY, EXT_UNDEFINED, MsgpackExt, indexExtensions, matchesExtension, typedArrayCode, type Extension } from './ext.js';
import type { ResolvedCodecOptions } from './options.js';
import { MAX_NUMBER_BYTES, isInt64, writeBigInt, writeNumber } from './numbers.js';
import { writeUtf8 } from './strings.js';
import { MAX_TIMESTAMP_BYTES, writeTimestamp } from './timestamp.js';
import { Unsupported, describeValue, mapSegment, propertySegment } from './unsupported.js';

const textEncoder = new TextEncoder();
const INITIAL_SIZE = 8192;
// A buffer grown past this for one large value is dropped afterwards rather than kept for life.
const KEEP_SIZE = 1 << 20;

/** Writes MessagePack into a growing buffer that is reused across calls. One call at a time. */
export class Encoder {
  /** Whether an `encode` is running (an extension may call back into its codec). */
  busy = false;
  private buf = new Uint8Array(INITIAL_SIZE);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private readonly stack: object[] = [];
  private readonly extensions: readonly Extension[];
  private readonly kernels: CodecKernels;
  private readonly longString: number;
  private readonly nativeUtf8: boolean;
  private readonly float32: boolean;
  private readonly undefinedAsNil: boolean;
  private readonly maxDepth: number;

  /** @param options - resolved (validated) options */
  constructor(options: ResolvedCodecOptions) {
    this.extensions = indexExtensions(options.extensions).list;
    this.kernels = options.kernels;
    this.longString = options.longString;
    this.nativeUtf8 = options.nativeUtf8;
    this.float32 = options.float32;
    this.undefinedAsNil = options.undefinedAsNil;
    this.maxDepth = options.maxDepth;
  }

  /**
   * Encodes `value` into a new Uint8Array (a copy: the working buffer is reused).
   * @throws EncodeUnsupportedError naming the path of a value that cannot be encoded.
   */
  encode(value: unknown): Uint8Array {
    this.pos = 0;
    this.stack.length = 0;
    this.busy = true;
    try {
      this.write(value);
      return this.buf.slice(0, this.pos);
    } catch (error) {
      throw error instanceof Unsupported ? error.toError() : error;
    } finally {
      this.busy = false;
      if (this.buf.length > KEEP_SIZE) this.reset(INITIAL_SIZE);
    }
  }

  private reset(size: number): void {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const old = this.buf;
    this.reset(Math.max(old.length * 2, this.pos + n));
    this.buf.set(old.subarray(0, this.pos));
  }

  private write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.writeString(value);
      case 'number':
        return this.writeNumber(value);
      case 'object':
        if (value === null) return this.writeByte(0xc0);
        return this.writeObject(value);
      case 'boolean':
        return this.writeByte(value ? 0xc3 : 0xc2);
      case 'undefined':
        if (this.undefinedAsNil) return this.writeByte(0xc0);
        this.ensure(3);
        this.buf[this.pos] = 0xd4;
        this.buf[this.pos + 1] = EXT_UNDEFINED;
        this.buf[this.pos + 2] = 0;
        this.pos += 3;
        return;
      case 'bigint':
        return this.writeBigInt(value);
      default:
        throw new Unsupported(describeValue(value));
    }
  }

  private writeByte(byte: number): void {
    this.ensure(1);
    this.buf[this.pos++] = byte;
  }

  private writeNumber(v: number): void {
    this.ensure(MAX_NUMBER_BYTES);
    this.pos = writeNumber(this.buf, this.view, this.pos, v, this.float32);
  }

  private writeBigInt(v: bigint): void {
    if (!isInt64(v)) throw new Unsupported(describeValue(v));
    this.ensure(MAX_NUMBER_BYTES);
    this.pos = writeBigInt(this.buf, this.view, this.pos, v);
  }

  private writeString(s: string): void {
    const len = s.length;
    this.ensure(5 + len * 3);
    // Reserve the header for an ASCII string (bytes = units); if more bytes come out, the
    // header grows and the bytes move, which only non-ASCII text near a boundary pays.
    const reserved = len < 32 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5;
    const start = this.pos + reserved;
    let n: number;
    if (len < this.longString) n = writeUtf8(s, this.buf, start);
    else if (this.nativeUtf8) n = textEncoder.encodeInto(s, this.buf.subarray(start)).written;
    else n = this.kernels.utf8Encode(s, this.buf, start);
    const header = n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    if (header !== reserved) this.buf.copyWithin(this.pos + header, start, start + n);
    this.writeHeader(n, header, 0xa0, 0xd9);
    this.pos += n;
  }

  // A str (fixstr 0xa0, str 8/16/32 from 0xd9) or bin (no fix form; bin 8/16/32 from 0xc4)
  // header of `size` bytes for length n; the caller has ensured room.
  private writeHeader(n: number, size: number, fix: number, first: number): void {
    const b = this.buf;
    const p = this.pos;
    if (size === 1) b[p] = fix | n;
    else if (size === 2) {
      b[p] = first;
      b[p + 1] = n;
    } else if (size === 3) {
      b[p] = first + 1;
      b[p + 1] = n >> 8;
      b[p + 2] = n;
    } else {
      b[p] = first + 2;
      this.view.setUint32(p + 1, n);
    }
    this.pos = p + size;
  }

  // fixarray/fixmap (fix | n), else array/map 16 (`b16`) or 32 (`b16 + 1`).
  private writeContainerHeader(n: number, fix: number, b16: number): void {
    this.ensure(5);
    const b = this.buf;
    const p = this.pos;
    if (n < 16) {
      b[p] = fix | n;
      this.pos = p + 1;
    } else if (n < 0x10000) {
      b[p] = b16;
      b[p + 1] = n >> 8;
      b[p + 2] = n;
      this.pos = p + 3;
    } else {
      b[p] = b16 + 1;
      this.view.setUint32(p + 1, n);
      this.pos = p + 5;
    }
  }

  private enter(value: object): void {
    const stack = this.stack;
    if (stack.length >= this.maxDepth) {
      // Only now look for a cycle (never on the hot path): report where it first closes.
      for (let j = 1; j <= stack.length; j++) {
        const first = stack.indexOf(j < stack.length ? stack[j] : value);
        if (first >= 0 && first < j) throw new Unsupported('a circular reference', j);
      }
      throw new Unsupported(`nesting deeper than maxDepth (${this.maxDepth})`);
    }
    stack.push(value);
  }

  private writeObject(value: object): void {
    if (Array.isArray(value)) return this.writeArray(value);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.writePlainObject(value as Record<string, unknown>);
    if (proto === Float32Array.prototype) return this.writeTypedArray(value as Float32Array, 7);
    if (this.extensions.length > 0 && this.writeExtension(value)) return;
    if (value instanceof Uint8Array) return this.writeBin(value);
    if (ArrayBuffer.isView(value)) {
      const code = typedArrayCode(value);
      if (code !== undefined) return this.writeTypedArray(value, code);
    } else if (value instanceof Date) {
      const ms = value.getTime();
      if (ms !== ms) throw new Unsupported(describeValue(value));
      this.ensure(MAX_TIMESTAMP_BYTES);
      this.pos = writeTimestamp(this.buf, this.view, this.pos, ms);
      return;
    } else if (value instanceof Map) return this.writeMap(value);
    else if (value instanceof MsgpackExt) return this.writeExt(value.type, value.data);
    throw new Unsupported(describeValue(value));
  }

  private writeExtension(value: object): boolean {
    for (let i = 0; i < this.extensions.length; i++) {
      const ext = this.extensions[i];
      if (!matchesExtension(ext, value)) continue;
      const data = ext.encode(value);
      if (!(data instanceof Uint8Array)) {
        throw new TypeError(`Expected \`extensions[${i}].encode\` to return a Uint8Array, got ${describe(data)}`);
      }
      this.writeExt(ext.type, data);
      return true;
    }
    return false;
  }

  private writeArray(value: unknown[]): void {
    this.enter(value);
    const n = value.length;
    this.writeContainerHeader(n, 0x90, 0xdc);
    for (let i = 0; i < n; i++) {
      try {
        this.write(value[i]);
      } catch (error) {
        if (error instanceof Unsupported) error.path.push(`[${i}]`);
        throw error;
      }
    }
    this.stack.pop();
  }

  private writePlainObject(value: Record<string, unknown>): void {
    this.enter(value);
    const keys = Object.keys(value);
    const n = keys.length;
    this.writeContainerHeader(n, 0x80, 0xde);
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      this.writeString(key);
      try {
        this.write(value[key]);
      } catch (error) {
        if (error instanceof Unsupported) error.path.push(propertySegment(key));
        throw error;
      }
    }
    this.stack.pop();
  }

  private writeMap(map: Map<unknown, unknown>): void {
    this.enter(map);
    this.writeContainerHeader(map.size, 0x80, 0xde);
    for (const [key, v] of map) {
      try {
        this.write(key);
        this.write(v);
      } catch (error) {
        if (error instanceof Unsupported) error.path.push(mapSegment(key));
        throw error;
      }
    }
    this.stack.pop();
  }

  private writeBin(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n > 0xffffffff) throw new Unsupported(`a Uint8Array of ${n} bytes (bin 32 holds at most 4 GiB)`);
    this.ensure(5 + n);
    this.writeHeader(n, n < 0x100 ? 2 : n < 0x10000 ? 3 : 5, 0, 0xc4);
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  // Ext 0x74: the element-type code, then the elements little-endian (msgpackr's layout).
  private writeTypedArray(array: ArrayBufferView, code: number): void {
    const n = array.byteLength;
    this.writeExtHeader(EXT_TYPED_ARRAY, n + 1);
    this.buf[this.pos++] = code;
    if (code === 7) this.kernels.packFloat32(array as Float32Array, this.buf, this.pos, false);
    // Other element types are copied as they lie in memory: little-endian on every host weft runs on.
    else this.buf.set(new Uint8Array(array.buffer, array.byteOffset, n), this.pos);
    this.pos += n;
  }

  private writeExt(type: number, data: Uint8Array): void {
    this.writeExtHeader(type, data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  // fixext 1/2/4/8/16 when the size is one of those, else ext 8/16/32; ensures room for the payload.
  private writeExtHeader(type: number, n: number): void {
    if (n > 0xffffffff) throw new Unsupported(`an ext payload of ${n} bytes (ext 32 holds at most 4 GiB)`);
    this.ensure(6 + n);
    const fixed = n === 1 ? 0xd4 : n === 2 ? 0xd5 : n === 4 ? 0xd6 : n === 8 ? 0xd7 : n === 16 ? 0xd8 : 0;
    if (fixed !== 0) this.buf[this.pos++] = fixed;
    else this.writeHeader(n, n < 0x100 ? 2 : n < 0x10000 ? 3 : 5, 0, 0xc7);
    this.buf[this.pos++] = type;
  }
}
