import { expectedMessage } from '../internal/validate.js';

/**
 * An application extension type: values for which `test` returns true are written as ext
 * `type` with the bytes `encode` returns, and ext `type` is read back through `decode`.
 * Types 0 (undefined) and 0x74 (typed arrays) are weft's own, compatible with msgpackr;
 * negative types are reserved by the MessagePack spec (-1 is the timestamp).
 */
export interface Extension<T = unknown> {
  /** The ext type, 1..127 except 0x74. */
  readonly type: number;
  /** Whether `value` is one of this extension's values (tried for objects that are not plain). */
  readonly test: (value: unknown) => value is T;
  /** The payload for `value`. */
  readonly encode: (value: T) => Uint8Array;
  /** Rebuilds a value from the payload (a copy the decoder owns). */
  readonly decode: (data: Uint8Array) => T;
}

/** An ext value of a type the decoder has no extension for; encoding it writes it back unchanged. */
export class MsgpackExt {
  /** The ext type, -128..127. */
  readonly type: number;
  /** The payload. */
  readonly data: Uint8Array;

  constructor(type: number, data: Uint8Array) {
    if (!Number.isInteger(type) || type < -128 || type > 127) throw new RangeError(expectedMessage('type', 'an integer in [-128, 127]', type));
    if (!(data instanceof Uint8Array)) throw new TypeError(expectedMessage('data', 'a Uint8Array', data));
    this.type = type;
    this.data = data;
  }
}

/** weft's ext type for `undefined` (msgpackr's too). */
export const EXT_UNDEFINED = 0;
/** weft's ext type for typed arrays: payload = element-type byte + raw little-endian bytes (msgpackr's format). */
export const EXT_TYPED_ARRAY = 0x74;
/** The MessagePack timestamp type. */
export const EXT_TIMESTAMP = -1;

/** Typed array constructors by msgpackr's element-type code. */
export const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

/** Validates extensions and indexes them by type. */
export function indexExtensions(extensions: readonly Extension[]): Map<number, Extension> {
  const byType = new Map<number, Extension>();
  extensions.forEach((ext, i) => {
    const name = `extensions[${i}]`;
    if (typeof ext !== 'object' || ext === null) throw new TypeError(expectedMessage(name, 'an extension object', ext));
    if (!Number.isInteger(ext.type) || ext.type < 1 || ext.type > 127 || ext.type === EXT_TYPED_ARRAY) {
      throw new RangeError(expectedMessage(`${name}.type`, 'an integer in [1, 127] other than 116 (0x74)', ext.type));
    }
    for (const fn of ['test', 'encode', 'decode'] as const) {
      if (typeof ext[fn] !== 'function') throw new TypeError(expectedMessage(`${name}.${fn}`, 'a function', ext[fn]));
    }
    if (byType.has(ext.type)) throw new RangeError(`Duplicate extension type ${ext.type} in \`extensions\``);
    byType.set(ext.type, ext);
  });
  return byType;
}
