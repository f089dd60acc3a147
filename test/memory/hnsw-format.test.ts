import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { hnswBytesProblem } from '../../src/memory/hnsw-format.js';
import { DEFAULT_HNSW_PARAMS, HnswIndex } from '../../src/memory/hnsw-index.js';
import { loadHnsw } from '../../src/memory/hnsw-loader.js';

describe('hnswBytesProblem', () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    const index = HnswIndex.create(await loadHnsw(), 6, DEFAULT_HNSW_PARAMS, 4);
    index.add(
      Array.from({ length: 50 }, (_, i) => i),
      Array.from({ length: 50 }, (_, i) => Float32Array.from({ length: 6 }, (_, j) => Math.sin(i * 7 + j))),
    );
    bytes = await index.toBytes();
  });

  it('accepts what hnswlib wrote', () => {
    expect(hnswBytesProblem(bytes, 6)).toBeUndefined();
  });

  it('names the problem of other bytes', () => {
    expect(hnswBytesProblem(bytes, 7)).toBe('vectors of 6 floats, expected 7');
    expect(hnswBytesProblem(new Uint8Array(10), 6)).toBe('10 bytes is shorter than the header');
    expect(hnswBytesProblem(new Uint8Array([...bytes, 0]), 6)).toBe('1 bytes after the last element');
  });

  it('rejects every truncation (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (end) => {
        expect(hnswBytesProblem(bytes.subarray(0, end), 6)).toBeDefined();
      }),
    );
  });
});
