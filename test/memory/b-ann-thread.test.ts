import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import type { Memory } from '../../src/memory/memory.js';
import { tempDir } from '../helpers/temp-dir.js';
import { clusteredVectors } from './clustered-vectors.js';

const tmp = tempDir('weft-memory-ann-thread-');
afterAll(() => tmp.remove());

// weft's index linked on a worker thread, through the API: a real SQLite file and a real thread
// (dist/memory/ann-link-thread.js: `npm run build:ts` first). The text is the vector's index.
const DIM = 16;
const vectors = clusteredVectors(4000, DIM, { seed: 5, centres: 8, noise: 0.3, cycle: true });
const embedder = async (texts: readonly string[]) => texts.map((t) => vectors[Number(t.split(' ')[1])]);
const open = (file: string, extra: object = {}) => createMemory({ path: tmp.file(file), dim: DIM, embedder, hnswThreshold: 300, ...extra });
const fill = async (m: Memory, from: number, to: number) => {
  for (let s = from; s < to; s += 500) await m.rememberMany(Array.from({ length: Math.min(500, to - s) }, (_, i) => `v ${s + i}`));
};
const top = async (m: Memory, q: number, k = 10) => (await m.recall(`v ${q}`, { k })).map((h) => h.text);

describe('memory with the index linked on a worker thread', () => {
  it('finds every item inserted while linking is behind, saves the index with them and links them after reopening', async () => {
    const m = await open('behind.db');
    await fill(m, 0, 1000);
    await m.whenIndexed();
    expect(m.indexed).toBe(true);
    await fill(m, 1000, 3000);
    // Stored and returned before the thread linked them: recall finds each through the index's scan of the unlinked.
    for (const i of [1000, 2222, 2999]) expect((await top(m, i, 1))[0]).toBe(`v ${i}`);
    expect(m.lastSearchPath).toBe('hnsw');
    // Closed at once: the saved index may hold nodes not linked yet.
    await m.close();
    const again = await open('behind.db');
    expect(again.indexed).toBe(true);
    for (const i of [0, 1500, 2999]) expect((await top(again, i, 1))[0]).toBe(`v ${i}`);
    await again.whenIndexed();
    expect(await top(again, 2500, 1)).toEqual(['v 2500']);
    await again.close();
  });

  it('answers as the index linked on the memory thread does', async () => {
    const a = await open('thread.db');
    const b = await open('here.db', { indexThread: false });
    for (const m of [a, b]) {
      await fill(m, 0, 2500);
      await m.whenIndexed();
    }
    for (const q of [3, 700, 1999, 2400]) expect(await top(a, q)).toEqual(await top(b, q));
    await a.close();
    await b.close();
  });
});
