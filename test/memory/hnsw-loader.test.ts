import { describe, expect, it, vi } from 'vitest';
import { HNSW_FS_DIR, loadHnsw } from '../../src/memory/hnsw-loader.js';

describe('loadHnsw', () => {
  it('loads hnswlib-wasm in Node with its file system exposed and without console output', async () => {
    const log = vi.spyOn(console, 'log');
    const lib = await loadHnsw();
    const index = new lib.HierarchicalNSW('ip', 2, '');
    index.initIndex(4, 16, 200, 100);
    index.addPoints([Float32Array.of(1, 0)], [7], false);
    await index.writeIndex('loader-test.bin');
    const bytes = lib.FS.readFile(`${HNSW_FS_DIR}/loader-test.bin`);
    lib.FS.unlink(`${HNSW_FS_DIR}/loader-test.bin`);
    expect(bytes.byteLength).toBeGreaterThan(56);
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
    expect(await loadHnsw()).toBe(lib);
  });
});
