import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AUTO_BACKENDS, getKernels, initKernels, kernelInfo, loadWeftModule } from '../../src/kernels/index.js';

const run = promisify(execFile);
const probe = fileURLToPath(new URL('../helpers/kernel-probe.ts', import.meta.url));

async function probeWithoutWasm(backend: string): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, ['--noexpose-wasm', '--import', 'tsx', probe, backend], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('initKernels', () => {
  it('serves TS kernels before initialisation, then the chosen ones', async () => {
    expect(getKernels().backend).toBe('ts');
    expect(kernelInfo().reason).toBe('initKernels() has not completed');
    const kernels = await initKernels();
    expect(kernels.info.requested).toBe('auto');
    expect(kernels.info.wasmLoaded).toBe(true);
    expect(kernels.info.families).toEqual(AUTO_BACKENDS);
    expect(getKernels()).toBe(kernels);
    expect(kernelInfo()).toBe(kernels.info);
  });

  it('shares one promise between concurrent callers', async () => {
    const [a, b] = await Promise.all([initKernels({ backend: 'wasm' }), initKernels({ backend: 'wasm' })]);
    expect(a).toBe(b);
    expect(a.info.families).toEqual({ vector: 'wasm', graph: 'wasm', codec: 'wasm' });
  });

  it("uses TS everywhere with backend 'ts'", async () => {
    const kernels = await initKernels({ backend: 'ts' });
    expect(kernels.info.families).toEqual({ vector: 'ts', graph: 'ts', codec: 'ts' });
    expect(kernels.info.wasmLoaded).toBe(false);
  });

  it('accepts the module as bytes, a compiled Module or a file URL', async () => {
    const module = await loadWeftModule();
    const url = new URL('../../build/weft.wasm', import.meta.url);
    const { readFile } = await import('node:fs/promises');
    for (const wasm of [module, await readFile(url), url]) {
      const kernels = await initKernels({ backend: 'wasm', wasm });
      expect(kernels.vector.dot(new Float32Array([2]), new Float32Array([3]))).toBe(6);
    }
  });

  it('falls back to TS under auto when the module cannot load, saying why', async () => {
    const kernels = await initKernels({ backend: 'auto', wasm: new Uint8Array([0, 97, 115, 109, 9]) });
    expect(kernels.info.wasmLoaded).toBe(false);
    expect(kernels.info.families.vector).toBe('ts');
    expect(kernels.info.reason).toMatch(/^WebAssembly backend unavailable: the module could not be loaded: /);
  });

  it("fails with WASM_UNAVAILABLE under 'wasm' when the module cannot load", async () => {
    await expect(initKernels({ backend: 'wasm', wasm: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({
      code: 'WASM_UNAVAILABLE',
      name: 'WasmUnavailableError',
    });
  });

  it('rejects an unknown backend naming the option', async () => {
    await expect(initKernels({ backend: 'gpu' as 'auto' })).rejects.toThrow(
      "Expected `backend` to be one of 'auto', 'wasm', 'ts', got `\"gpu\"` (string)",
    );
    await expect(initKernels(null as never)).rejects.toThrow('Expected `options` to be an object, got `null` (null)');
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(initKernels({ backend: 'auto', signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe('initKernels without WebAssembly (node --noexpose-wasm)', () => {
  it('auto falls back to TS and reports why', async () => {
    const out = await probeWithoutWasm('auto');
    expect(out.info.families).toEqual({ vector: 'ts', graph: 'ts', codec: 'ts' });
    expect(out.info.reason).toBe('WebAssembly backend unavailable: WebAssembly is not available in this runtime');
    expect(out.dot).toBe(11);
  });

  it("'wasm' fails with a typed error", async () => {
    const out = await probeWithoutWasm('wasm');
    expect(out.error.code).toBe('WASM_UNAVAILABLE');
  });
});
