import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-create-');
afterAll(() => tmp.remove());

describe('createMemory', () => {
  it('uses SQLite with a path and memory without', async () => {
    const file = await createMemory({ path: tmp.file('a.db'), dim: 8 });
    const mem = await createMemory({ dim: 8 });
    await file.remember('x');
    await file.close();
    const again = await createMemory({ path: tmp.file('a.db'), dim: 8 });
    expect(again.count()).toBe(1);
    expect(mem.count()).toBe(0);
    await again.close();
    await mem.close();
  });

  it('rejects bad options before touching the disk, and honours an aborted signal', async () => {
    await expect(createMemory({ dim: 0 })).rejects.toThrow(RangeError);
    await expect(createMemory({ path: tmp.file('b.db'), signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });

  it('releases the file when the database does not match, so it can be opened again', async () => {
    const path = tmp.file('c.db');
    await (await createMemory({ path, dim: 8 })).close();
    await expect(createMemory({ path, dim: 16 })).rejects.toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    const ok = await createMemory({ path, dim: 8 });
    await ok.remember('still writable');
    await ok.close();
  });
});
