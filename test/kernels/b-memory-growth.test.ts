// Calls whose own inputs make WASM memory grow (the module starts with 128 KiB): a view of the
// memory taken before the call's scratch region is allocated would be detached afterwards. Each
// run uses a fresh instance, so its first call is the one that grows memory; results must equal
// the TS twin's, and integer-valued data keeps float32 sums exact.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KernelSet, Metric } from '../../src/kernels/types.js';
import { tsKernels, wasmKernels } from '../helpers/backends.js';

let ts: KernelSet;
beforeAll(() => {
  ts = tsKernels();
});

/** Integer-valued floats in [-8, 8] from a seed (no fast-check array of 100K elements needed). */
function ints(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) % 17 - 8;
  }
  return out;
}

/** Floats of every kind of bit pattern (NaN payloads aside) from a seed. */
function bits(length: number, seed: number): Float32Array {
  const words = new Uint32Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s >>> 0;
  }
  const out = new Float32Array(words.buffer);
  for (let i = 0; i < length; i++) if (Number.isNaN(out[i])) out[i] = i;
  return out;
}

// From 64K floats (256 KiB, twice the initial memory) up: every size outgrows a fresh instance.
const size = fc.integer({ min: 1 << 16, max: 1 << 18 });
const seed = fc.integer({ min: 1, max: 0x7fffffff });
const metric = fc.constantFrom<Metric>('dot', 'cosine', 'l2');

describe('WASM kernels on inputs that grow memory', () => {
  it('packFloat32 writes the same bytes as the TS twin, at any offset and byte order', async () => {
    await fc.assert(
      fc.asyncProperty(size, seed, fc.integer({ min: 0, max: 7 }), fc.boolean(), async (n, s, offset, bigEndian) => {
        const wasm = await wasmKernels();
        const src = bits(n, s);
        const a = new Uint8Array(offset + n * 4);
        const b = new Uint8Array(offset + n * 4);
        expect(wasm.codec.packFloat32(src, a, offset, bigEndian)).toBe(n * 4);
        ts.codec.packFloat32(src, b, offset, bigEndian);
        expect(Buffer.compare(a, b)).toBe(0);
        // And back, through a region the first call already grew.
        const back = new Float32Array(n);
        wasm.codec.unpackFloat32(a, offset, bigEndian, back);
        expect(Buffer.compare(Buffer.from(back.buffer), Buffer.from(src.buffer))).toBe(0);
      }),
      { numRuns: 12 },
    );
  });

  it('scan scores every row like the TS twin', async () => {
    await fc.assert(
      fc.asyncProperty(size, seed, fc.integer({ min: 1, max: 64 }), metric, async (n, s, dim, m) => {
        const wasm = await wasmKernels();
        const rows = Math.ceil(n / dim);
        const matrix = ints(rows * dim, s);
        const query = ints(dim, s + 1);
        const a = new Float32Array(rows);
        const b = new Float32Array(rows);
        wasm.vector.scan(query, matrix, m, a);
        ts.vector.scan(query, matrix, m, b);
        expect(a).toEqual(b);
      }),
      { numRuns: 12 },
    );
  });

  it('scanTopK finds the same rows and scores as the TS twin', async () => {
    await fc.assert(
      fc.asyncProperty(size, seed, fc.integer({ min: 1, max: 64 }), metric, fc.integer({ min: 1, max: 50 }), async (n, s, dim, m, k) => {
        const wasm = await wasmKernels();
        const rows = Math.ceil(n / dim);
        const matrix = ints(rows * dim, s);
        const query = ints(dim, s + 1);
        const want = Math.min(k, rows);
        const a = [new Uint32Array(want), new Float32Array(want)] as const;
        const b = [new Uint32Array(want), new Float32Array(want)] as const;
        expect(wasm.vector.scanTopK(query, matrix, m, k, a[0], a[1])).toBe(ts.vector.scanTopK(query, matrix, m, k, b[0], b[1]));
        expect([...a[0]]).toEqual([...b[0]]);
        expect([...a[1]]).toEqual([...b[1]]);
      }),
      { numRuns: 12 },
    );
  });
});
