// Ext types: weft's own (undefined, typed arrays, the spec's timestamp) and the registry of
// application extensions.
import { expectedMessage } from '../internal/validate.js';

/**
 * An application extension type. Values that are instances of `class` (and/or for which `test`
 * returns true) are written as ext `type` with the bytes `encode` returns; ext `type` is read
 * back through `decode`. At least one of `class` and `test` is required; with both, a value must
 * pass both.
 *
 * Extensions are tried, in order, for every object that is not a plain object or an array, before
 * weft's own types (so one may take over `Map` or `Date`). Types 0 (undefined) and 0x74 (typed
 * arrays) are weft's own, compatible with msgpackr; negative types are reserved by the
 * MessagePack spec (-1 is the timestamp), so neither can be registered.
 *
 * @example
 * ```ts
 * const point: Extension<Point> = {
 *   type: 7,
 *   class: Point,
 *   encode: (p) => new Uint8Array([p.x, p.y]),
 *   decode: (d) => new Point(d[0], d[1]),
 * };
 * const codec = createCodec({ extensions: [point] });
 * ```
 */
export interface Extension<T = unknown> {
  /** The ext type, 1..127 except 0x74. */
  readonly type: number;
  /** The class whose instances (subclasses included) this extension writes. */
  readonly class?: abstract new (...args: any[]) => T; // eslint-disable-line @typescript-eslint/no-explicit-any -- any constructor
  /** Whether `value` is one of this extension's values (a truthy result means yes). */
  readonly test?: (value: unknown) => unknown;
  /** The payload for `value`: must return a Uint8Array (it is copied). */
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

  /**
   * @param type - the ext type, an integer in [-128, 127]
   * @param data - the payload
   * @throws RangeError/TypeError for a bad `type` or `data`.
   */
  constructor(type: number, data: Uint8Array) {
    if (!Number.isInteger(type) || type < -128 || type > 127) throw new RangeError(expectedMessage('type', 'an integer in [-128, 127]', type));
    if (!(data instanceof Uint8Array)) throw new TypeError(expectedMessage('data', 'a Uint8Array', data));
    this.type = type;
    this.data = data;
  }
}

/** weft's ext type for `undefined` (msgpackr's too): fixext 1, payload 0. */
export const EXT_UNDEFINED = 0;
/** weft's ext type for typed arrays: payload = element-type byte + the raw little-endian elements (msgpackr's format). */
export const EXT_TYPED_ARRAY = 0x74;
/** The MessagePack timestamp type. */
export const EXT_TIMESTAMP = -1;

/** Typed array constructors, indexed by msgpackr's element-type code (the first payload byte of ext 0x74). */
export const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

const typedArrayCodes = new Map<unknown, number>(TYPED_ARRAYS.map((ctor, i) => [ctor, i]));

/** The element-type code of a typed array (subclasses included), `undefined` for other views. */
export function typedArrayCode(value: ArrayBufferView): number | undefined {
  const code = typedArrayCodes.get(value.constructor);
  if (code !== undefined) return code;
  const i = TYPED_ARRAYS.findIndex((ctor) => value instanceof ctor);
  return i < 0 ? undefined : i;
}

/** Validated extensions: the encoder's ordered matchers and the decoder's table by type. */
export interface ExtensionRegistry {
  /** The extensions in registration order, for matching values. */
  readonly list: readonly Extension[];
  /** `byType[type]` for types 0..127. */
  readonly byType: readonly (Extension | undefined)[];
}

/**
 * Validates `extensions` and indexes them.
 * @throws TypeError/RangeError naming the bad entry, e.g. `extensions[2].type`.
 */
export function indexExtensions(extensions: readonly Extension[]): ExtensionRegistry {
  const byType: (Extension | undefined)[] = new Array(128).fill(undefined);
  extensions.forEach((ext, i) => {
    const name = `extensions[${i}]`;
    if (typeof ext !== 'object' || ext === null) throw new TypeError(expectedMessage(name, 'an extension object', ext));
    if (!Number.isInteger(ext.type) || ext.type < 1 || ext.type > 127 || ext.type === EXT_TYPED_ARRAY) {
      throw new RangeError(expectedMessage(`${name}.type`, 'an integer in [1, 127] other than 116 (0x74)', ext.type));
    }
    for (const fn of ['encode', 'decode'] as const) {
      if (typeof ext[fn] !== 'function') throw new TypeError(expectedMessage(`${name}.${fn}`, 'a function', ext[fn]));
    }
    if (ext.class === undefined && ext.test === undefined) {
      throw new TypeError(expectedMessage(`${name}.class`, 'a class (or `test` a function)', ext.class));
    }
    for (const fn of ['class', 'test'] as const) {
      if (ext[fn] !== undefined && typeof ext[fn] !== 'function') throw new TypeError(expectedMessage(`${name}.${fn}`, 'a function', ext[fn]));
    }
    if (byType[ext.type] !== undefined) throw new RangeError(expectedMessage(`${name}.type`, 'a type not registered before', ext.type));
    byType[ext.type] = ext;
  });
  return { list: extensions, byType };
}

/** Whether `value` belongs to `ext`. */
export function matchesExtension(ext: Extension, value: object): boolean {
  return (ext.class === undefined || value instanceof ext.class) && (ext.test === undefined || Boolean(ext.test(value)));
}
