import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/codec/index.js';
import { DEFAULT_CODEC_OPTIONS, resolveCodecOptions } from '../../src/codec/options.js';
import { getKernels } from '../../src/kernels/index.js';
import { createTsKernels } from '../../src/kernels/ts/index.js';

const kernels = createTsKernels().codec;

describe('codec options', () => {
  it('documents its defaults and fills them in (undefined meaning the default)', () => {
    expect(DEFAULT_CODEC_OPTIONS).toEqual({
      float32: false,
      undefinedAsNil: false,
      maxDepth: 512,
      extensions: [],
      longString: 32,
      int64: 'auto',
      useMaps: false,
      nativeUtf8: true,
    });
    expect(Object.isFrozen(DEFAULT_CODEC_OPTIONS)).toBe(true);
    const resolved = createCodec({ kernels, maxDepth: undefined, useMaps: true }).options;
    expect(resolved).toEqual({ ...DEFAULT_CODEC_OPTIONS, useMaps: true, kernels });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('uses the active kernels when none are given', () => {
    expect(createCodec().options.kernels).toBe(getKernels().codec);
    expect(resolveCodecOptions({ kernels }, () => { throw new Error('not called'); }).kernels).toBe(kernels);
  });

  it.each([
    [null, TypeError, 'Expected `options` to be an object, got `null` (null)'],
    [{ float32: 1 }, TypeError, 'Expected `float32` to be a boolean, got `1` (number)'],
    [{ undefinedAsNil: 'yes' }, TypeError, 'Expected `undefinedAsNil` to be a boolean, got `"yes"` (string)'],
    [{ useMaps: null }, TypeError, 'Expected `useMaps` to be a boolean, got `null` (null)'],
    [{ nativeUtf8: 0 }, TypeError, 'Expected `nativeUtf8` to be a boolean, got `0` (number)'],
    [{ maxDepth: 0 }, RangeError, 'Expected `maxDepth` to be an integer in [1, 100000], got `0` (number)'],
    [{ maxDepth: 1.5 }, RangeError, 'Expected `maxDepth` to be an integer in [1, 100000], got `1.5` (number)'],
    [{ maxDepth: '8' }, TypeError, 'Expected `maxDepth` to be an integer >= 1, got `"8"` (string)'],
    [{ longString: 0 }, RangeError, 'Expected `longString` to be an integer >= 1, got `0` (number)'],
    [{ int64: 'string' }, TypeError, 'Expected `int64` to be \'auto\' or \'bigint\', got `"string"` (string)'],
    [{ extensions: {} }, TypeError, 'Expected `extensions` to be an array of extensions, got `{}` (object)'],
    [{ kernels: {} }, TypeError, 'Expected `kernels` to be a CodecKernels object, got `{}` (object)'],
    [{ kernels: 'wasm' }, TypeError, 'Expected `kernels` to be a CodecKernels object, got `"wasm"` (string)'],
  ])('rejects %j naming the option', (options, type, message) => {
    expect(() => createCodec(options as never)).toThrow(new type(message));
  });
});
