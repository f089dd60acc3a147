import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { createMemory } from '../../src/memory/create-memory.js';
import type { Memory } from '../../src/memory/memory.js';
import { tempDir } from '../helpers/temp-dir.js';

const tmp = tempDir('weft-memory-');
afterAll(() => tmp.remove());
let n = 0;
const open: Memory[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

// The same behaviour from both backends: SQLite in Node, maps in browsers.
const backends: [string, () => Promise<Memory>][] = [
  ['sqlite', () => createMemory({ path: tmp.file(`m${n++}.db`), dim: 128 })],
  ['in-memory', () => createMemory({ dim: 128 })],
];

async function make(factory: () => Promise<Memory>): Promise<Memory> {
  const m = await factory();
  open.push(m);
  return m;
}

describe.each(backends)('Memory (%s backend)', (_name, factory) => {
  it('remembers and recalls by meaning, best first, with scores', async () => {
    const m = await make(factory);
    await m.remember('The cat sat on the mat');
    await m.remember('Stock markets fell sharply on Monday');
    await m.remember('A kitten sleeps on the mat');
    const hits = await m.recall('cat on the mat', { k: 2 });
    expect(hits.map((h) => h.text)).toEqual(['The cat sat on the mat', 'A kitten sleeps on the mat']);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(hits[0].score).toBeLessThanOrEqual(1 + 1e-6);
    expect(m.lastSearchPath).toBe('exact');
  });

  it('stores metadata and filters on it by equality (AND of keys)', async () => {
    const m = await make(factory);
    await m.rememberMany([
      { text: 'deploy the api', metadata: { team: 'infra', priority: 1 } },
      { text: 'deploy the web app', metadata: { team: 'web', priority: 1 } },
      { text: 'deploy the database', metadata: { team: 'infra', priority: 2, nested: { a: 1 } } },
    ]);
    const infra = await m.recall('deploy', { filter: { team: 'infra' } });
    expect(infra.map((h) => h.text).sort()).toEqual(['deploy the api', 'deploy the database']);
    expect(m.lastSearchPath).toBe('exact-filtered');
    const both = await m.recall('deploy', { filter: { team: 'infra', priority: 2 } });
    expect(both.map((h) => h.text)).toEqual(['deploy the database']);
    expect(both[0].metadata).toEqual({ team: 'infra', priority: 2, nested: { a: 1 } });
    expect(await m.recall('deploy', { filter: { priority: '1' } })).toEqual([]);
    expect(m.count({ filter: { priority: 1 } })).toBe(2);
  });

  it('applies k and minScore', async () => {
    const m = await make(factory);
    await m.rememberMany(['alpha beta', 'alpha gamma', 'delta epsilon']);
    expect(await m.recall('alpha', { k: 1 })).toHaveLength(1);
    expect(await m.recall('alpha', { k: 0 })).toEqual([]);
    const strong = await m.recall('alpha', { minScore: 0.3 });
    expect(strong.map((h) => h.text).sort()).toEqual(['alpha beta', 'alpha gamma']);
  });

  it('keeps short-term items per run and clears them when the run ends', async () => {
    const m = await make(factory);
    await m.remember('run one scratch note', { runId: 'r1' });
    await m.remember('run two scratch note', { runId: 'r2' });
    await m.remember('a durable fact');
    expect(m.count({ scope: 'short-term' })).toBe(2);
    expect((await m.recall('scratch note', { scope: 'short-term', runId: 'r1' })).map((h) => h.text)).toEqual(['run one scratch note']);
    expect(m.endRun('r1')).toBe(1);
    expect(m.list().map((i) => [i.text, i.scope])).toEqual([
      ['run two scratch note', 'short-term'],
      ['a durable fact', 'long-term'],
    ]);
    expect((await m.recall('scratch note')).map((h) => h.text)).toEqual(['run two scratch note', 'a durable fact']);
  });

  it('merges entity facts and metadata into one item per entity', async () => {
    const m = await make(factory);
    const a = await m.remember({ text: 'Alice likes tea', metadata: { role: 'engineer', team: 'core' } }, { entity: 'Alice' });
    const b = await m.remember({ text: 'Alice lives in Paris', metadata: { team: 'platform' } }, { entity: 'Alice' });
    await m.remember('Alice likes tea', { entity: 'Alice' });
    expect(b.id).toBe(a.id);
    const alice = m.entity('Alice')!;
    expect(alice.text).toBe('Alice likes tea\nAlice lives in Paris');
    expect(alice.metadata).toEqual({ role: 'engineer', team: 'platform' });
    expect(alice.scope).toBe('entity');
    expect(m.count({ scope: 'entity' })).toBe(1);
    const [hit] = await m.recall('where does alice live', { scope: 'entity' });
    expect(hit.entity).toBe('Alice');
    expect(m.entity('Bob')).toBeUndefined();
  });

  it('searches by keyword and fuses both rankings in hybrid mode', async () => {
    const m = await make(factory);
    await m.rememberMany([
      'invoice 4711 was paid late',
      'the invoice process needs approval',
      'payment reminders go out weekly',
      'late payments incur a fee',
    ]);
    const kw = await m.recall('4711', { mode: 'keyword' });
    expect(kw.map((h) => h.text)).toEqual(['invoice 4711 was paid late']);
    expect(kw[0].score).toBeGreaterThan(0);
    // FTS syntax in user text is taken literally.
    expect(await m.recall('"NEAR( AND *', { mode: 'keyword' })).toEqual([]);
    const hybrid = await m.recall('late invoice', { mode: 'hybrid', k: 4 });
    expect(hybrid[0].text).toBe('invoice 4711 was paid late');
    expect(hybrid).toHaveLength(4);
    for (let i = 1; i < hybrid.length; i++) expect(hybrid[i - 1].score).toBeGreaterThanOrEqual(hybrid[i].score);
  });

  it('forgets by id, by ids and by selector; lists with limit and offset', async () => {
    const m = await make(factory);
    const items = await m.rememberMany(['one', 'two', 'three', 'four'].map((text, i) => ({ text, metadata: { even: i % 2 === 1 } })));
    expect(m.forget(items[0].id)).toBe(1);
    expect(m.forget(items[0].id)).toBe(0);
    expect(m.forget({ filter: { even: true } })).toBe(2);
    expect(m.list().map((i) => i.text)).toEqual(['three']);
    await m.rememberMany(['five', 'six']);
    expect(m.list({ limit: 1, offset: 1 }).map((i) => i.text)).toEqual(['five']);
    expect(m.forget([items[2].id, 12345])).toBe(1);
    expect((await m.recall('three')).map((h) => h.text)).not.toContain('three');
    expect(m.get(items[2].id)).toBeUndefined();
    expect(m.forget({})).toBe(2);
    expect(m.count()).toBe(0);
    expect(await m.recall('anything')).toEqual([]);
  });

  it('accepts a query vector of the right dimension', async () => {
    const m = await make(factory);
    const [item] = await m.rememberMany(['vector query target']);
    const [v] = await m.embedder.embed(['vector query target']);
    const [hit] = await m.recall(v);
    expect(hit.id).toBe(item.id);
    expect(hit.score).toBeCloseTo(1, 5);
  });

  it('throws typed errors for bad input', async () => {
    const m = await make(factory);
    const code = async (p: Promise<unknown> | (() => unknown)) => {
      try {
        await (typeof p === 'function' ? p() : p);
      } catch (error) {
        return (error as { code?: string }).code ?? (error as Error).name;
      }
      return 'no error';
    };
    expect(await code(m.remember('   '))).toBe('EMPTY_TEXT');
    expect(await code(m.recall(''))).toBe('EMPTY_TEXT');
    expect(await code(m.recall('x', { filter: { a: [1] as never } }))).toBe('INVALID_FILTER');
    expect(await code(m.recall(new Float32Array(3)))).toBe('DIMENSION_MISMATCH');
    expect(await code(m.remember('x', { scope: 'short-term' }))).toBe('TypeError');
    expect(await code(m.remember('x', { scope: 'entity' }))).toBe('TypeError');
    expect(await code(m.recall('x', { k: -1 }))).toBe('RangeError');
    expect(await code(m.recall('x', { scope: 'forever' as never }))).toBe('TypeError');
    await expect(m.remember('x', { scope: 'short-term' })).rejects.toThrow(
      "Expected `runId` to be a non-empty string for scope 'short-term', got `undefined` (undefined)",
    );
    await expect(m.remember('x', { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    expect(m.count()).toBe(0);
  });

  it('rejects an embedder that returns vectors of the wrong dimension', async () => {
    const m = await createMemory({ dim: 4, embedder: async (texts) => texts.map(() => new Float32Array(3)) });
    open.push(m);
    const err = await m.remember('x').catch((e: unknown) => e);
    expect(isWeftError(err, 'DIMENSION_MISMATCH')).toBe(true);
    expect((err as Error).message).toBe('embedder custom vector 0: expected dimension 4, got 3');
    expect(m.count()).toBe(0);
  });

  it('refuses to work after close', async () => {
    const m = await factory();
    await m.close();
    await m.close();
    expect(() => m.count()).toThrow(/closed/);
  });
});
