// What `initKernels({ backend: 'auto' })` uses once WebAssembly has loaded, from `npm run bench`
// medians on a 2-core x86-64 machine (the figures are in README.md). Where a WASM kernel loses
// to its TS twin (the copy into linear memory costs more than the kernel saves), TS is the
// default for it.
import type { BackendName, CodecKernels } from './types.js';

/** The backend serving a family: one of the two, or a per-operation mix. */
export type FamilyBackend = BackendName | 'mixed';

/** The kernel families. */
export type KernelFamily = 'vector' | 'graph' | 'codec';

/**
 * Per family, the backend `auto` uses: vector and graph kernels are faster in WASM at every
 * measured size (including copies); the codec family mixes per operation (see {@link AUTO_CODEC_OPS}).
 */
export const AUTO_BACKENDS: Readonly<Record<KernelFamily, FamilyBackend>> = Object.freeze({
  vector: 'wasm',
  graph: 'wasm',
  codec: 'mixed',
});

/**
 * Per codec operation, the backend `auto` uses. UTF-8 encoding is faster in TS (the string must
 * be copied into linear memory unit by unit, which is most of the work); little-endian float32
 * packing is a plain copy that TS does once and WASM three times; everything else wins in WASM.
 */
export const AUTO_CODEC_OPS: Readonly<Record<keyof CodecKernels | 'packFloat32 big-endian', BackendName>> = Object.freeze({
  utf8Encode: 'ts',
  utf8Decode: 'wasm',
  packFloat32: 'ts',
  unpackFloat32: 'ts',
  'packFloat32 big-endian': 'wasm',
  encodeVarints: 'wasm',
  decodeVarints: 'wasm',
  xxh32: 'wasm',
  xxh64: 'wasm',
});

/** Composes the codec kernels `auto` uses from both backends, per {@link AUTO_CODEC_OPS}. */
export function autoCodecKernels(wasm: CodecKernels, ts: CodecKernels): CodecKernels {
  const pick = (op: keyof typeof AUTO_CODEC_OPS) => (AUTO_CODEC_OPS[op] === 'wasm' ? wasm : ts);
  const le = pick('packFloat32');
  const be = pick('packFloat32 big-endian');
  return {
    utf8Encode: pick('utf8Encode').utf8Encode,
    utf8Decode: pick('utf8Decode').utf8Decode,
    packFloat32: (src, out, offset, bigEndian) => (bigEndian ? be : le).packFloat32(src, out, offset, bigEndian),
    unpackFloat32: (bytes, offset, bigEndian, out) => (bigEndian ? be : le).unpackFloat32(bytes, offset, bigEndian, out),
    encodeVarints: pick('encodeVarints').encodeVarints,
    decodeVarints: pick('decodeVarints').decodeVarints,
    xxh32: pick('xxh32').xxh32,
    xxh64: pick('xxh64').xxh64,
  };
}
