import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-recall-version-');
afterAll(() => tmp.remove());

const dim = 8;
// Item i's vector points along axis i % dim, leaning towards the next axis by i / 1000: distinct
// items, and item i is the best match of its own vector.
const axis = (i: number) => Float32Array.from({ length: dim }, (_, j) => (j === i % dim ? 1 : j === (i + 1) % dim ? i / 1000 : 0));
const embedder = async (texts: readonly string[]) => texts.map((t) => axis(Number(t.split(' ')[1])));

describe('recall reads the store version with its items', () => {
  it('searches again when another connection wrote since the last call (the index answered for the old state)', async () => {
    const path = tmp.file('shared-index.db');
    const options = { path, dim, embedder, embedderId: 'axis', hnswThreshold: 16 };
    const a = await createMemory(options);
    await a.rememberMany(Array.from({ length: 64 }, (_, i) => `item ${i}`));
    await a.whenIndexed();
    expect(a.indexed).toBe(true);
    const [before] = await a.recall(axis(3), { k: 1 });
    expect(before.text).toBe('item 3');
    // Another connection replaces the best match: forgets it and adds one closer still.
    const b = await createMemory(options);
    b.forget(before.id);
    const [closer] = await b.rememberMany(['item 3']);
    const hits = await a.recall(axis(3), { k: 3 });
    expect(hits[0].id).toBe(closer.id);
    expect(hits.map((h) => h.id)).not.toContain(before.id);
    // The same state through keyword and hybrid recall, which read the store directly.
    expect((await a.recall('item', { k: 100, mode: 'keyword' })).map((h) => h.id)).not.toContain(before.id);
    expect((await a.recall('item 3', { k: 100, mode: 'hybrid' })).map((h) => h.id)).toContain(closer.id);
    await b.close();
    await a.close();
  });

  it('returns nothing for k = 0 and refuses a closed memory before searching', async () => {
    const m = await createMemory({ path: tmp.file('closed.db'), dim, embedder, embedderId: 'axis' });
    await m.remember('item 1');
    expect(await m.recall(axis(1), { k: 0 })).toEqual([]);
    await m.close();
    await expect(m.recall(axis(1))).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
