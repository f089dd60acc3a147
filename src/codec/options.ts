import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { CodecKernels } from '../kernels/types.js';
import type { Extension } from './ext.js';

/** Options of the MessagePack encoder. */
export interface EncodeOptions {
  /**
   * Write a non-integer number as float 32 when that is exact (5 bytes instead of 9).
   * @default false
   */
  readonly float32?: boolean;
  /**
   * Write `undefined` as nil (0xc0), so it decodes as `null`. By default it is written as
   * fixext 1 of type 0 (as msgpackr does) and decodes as `undefined`.
   * @default false
   */
  readonly undefinedAsNil?: boolean;
  /** Deepest nesting of arrays, maps and objects accepted. @default 512 */
  readonly maxDepth?: number;
  /** Application extension types (see {@link Extension}). @default [] */
  readonly extensions?: readonly Extension<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each entry has its own value type
  /**
   * Strings of this many UTF-16 units (encoding) or bytes (decoding) or more go through the
   * kernels' UTF-8 (or, with `nativeUtf8`, TextEncoder/TextDecoder); shorter ones through an
   * inline loop, which is faster than any call for short ids and keys.
   * @default 32
   */
  readonly longString?: number;
  /**
   * Use the runtime's TextEncoder/TextDecoder for long strings instead of the UTF-8 kernels
   * (native code, measured faster than both kernel backends: see README.md).
   * @default true
   */
  readonly nativeUtf8?: boolean;
}

/** How int 64 / uint 64 values decode. */
export type Int64Mode = 'auto' | 'bigint';

/** Options of the MessagePack decoder. */
export interface DecodeOptions {
  /**
   * `'auto'`: int 64 / uint 64 decode as numbers when they are safe integers, else as bigint;
   * `'bigint'`: always as bigint (so every bigint round-trips as a bigint).
   * @default 'auto'
   */
  readonly int64?: Int64Mode;
  /** Decode every map as a `Map` (by default, maps whose keys are all strings become objects). @default false */
  readonly useMaps?: boolean;
  /** Deepest nesting accepted. @default 512 */
  readonly maxDepth?: number;
  /** Application extension types (see {@link Extension}). @default [] */
  readonly extensions?: readonly Extension<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each entry has its own value type
  /** See {@link EncodeOptions.longString}. @default 32 */
  readonly longString?: number;
  /** See {@link EncodeOptions.nativeUtf8}. @default true */
  readonly nativeUtf8?: boolean;
}

/** Options of {@link createCodec}: the encoder's and decoder's, plus the kernels to use. */
export interface CodecOptions extends EncodeOptions, DecodeOptions {
  /** The codec kernels (UTF-8, float32 packing). @default `getKernels().codec` */
  readonly kernels?: CodecKernels;
}

/** Defaults of {@link CodecOptions} (without `kernels`). */
export const DEFAULT_CODEC_OPTIONS = Object.freeze({
  float32: false,
  undefinedAsNil: false,
  maxDepth: 512,
  extensions: Object.freeze([]) as readonly Extension[],
  longString: 32,
  int64: 'auto' as Int64Mode,
  useMaps: false,
  nativeUtf8: true,
});

/** Resolved options. */
export type ResolvedCodecOptions = Readonly<Required<Omit<CodecOptions, 'kernels'>>> & { readonly kernels: CodecKernels };

function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(expectedMessage(name, 'a boolean', value));
  return value;
}

/** Resolves and validates options once; throws TypeError/RangeError naming a bad option. */
export function resolveCodecOptions(options: CodecOptions, kernels: CodecKernels): ResolvedCodecOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  const o = { ...DEFAULT_CODEC_OPTIONS, ...options };
  bool('float32', o.float32);
  bool('undefinedAsNil', o.undefinedAsNil);
  bool('useMaps', o.useMaps);
  bool('nativeUtf8', o.nativeUtf8);
  checkInteger('maxDepth', o.maxDepth, 1, 100_000);
  checkInteger('longString', o.longString, 1);
  if (o.int64 !== 'auto' && o.int64 !== 'bigint') throw new TypeError(expectedMessage('int64', "'auto' or 'bigint'", o.int64));
  if (!Array.isArray(o.extensions)) throw new TypeError(expectedMessage('extensions', 'an array of extensions', o.extensions));
  return Object.freeze({ ...o, kernels: options.kernels ?? kernels });
}
