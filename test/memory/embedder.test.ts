import { describe, expect, it } from 'vitest';
import { embedChecked, embedderFromFunction, isEmbedder } from '../../src/memory/embedder.js';

describe('embedders', () => {
  it('wraps a plain function (sync or async) with an id and dimension', async () => {
    const e = embedderFromFunction((texts) => texts.map((t) => Float32Array.of(t.length, 1)), 2, 'len');
    expect([e.id, e.dim, isEmbedder(e)]).toEqual(['len', 2, true]);
    expect((await e.embed(['abc'])).map((v) => Array.from(v))).toEqual([[3, 1]]);
    expect(isEmbedder(() => [])).toBe(false);
  });

  it('checks what an embedder returns: count, type and dimension', async () => {
    const bad = (out: unknown) => embedderFromFunction(async () => out as Float32Array[], 2, 'bad');
    await expect(embedChecked(bad([]), ['a'])).rejects.toThrow('embedding failed: embedder bad returned 0 vectors for 1 texts');
    await expect(embedChecked(bad([[1, 2]]), ['a'])).rejects.toThrow('embedding failed: embedder bad returned a Array at 0, not a Float32Array');
    await expect(embedChecked(bad([new Float32Array(3)]), ['a'])).rejects.toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    await expect(embedChecked(bad('nope'), ['a'])).rejects.toThrow(expect.objectContaining({ code: 'EMBEDDING_FAILED' }));
  });

  it('does not call the embedder once aborted', async () => {
    let called = false;
    const e = embedderFromFunction(async () => {
      called = true;
      return [];
    }, 2);
    await expect(embedChecked(e, ['a'], AbortSignal.abort())).rejects.toThrow(/abort/i);
    expect(called).toBe(false);
  });
});
