import { describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/create-memory.js';
import { runMemory } from '../../src/memory/run-memory.js';

describe('runMemory', () => {
  it('defaults to the run, and recall never sees another run', async () => {
    const m = await createMemory({ dim: 64 });
    const r1 = runMemory(m, 'r1');
    const r2 = runMemory(m, 'r2');
    await r1.remember('the build of r1 failed on step three');
    await r2.remember('the build of r2 failed on step three');
    await m.remember('builds fail when the cache is cold');
    const seen = await r1.recall('build failed step three');
    expect(seen.map((h) => h.runId ?? 'long-term')).toEqual(['r1', 'long-term']);
    expect((await r1.recall('build', { scope: 'short-term' })).map((h) => h.runId)).toEqual(['r1']);
    expect(r1.end()).toBe(1);
    expect(m.count({ scope: 'short-term' })).toBe(1);
    await m.close();
  });

  it('stores a task output on opt-in, as text or JSON', async () => {
    const m = await createMemory({ dim: 64 });
    const run = runMemory(m, 'r');
    const a = await run.rememberOutput('summarise', 'The report says revenue grew.');
    const b = await run.rememberOutput('extract', { revenue: 12, currency: 'EUR' }, { scope: 'long-term', metadata: { source: 'q3' } });
    expect([a.scope, a.runId, a.metadata]).toEqual(['short-term', 'r', { kind: 'task-output', taskId: 'summarise' }]);
    expect([b.scope, b.text, b.metadata]).toEqual(['long-term', '{"revenue":12,"currency":"EUR"}', { source: 'q3', kind: 'task-output', taskId: 'extract' }]);
    expect(m.count({ filter: { kind: 'task-output' } })).toBe(2);
    await m.close();
  });

  it("ranks what a run sees as one collection: when that is every item, the store's own ranking", async () => {
    const m = await createMemory({ dim: 256 });
    await m.rememberMany(['solar panels on the roof', 'the roof leaks in winter', 'panel meeting on budgets', 'winter tyres for the van']);
    await m.remember('Dana fixes roofs', { entity: 'Dana' });
    const r = runMemory(m, 'r');
    await r.remember('roof panel notes of this run');
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      const mine = await r.recall('roof panels', { mode, k: 5 });
      const store = await m.recall('roof panels', { mode, k: 5 });
      expect(mine.map((h) => [h.id, h.score])).toEqual(store.map((h) => [h.id, h.score]));
    }
    await expect(m.recallAmong('x', [])).rejects.toThrow(TypeError);
    await m.close();
  });

  it('validates the run id', async () => {
    const m = await createMemory({ dim: 8 });
    expect(() => runMemory(m, '')).toThrow(new TypeError('Expected `runId` to be a non-empty string, got `""` (string)'));
    await m.close();
  });
});
