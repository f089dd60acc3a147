import { EncodeUnsupportedError } from '../errors.js';
import { EXT_TIMESTAMP, EXT_TYPED_ARRAY, EXT_UNDEFINED, MsgpackExt, TYPED_ARRAYS, indexExtensions, type Extension } from './ext.js';
import type { ResolvedCodecOptions } from './options.js';
import { timestampPayload } from './timestamp.js';

// Thrown at the unsupported value and given its path segments as it unwinds through the
// containers, so the hot path never builds paths for values that encode fine.
class Unsupported {
  readonly path: string[] = [];
  constructor(readonly what: string) {}
}

const textEncoder = new TextEncoder();
const typedArrayCode = new Map<unknown, number>(TYPED_ARRAYS.map((ctor, i) => [ctor, i]));

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'symbol') return `a symbol (${String(value.description)})`;
  if (typeof value === 'bigint') return `the bigint ${value} (outside the 64-bit range)`;
  if (value instanceof Date) return 'an invalid Date';
  const ctor = (value as object)?.constructor?.name;
  return `an instance of ${ctor ?? 'an unknown class'} (register an extension for it)`;
}

/** Writes MessagePack into a growing buffer that is reused across calls. */
export class Encoder {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private readonly stack: object[] = [];
  private readonly extensions: readonly Extension[];

  constructor(private readonly options: ResolvedCodecOptions) {
    this.extensions = [...indexExtensions(options.extensions).values()];
  }

  /** Encodes `value` into a new Uint8Array. */
  encode(value: unknown): Uint8Array {
    this.pos = 0;
    this.stack.length = 0;
    try {
      this.write(value);
    } catch (error) {
      if (error instanceof Unsupported) throw new EncodeUnsupportedError(`$${error.path.reverse().join('')}`, error.what);
      throw error;
    }
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.writeString(value);
      case 'number':
        return this.writeNumber(value);
      case 'boolean':
        this.ensure(1);
        this.buf[this.pos++] = value ? 0xc3 : 0xc2;
        return;
      case 'object':
        return value === null ? this.writeNil() : this.writeObject(value);
      case 'undefined':
        if (this.options.undefinedAsNil) return this.writeNil();
        this.ensure(3);
        this.buf[this.pos++] = 0xd4;
        this.buf[this.pos++] = EXT_UNDEFINED;
        this.buf[this.pos++] = 0;
        return;
      case 'bigint':
        return this.writeBigInt(value);
      default:
        throw new Unsupported(describeValue(value));
    }
  }

  private writeNil(): void {
    this.ensure(1);
    this.buf[this.pos++] = 0xc0;
  }

  private writeNumber(v: number): void {
    this.ensure(9);
    const b = this.buf;
    // Integers that fit 32 bits take the int family; larger ones are written as float 64, the
    // same 9 bytes as int 64, so int 64 stays reserved for bigint and both types round-trip.
    if (Number.isInteger(v) && v >= -0x80000000 && v <= 0xffffffff && !Object.is(v, -0)) {
      if (v >= 0) {
        if (v < 0x80) b[this.pos++] = v;
        else if (v < 0x100) {
          b[this.pos++] = 0xcc;
          b[this.pos++] = v;
        } else if (v < 0x10000) {
          b[this.pos++] = 0xcd;
          this.view.setUint16(this.pos, v);
          this.pos += 2;
        } else {
          b[this.pos++] = 0xce;
          this.view.setUint32(this.pos, v);
          this.pos += 4;
        }
      } else if (v >= -32) b[this.pos++] = v & 0xff;
      else if (v >= -0x80) {
        b[this.pos++] = 0xd0;
        b[this.pos++] = v & 0xff;
      } else if (v >= -0x8000) {
        b[this.pos++] = 0xd1;
        this.view.setInt16(this.pos, v);
        this.pos += 2;
      } else {
        b[this.pos++] = 0xd2;
        this.view.setInt32(this.pos, v);
        this.pos += 4;
      }
      return;
    }
    if (this.options.float32 && (Math.fround(v) === v || Number.isNaN(v))) {
      b[this.pos++] = 0xca;
      this.view.setFloat32(this.pos, v);
      this.pos += 4;
      return;
    }
    b[this.pos++] = 0xcb;
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  private writeBigInt(v: bigint): void {
    if (v < -(2n ** 63n) || v >= 2n ** 64n) throw new Unsupported(describeValue(v));
    this.ensure(9);
    if (v < 0n) {
      this.buf[this.pos++] = 0xd3;
      this.view.setBigInt64(this.pos, v);
    } else {
      this.buf[this.pos++] = 0xcf;
      this.view.setBigUint64(this.pos, v);
    }
    this.pos += 8;
  }

  private writeString(s: string): void {
    const len = s.length;
    if (len >= this.options.longString) return this.writeLongString(s);
    // At most 3 bytes per unit and len < longString (≤ a few hundred): reserve the header size
    // for the worst case, then move the bytes if the real length fits a smaller header.
    const max = len * 3;
    const header = max < 32 ? 1 : max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
    this.ensure(header + max);
    const b = this.buf;
    const start = this.pos + header;
    let o = start;
    for (let i = 0; i < len; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) b[o++] = c;
      else if (c < 0x800) {
        b[o++] = 0xc0 | (c >> 6);
        b[o++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const d = c <= 0xdbff && i + 1 < len ? s.charCodeAt(i + 1) : 0;
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
            b[o++] = 0xf0 | (c >> 18);
            b[o++] = 0x80 | ((c >> 12) & 0x3f);
            b[o++] = 0x80 | ((c >> 6) & 0x3f);
            b[o++] = 0x80 | (c & 0x3f);
            continue;
          }
          c = 0xfffd;
        }
        b[o++] = 0xe0 | (c >> 12);
        b[o++] = 0x80 | ((c >> 6) & 0x3f);
        b[o++] = 0x80 | (c & 0x3f);
      }
    }
    this.finishString(start, o - start, header);
  }

  private writeLongString(s: string): void {
    const max = s.length * 3;
    const header = max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
    this.ensure(header + max);
    const start = this.pos + header;
    const n = this.options.nativeUtf8
      ? textEncoder.encodeInto(s, this.buf.subarray(start)).written
      : this.options.kernels.utf8Encode(s, this.buf, start);
    this.finishString(start, n, header);
  }

  // Writes the smallest header for n bytes before `start`, moving the bytes if it is smaller
  // than the `reserved` one.
  private finishString(start: number, n: number, reserved: number): void {
    const header = n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    if (header !== reserved) this.buf.copyWithin(this.pos + header, start, start + n);
    this.writeHeader(n, 0xa0, 0xd9, header);
    this.pos += n;
  }

  // Header of a str (fix 0xa0, then 0xd9/0xda/0xdb) or bin (0xc4/0xc5/0xc6: no fix form).
  private writeHeader(n: number, fix: number, first: number, size: number): void {
    const b = this.buf;
    if (size === 1) b[this.pos++] = fix | n;
    else if (size === 2) {
      b[this.pos++] = first;
      b[this.pos++] = n;
    } else if (size === 3) {
      b[this.pos++] = first + 1;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      b[this.pos++] = first + 2;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
  }

  private writeContainerHeader(n: number, fix: number, b16: number): void {
    this.ensure(5);
    if (n < 16) this.buf[this.pos++] = fix | n;
    else if (n < 0x10000) {
      this.buf[this.pos++] = b16;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      this.buf[this.pos++] = b16 + 1;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
  }

  private enter(value: object): void {
    const stack = this.stack;
    if (stack.length >= this.options.maxDepth) {
      throw new Unsupported(stack.includes(value) ? 'a circular reference' : `nesting deeper than maxDepth (${this.options.maxDepth})`);
    }
    stack.push(value);
  }

  private writeObject(value: object): void {
    if (Array.isArray(value)) {
      this.enter(value);
      this.writeContainerHeader(value.length, 0x90, 0xdc);
      for (let i = 0; i < value.length; i++) {
        try {
          this.write(value[i]);
        } catch (error) {
          if (error instanceof Unsupported) error.path.push(`[${i}]`);
          throw error;
        }
      }
      this.stack.pop();
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.writePlainObject(value as Record<string, unknown>);
    if (value instanceof Uint8Array && proto === Uint8Array.prototype) return this.writeBin(value);
    if (ArrayBuffer.isView(value) && typedArrayCode.has(value.constructor)) return this.writeTypedArray(value);
    if (value instanceof Date) {
      const ms = value.getTime();
      if (Number.isNaN(ms)) throw new Unsupported(describeValue(value));
      return this.writeExt(EXT_TIMESTAMP, timestampPayload(ms));
    }
    if (value instanceof Map) return this.writeMap(value);
    if (value instanceof MsgpackExt) return this.writeExt(value.type, value.data);
    for (const ext of this.extensions) {
      if (ext.test(value)) return this.writeExt(ext.type, ext.encode(value));
    }
    throw new Unsupported(describeValue(value));
  }

  private writePlainObject(value: Record<string, unknown>): void {
    this.enter(value);
    const keys = Object.keys(value);
    this.writeContainerHeader(keys.length, 0x80, 0xde);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      this.writeString(key);
      try {
        this.write(value[key]);
      } catch (error) {
        if (error instanceof Unsupported) error.path.push(/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
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
        if (error instanceof Unsupported) error.path.push(`.get(${typeof key === 'string' ? JSON.stringify(key) : String(key)})`);
        throw error;
      }
    }
    this.stack.pop();
  }

  private writeBin(bytes: Uint8Array): void {
    const n = bytes.length;
    const header = n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    this.ensure(header + n);
    this.writeHeader(n, 0, 0xc4, header);
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  private writeTypedArray(array: ArrayBufferView): void {
    const n = array.byteLength;
    this.writeExtHeader(EXT_TYPED_ARRAY, n + 1);
    this.buf[this.pos++] = typedArrayCode.get(array.constructor)!;
    if (array instanceof Float32Array) this.options.kernels.packFloat32(array, this.buf, this.pos, false);
    else this.buf.set(new Uint8Array(array.buffer, array.byteOffset, n), this.pos);
    this.pos += n;
  }

  private writeExt(type: number, data: Uint8Array): void {
    this.writeExtHeader(type, data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  // fixext 1/2/4/8/16 when the size allows, else ext 8/16/32; leaves room for the payload.
  private writeExtHeader(type: number, n: number): void {
    this.ensure(6 + n);
    const b = this.buf;
    const fixed = n === 1 ? 0xd4 : n === 2 ? 0xd5 : n === 4 ? 0xd6 : n === 8 ? 0xd7 : n === 16 ? 0xd8 : 0;
    if (fixed !== 0) b[this.pos++] = fixed;
    else if (n < 0x100) {
      b[this.pos++] = 0xc7;
      b[this.pos++] = n;
    } else if (n < 0x10000) {
      b[this.pos++] = 0xc8;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      b[this.pos++] = 0xc9;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
    b[this.pos++] = type & 0xff;
  }
}
