import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { CodecKernels } from '../kernels/types.js';
import { indexExtensions, type Extension } from './ext.js';

/** Options of the MessagePack encoder. */
export interface EncodeOptions {
  /**
   * Write a non-integer number as float 32 when that is exact (5 bytes instead of 9).
   * @default false
   */
  readonly float32?: boolean;
  /**
   * Write `undefined` as nil (0xc0), so it decodes as `null` (what most MessagePack peers
   * expect). By default it is written as fixext 1 of type 0, as msgpackr does, and decodes as
   * `undefined`.
   * @default false
   */
  readonly undefinedAsNil?: boolean;
  /**
   * Deepest nesting of arrays, maps and objects accepted (the root container is level 1).
   * Deeper values throw `ENCODE_UNSUPPORTED`; a circular reference is reported when it gets there.
   * @default 512
   */
  readonly maxDepth?: number;
  /** Application extension types (see {@link Extension}). @default [] */
  readonly extensions?: readonly Extension<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each entry has its own value type
  /**
   * Strings of at least this many UTF-16 units (encoding) or UTF-8 bytes (decoding) go through
   * the runtime's TextEncoder/TextDecoder, or the kernels' UTF-8 with `nativeUtf8: false`.
   * Shorter ones take an inline loop, faster than any call for ids and keys (measured: the
   * native calls cost ~150-200 ns however short the string, the loop ~5 ns per character).
   * @default 32
   */
  readonly longString?: number;
  /**
   * Use the runtime's TextEncoder/TextDecoder for long strings rather than the kernels'
   * `utf8Encode`/`utf8Decode`. Native code measured faster than both kernel backends on the
   * strings of typical messages; `false` sends every long string through the kernels, e.g. to
   * compare the WASM and TS backends. Both produce identical bytes and strings.
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
   * `'bigint'`: always as bigint (so every bigint round-trips as a bigint; numbers beyond 32 bits,
   * which are written as int 64 / uint 64, then come back as bigint too).
   * @default 'auto'
   */
  readonly int64?: Int64Mode;
  /**
   * Decode every map as a `Map`. Without it, a map becomes a plain object, unless one of its keys
   * is not a string: then it becomes a `Map`.
   * @default false
   */
  readonly useMaps?: boolean;
  /** Deepest nesting accepted (the root container is level 1). @default 512 */
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
  /**
   * The codec kernels that pack Float32Array payloads and, with `nativeUtf8: false`, encode and
   * decode long strings. Pass `createTsKernels().codec` or a WASM set's `codec` to pick a backend.
   * @default `getKernels().codec` when the codec is created
   */
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

/** {@link CodecOptions} with every default filled in, as {@link createCodec} resolved them. */
export type ResolvedCodecOptions = Readonly<Required<Omit<CodecOptions, 'kernels'>>> & { readonly kernels: CodecKernels };

const KERNEL_METHODS = ['utf8Encode', 'utf8Decode', 'packFloat32', 'unpackFloat32'] as const;

function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(expectedMessage(name, 'a boolean', value));
  return value;
}

/**
 * Fills in defaults and validates every option once, so encode and decode never re-check them.
 * @throws TypeError/RangeError naming the first bad option.
 */
export function resolveCodecOptions(options: CodecOptions, defaultKernels: () => CodecKernels): ResolvedCodecOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object', options));
  // Only the known keys, and `undefined` meaning "default" as everywhere in weft.
  const pick = <K extends keyof typeof DEFAULT_CODEC_OPTIONS>(k: K) => (options[k] === undefined ? DEFAULT_CODEC_OPTIONS[k] : options[k]);
  const resolved = {
    float32: bool('float32', pick('float32')),
    undefinedAsNil: bool('undefinedAsNil', pick('undefinedAsNil')),
    maxDepth: checkInteger('maxDepth', pick('maxDepth'), 1, 100_000),
    extensions: pick('extensions'),
    longString: checkInteger('longString', pick('longString'), 1),
    int64: pick('int64'),
    useMaps: bool('useMaps', pick('useMaps')),
    nativeUtf8: bool('nativeUtf8', pick('nativeUtf8')),
    kernels: options.kernels ?? defaultKernels(),
  };
  if (resolved.int64 !== 'auto' && resolved.int64 !== 'bigint') {
    throw new TypeError(expectedMessage('int64', "'auto' or 'bigint'", resolved.int64));
  }
  if (!Array.isArray(resolved.extensions)) {
    throw new TypeError(expectedMessage('extensions', 'an array of extensions', resolved.extensions));
  }
  indexExtensions(resolved.extensions);
  const k = resolved.kernels as unknown as Record<string, unknown>;
  const missing = typeof k === 'object' && k !== null ? KERNEL_METHODS.find((m) => typeof k[m] !== 'function') : 'utf8Encode';
  if (missing !== undefined) throw new TypeError(expectedMessage('kernels', 'a CodecKernels object', resolved.kernels));
  resolved.extensions = Object.freeze([...resolved.extensions]);
  return Object.freeze(resolved);
}
