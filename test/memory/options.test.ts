import { describe, expect, it } from 'vitest';
import { createHashingEmbedder } from '../../src/memory/hashing-embedder.js';
import { DEFAULT_MEMORY_OPTIONS, resolveMemoryOptions } from '../../src/memory/options.js';

describe('memory options', () => {
  it('resolves defaults and freezes the result', () => {
    const o = resolveMemoryOptions({});
    expect(o.dim).toBe(256);
    expect(o.embedder.id).toBe('hashing-v2:uni');
    expect(o.hnswThreshold).toBe(DEFAULT_MEMORY_OPTIONS.hnswThreshold);
    expect(o.hnsw).toEqual({ m: 16, efConstruction: 100, efSearch: 100 });
    expect(o.exactFilterLimit).toBe(4096);
    expect(o.indexThread).toBe(true);
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('takes the dimension from an Embedder and checks one given beside it', () => {
    expect(resolveMemoryOptions({ embedder: createHashingEmbedder({ dim: 12 }) }).dim).toBe(12);
    expect(() => resolveMemoryOptions({ embedder: createHashingEmbedder({ dim: 12 }), dim: 13 })).toThrow(
      'embedder hashing-v2:uni: expected dimension 13, got 12',
    );
  });

  it('wraps a plain function with its id', () => {
    const o = resolveMemoryOptions({ embedder: async () => [], dim: 3, embedderId: 'my-model' });
    expect([o.embedder.id, o.embedder.dim]).toEqual(['my-model', 3]);
    expect(resolveMemoryOptions({ hnswThreshold: Infinity }).hnswThreshold).toBe(Infinity);
  });

  it.each([
    [{ dim: 0 }, RangeError, 'Expected `dim` to be an integer >= 1, got `0` (number)'],
    [{ dim: 1.5 }, RangeError, 'Expected `dim` to be an integer >= 1, got `1.5` (number)'],
    [{ path: '' }, TypeError, 'Expected `path` to be a non-empty string, got `""` (string)'],
    [{ path: 3 }, TypeError, 'Expected `path` to be a non-empty string, got `3` (number)'],
    [{ hnswThreshold: 0 }, RangeError, 'Expected `hnswThreshold` to be an integer >= 1, got `0` (number)'],
    [{ hnsw: { m: 1 } }, RangeError, 'Expected `hnsw.m` to be an integer >= 2, got `1` (number)'],
    [{ hnsw: { efSearch: 'x' } }, TypeError, 'Expected `hnsw.efSearch` to be an integer >= 1, got `"x"` (string)'],
    [{ indexThread: 'yes' }, TypeError, 'Expected `indexThread` to be a boolean, got `"yes"` (string)'],
    [{ exactFilterLimit: -1 }, RangeError, 'Expected `exactFilterLimit` to be an integer >= 0, got `-1` (number)'],
    [{ embedder: 'openai' }, TypeError, 'Expected `embedder` to be a function or an Embedder, got `"openai"` (string)'],
    [{ embedderId: '' }, TypeError, 'Expected `embedderId` to be a non-empty string, got `""` (string)'],
    [{ kernels: {} }, TypeError, 'Expected `kernels` to be a KernelSet, got `{}` (object)'],
    [{ signal: {} }, TypeError, 'Expected `signal` to be an AbortSignal, got `{}` (object)'],
  ])('rejects %j', (options, type, message) => {
    expect(() => resolveMemoryOptions(options as never)).toThrow(new type(message));
  });

  it('rejects a non-object', () => {
    expect(() => resolveMemoryOptions(null as never)).toThrow(new TypeError('Expected `options` to be an object, got `null` (null)'));
  });
});
