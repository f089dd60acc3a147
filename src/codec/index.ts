/**
 * weft's MessagePack codec: the full spec (every format family, the timestamp extension, ext
 * types), round-tripping every JS value it accepts.
 *
 * | JS value | written as | read back as |
 * |---|---|---|
 * | null, booleans | nil, bool | the same |
 * | integers in [-2^31, 2^32) | the smallest int family | number |
 * | other numbers (incl. -0, NaN, ±Infinity, larger integers) | float 64 (float 32 with `float32` when exact) | number |
 * | bigint in [-2^63, 2^64) | int 64 / uint 64 | bigint (number when safe, under `int64: 'auto'`) |
 * | string | str (UTF-8; lone surrogates as U+FFFD) | string |
 * | Uint8Array | bin | Uint8Array |
 * | other typed arrays | ext 0x74 (msgpackr's format) | the same typed array |
 * | arrays | array (holes as undefined) | array |
 * | plain objects | map with string keys | plain object |
 * | Map | map | object if every key is a string (or Map with `useMaps`), else Map |
 * | Date | timestamp ext -1 (32/64/96-bit) | Date |
 * | undefined | fixext 1 type 0 (or nil with `undefinedAsNil`) | undefined |
 * | {@link MsgpackExt}, registered {@link Extension}s | ext | the same |
 *
 * Anything else (functions, symbols, unregistered class instances, circular references)
 * throws `EncodeUnsupportedError` naming the path, e.g. `$.items[3].handler`.
 *
 * @packageDocumentation
 */
import { getKernels } from '../kernels/index.js';
import { Decoder } from './decoder.js';
import { Encoder } from './encoder.js';
import { resolveCodecOptions, type CodecOptions, type ResolvedCodecOptions } from './options.js';

/** An encoder/decoder pair with fixed options. Not re-entrant: one call at a time per codec. */
export interface Codec {
  /** Encodes `value` into a new Uint8Array. */
  encode(value: unknown): Uint8Array;
  /** Decodes one value spanning all of `bytes`. */
  decode(bytes: Uint8Array): unknown;
  /** The resolved options. */
  readonly options: ResolvedCodecOptions;
}

/**
 * Creates a codec. Options are validated once here.
 * @throws TypeError/RangeError naming a bad option.
 */
export function createCodec(options: CodecOptions = {}): Codec {
  const resolved = resolveCodecOptions(options, options.kernels ?? getKernels().codec);
  const encoder = new Encoder(resolved);
  const decoder = new Decoder(resolved);
  return {
    encode: (value) => encoder.encode(value),
    decode: (bytes) => decoder.decode(bytes),
    options: resolved,
  };
}

let shared: Codec | undefined;
let sharedKernels: unknown;

function defaultCodec(): Codec {
  // Rebuilt when initKernels() switches the active kernels.
  const kernels = getKernels().codec;
  if (shared === undefined || sharedKernels !== kernels) {
    shared = createCodec({ kernels });
    sharedKernels = kernels;
  }
  return shared;
}

/** Encodes `value` with the default options. */
export function encode(value: unknown): Uint8Array {
  return defaultCodec().encode(value);
}

/** Decodes `bytes` with the default options. */
export function decode(bytes: Uint8Array): unknown {
  return defaultCodec().decode(bytes);
}
