import { describe, expect, it } from 'vitest';
import { skipBrowserTests, useBrowser } from '../helpers/chromium.js';

// The kernels in a real browser (Debian's chromium, installed by .ci/run), loading dist/ and
// build/weft.wasm over http as an application would. Skipped outside CI when no Chromium is found.
describe.skipIf(skipBrowserTests)('kernels in Chromium', () => {
  const open = useBrowser(new URL('../..', import.meta.url));

  async function load(query: string): Promise<Record<string, any>> {
    const { result, errors } = await open(`/test/fixtures/browser/kernels.html${query}`);
    expect(errors).toEqual([]);
    return result;
  }

  it('load the WASM module by URL and agree with the TS twin', async () => {
    const r = await load('');
    expect(r.error).toBeUndefined();
    expect(r.info.wasmLoaded).toBe(true);
    expect(r.info.families.vector).toBe('wasm');
    expect(r.dot).toBe(32);
    expect(r.ids).toHaveLength(10);
    expect(r.ids).toEqual(r.tsIds);
  });

  it('fall back to TS under auto when the module is missing, saying why', async () => {
    const r = await load('?wasm=/build/missing.wasm');
    expect(r.info.wasmLoaded).toBe(false);
    expect(r.info.families).toEqual({ vector: 'ts', graph: 'ts', codec: 'ts' });
    expect(r.info.reason).toContain('HTTP 404');
    expect(r.ids).toEqual(r.tsIds);
  });

  it("fail with WASM_UNAVAILABLE under 'wasm' when the module is missing", async () => {
    const r = await load('?backend=wasm&wasm=/build/missing.wasm');
    expect(r.error.code).toBe('WASM_UNAVAILABLE');
  });
});
