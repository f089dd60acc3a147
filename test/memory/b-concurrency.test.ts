import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-memory-conc-');
afterAll(() => tmp.remove());

// An embedder that answers out of order: each call waits on a promise the test releases in
// reverse, so every interleaving of "embed, then write" is exercised without timers.
function shuffledEmbedder(dim: number) {
  const waiting: (() => void)[] = [];
  let calls = 0;
  const embed = async (texts: readonly string[]) => {
    calls++;
    await new Promise<void>((resolve) => waiting.push(resolve));
    return texts.map((t) => {
      const v = new Float32Array(dim);
      for (const ch of t) v[ch.charCodeAt(0) % dim] += 1;
      return v;
    });
  };
  const releaseAll = async (expected: number) => {
    while (waiting.length < expected) await new Promise((r) => setImmediate(r));
    waiting.splice(0).reverse().forEach((resolve) => resolve());
  };
  return { embed, releaseAll, calls: () => calls };
}

describe('memory under parallel tasks', () => {
  it('keeps every item when many tasks remember and recall at once', async () => {
    const m = await createMemory({ path: tmp.file('parallel.db'), dim: 16 });
    const tasks = Array.from({ length: 50 }, (_, i) =>
      (async () => {
        await m.remember({ text: `task ${i} finished step ${i % 5}`, metadata: { task: i } }, { runId: `run-${i % 4}` });
        return m.recall(`task ${i}`, { k: 3 });
      })(),
    );
    const results = await Promise.all(tasks);
    expect(results.every((r) => r.length > 0)).toBe(true);
    expect(m.count()).toBe(50);
    expect(new Set(m.list().map((i) => i.metadata.task)).size).toBe(50);
    expect(m.count({ scope: 'short-term', runId: 'run-1' })).toBe(13);
    await m.close();
  });

  it('loses no entity fact when merges of one entity overlap', async () => {
    const e = shuffledEmbedder(8);
    const m = await createMemory({ path: tmp.file('entity.db'), dim: 8, embedder: e.embed });
    const facts = Array.from({ length: 6 }, (_, i) => `fact number ${i}`);
    const pending = facts.map((f) => m.remember(f, { entity: 'Carol' }));
    // Merges are queued per entity: one embedding call at a time, released as they arrive.
    for (let i = 0; i < facts.length; i++) await e.releaseAll(1);
    await Promise.all(pending);
    expect(m.entity('Carol')!.text.split('\n')).toEqual(facts);
    expect(m.count({ scope: 'entity' })).toBe(1);
    await m.close();
  });

  it('writes rows in the order embeddings return, each with its own vector', async () => {
    const e = shuffledEmbedder(8);
    const m = await createMemory({ dim: 8, embedder: e.embed });
    const pending = ['aaa', 'bbb', 'ccc'].map((t) => m.remember(t));
    await e.releaseAll(3);
    const items = await Promise.all(pending);
    expect(items.map((i) => i.text)).toEqual(['aaa', 'bbb', 'ccc']);
    for (const item of items) {
      const [hit] = await (async () => {
        const recall = m.recall(item.text, { k: 1 });
        await e.releaseAll(1);
        return recall;
      })();
      expect(hit.id).toBe(item.id);
    }
    await m.close();
  });

  it('lets close wait for entity merges in flight', async () => {
    const e = shuffledEmbedder(8);
    const m = await createMemory({ path: tmp.file('close.db'), dim: 8, embedder: e.embed });
    const merge = m.remember('late fact', { entity: 'Dan' });
    const closing = m.close();
    await e.releaseAll(1);
    await merge;
    await closing;
    const again = await createMemory({ path: tmp.file('close.db'), dim: 8, embedder: e.embed });
    expect(again.entity('Dan')?.text).toBe('late fact');
    await again.close();
  });
});
