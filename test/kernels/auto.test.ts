import { beforeAll, describe, expect, it } from 'vitest';
import { AUTO_BACKENDS, AUTO_CODEC_OPS, autoCodecKernels } from '../../src/kernels/auto.js';
import type { KernelSet } from '../../src/kernels/types.js';
import { bothBackends } from '../helpers/backends.js';

let wasm: KernelSet;
let ts: KernelSet;
beforeAll(async () => {
  [wasm, ts] = await bothBackends();
});

describe('auto backend choices', () => {
  it('uses WASM for vector and graph kernels and mixes the codec family', () => {
    expect(AUTO_BACKENDS).toEqual({ vector: 'wasm', graph: 'wasm', codec: 'mixed' });
  });

  it('composes the codec kernels per operation as documented', () => {
    const auto = autoCodecKernels(wasm.codec, ts.codec);
    expect(auto.utf8Encode).toBe(ts.codec.utf8Encode);
    expect(auto.utf8Decode).toBe(wasm.codec.utf8Decode);
    expect(auto.xxh64).toBe((AUTO_CODEC_OPS.xxh64 === 'wasm' ? wasm : ts).codec.xxh64);
    expect(auto.encodeVarints).toBe(wasm.codec.encodeVarints);
  });

  it('gives the same results as either backend, both endiannesses', () => {
    const auto = autoCodecKernels(wasm.codec, ts.codec);
    const src = new Float32Array([1.5, -2, 3e-7]);
    for (const be of [true, false]) {
      const a = new Uint8Array(12);
      const b = new Uint8Array(12);
      auto.packFloat32(src, a, 0, be);
      ts.codec.packFloat32(src, b, 0, be);
      expect(a).toEqual(b);
      const back = new Float32Array(3);
      auto.unpackFloat32(a, 0, be, back);
      expect(back).toEqual(src);
    }
    const bytes = new TextEncoder().encode('héllo wörld');
    expect(auto.utf8Decode(bytes, 0, bytes.length)).toBe('héllo wörld');
    expect(auto.xxh32(bytes)).toBe(ts.codec.xxh32(bytes));
  });
});
