/**
 * weft's MessagePack codec: the whole spec (every format family, the timestamp extension, ext
 * types), each value in its smallest format, and a round trip for every JS value it accepts:
 *
 * | JS value | written as | read back as |
 * |---|---|---|
 * | null, booleans | nil, bool | the same |
 * | safe integers (-0 excluded) | the smallest of fixint, int/uint 8/16/32/64 | number |
 * | other numbers (-0, NaN, ±Infinity, fractions, unsafe integers) | float 64 (float 32 with `float32` when exact) | number |
 * | bigint in [-2^63, 2^64) | int 64 when negative, else uint 64 | number when safe, else bigint (always bigint with `int64: 'bigint'`) |
 * | string | fixstr / str 8/16/32 (UTF-8; a lone surrogate becomes U+FFFD) | string |
 * | Uint8Array (and Buffer) | bin 8/16/32 | Uint8Array (a copy) |
 * | other typed arrays | ext 0x74 in msgpackr's layout (element code + little-endian elements) | the same typed array, on its own aligned buffer |
 * | arrays | fixarray / array 16/32 (holes as undefined) | array |
 * | plain objects (also null-prototype) | fixmap / map 16/32 with string keys, in `Object.keys` order | plain object; a `__proto__` key stays an own property |
 * | Map | fixmap / map 16/32 | plain object when every key is a string, else Map (always Map with `useMaps`) |
 * | Date | timestamp ext -1, 32/64/96-bit, the smallest that holds it | Date (nanoseconds truncated to ms; an instant beyond Date's range stays a MsgpackExt) |
 * | undefined | fixext 1 type 0, as msgpackr (nil with `undefinedAsNil`) | undefined (null) |
 * | registered {@link Extension}s, {@link MsgpackExt} | fixext 1/2/4/8/16 / ext 8/16/32 | the extension's value; MsgpackExt for unknown types |
 *
 * Anything else (functions, symbols, unregistered class instances, invalid Dates, bigints out of
 * range, circular references, nesting deeper than `maxDepth`) throws `EncodeUnsupportedError`
 * (`ENCODE_UNSUPPORTED`) naming the path, e.g. `cannot encode a function at $.items[3].handler`.
 * Malformed input (truncated, reserved byte 0xc1, trailing bytes, a length beyond the input,
 * nesting deeper than `maxDepth`, an invalid timestamp) throws `DecodeInvalidError`
 * (`DECODE_INVALID`) with the byte `offset`.
 *
 * @packageDocumentation
 */
import { getKernels } from '../kernels/index.js';
import type { CodecKernels } from '../kernels/types.js';
import { Decoder } from './decode.js';
import { Encoder } from './encode.js';
import { resolveCodecOptions, type CodecOptions, type ResolvedCodecOptions } from './options.js';

export { DEFAULT_CODEC_OPTIONS } from './options.js';
export type { CodecOptions, DecodeOptions, EncodeOptions, Int64Mode, ResolvedCodecOptions } from './options.js';
export { MsgpackExt } from './ext.js';
export type { Extension } from './ext.js';

/**
 * An encoder/decoder pair with fixed options, each with a reusable working buffer. Calls are
 * synchronous; an extension's callback may call back into the same codec.
 */
export interface Codec {
  /**
   * Encodes `value` into a new Uint8Array.
   * @throws EncodeUnsupportedError (`ENCODE_UNSUPPORTED`) naming the path of an unsupported value.
   */
  encode(value: unknown): Uint8Array;
  /**
   * Decodes the one value that spans all of `bytes`.
   * @throws DecodeInvalidError (`DECODE_INVALID`) with the byte offset of malformed data;
   *   TypeError when `bytes` is not a Uint8Array.
   */
  decode(bytes: Uint8Array): unknown;
  /** The resolved options. */
  readonly options: ResolvedCodecOptions;
}

/**
 * Creates a codec. Options are validated once, here; see {@link CodecOptions} for each default.
 *
 * @example
 * ```ts
 * const codec = createCodec({ kernels: createTsKernels().codec });
 * codec.decode(codec.encode({ id: 'a', embedding: new Float32Array(384) }));
 * ```
 * @throws TypeError/RangeError naming a bad option.
 */
export function createCodec(options: CodecOptions = {}): Codec {
  const resolved = resolveCodecOptions(options, () => getKernels().codec);
  const encoder = new Encoder(resolved);
  const decoder = new Decoder(resolved);
  // A nested call (from an extension's callback) needs an encoder or decoder of its own. They are
  // kept, one per nesting level, because building one allocates its buffer and indexes the
  // extensions: a store writing 50,000 errors (an extension that encodes its fields) spent most
  // of its time doing that when each nested call built a fresh one.
  const encoders: Encoder[] = [encoder];
  const decoders: Decoder[] = [decoder];
  return {
    encode: (value) => (encoder.busy ? idle(encoders, () => new Encoder(resolved)) : encoder).encode(value),
    decode: (bytes) => (decoder.busy ? idle(decoders, () => new Decoder(resolved)) : decoder).decode(bytes),
    options: resolved,
  };
}

let shared: Codec | undefined;
let sharedKernels: CodecKernels | undefined;

function defaultCodec(): Codec {
  // Rebuilt when initKernels() has switched the active kernels since the last call.
  const kernels = getKernels().codec;
  if (shared === undefined || sharedKernels !== kernels) {
    shared = createCodec({ kernels });
    sharedKernels = kernels;
  }
  return shared;
}

/**
 * Encodes `value` with the default options and the active kernels (see {@link createCodec}).
 * @throws EncodeUnsupportedError (`ENCODE_UNSUPPORTED`) naming the path of an unsupported value.
 */
export function encode(value: unknown): Uint8Array {
  return defaultCodec().encode(value);
}

/**
 * Decodes `bytes` with the default options and the active kernels (see {@link createCodec}).
 * @throws DecodeInvalidError (`DECODE_INVALID`) with the byte offset of malformed data.
 */
export function decode(bytes: Uint8Array): unknown {
  return defaultCodec().decode(bytes);
}

// Nesting deeper than this is rare (an error's cause chain); such calls get a fresh one each.
const MAX_KEPT = 16;

/** The first of `pool` not in use, or a new one (kept while the pool is small). */
function idle<T extends { busy: boolean }>(pool: T[], create: () => T): T {
  for (let k = 1; k < pool.length; k++) if (!pool[k].busy) return pool[k];
  const fresh = create();
  if (pool.length < MAX_KEPT) pool.push(fresh);
  return fresh;
}
