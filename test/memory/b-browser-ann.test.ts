import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/chromium.js';

// weft's HNSW in a real browser (Debian's chromium), from dist/browser.js over http: the in-memory
// backend builds it past the threshold and recalls through it, filters included.
const open = useBrowser(new URL('../..', import.meta.url));

describe('memory with the weft HNSW index in Chromium', () => {
  it('builds the index in WebAssembly and recalls through it', async () => {
    const { result: r, errors } = await open('/test/fixtures/browser/memory-ann.html');
    expect(errors).toEqual([]);
    expect(r.error).toBeUndefined();
    expect(r.indexed).toBe(true);
    expect(r.paths).toEqual(['hnsw']);
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.filteredPath).toBe('hnsw-filtered');
    expect(r.filteredAllEven).toBe(true);
  });
});
