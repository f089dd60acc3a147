// A workflow with a store: every run is recorded under its runId, begins and ends its record, and
// the events carry what a store needs (a dynamic task's parent, an attempt's deadline).
import { describe, expect, it } from 'vitest';
import { workflow, type WorkflowEvent } from '../../src/workflow/index.js';
import { canonical, definitionDigest, taskDigest } from '../../src/workflow/definition.js';
import { memoryDurableStore } from '../helpers/memory-durable-store.js';

describe('workflow({ store })', () => {
  it('needs a runId for each run, and a store that is one', async () => {
    const wf = workflow({ store: memoryDurableStore() }).task({ id: 'a', run: () => 1 });
    expect(() => wf.start()).toThrow('A run of a workflow with a `store` needs a `runId` (`wf.run({ runId })`)');
    await expect(wf.run()).rejects.toThrow(TypeError);
    expect(() => workflow({ store: { record() {} } as never })).toThrow('Expected `store` to be a durable store (openStore({ path })), got `{}` (object)');
  });

  it('begins the run with its definition, records every batch, and ends the record after run:end', async () => {
    const store = memoryDurableStore();
    const order: string[] = [];
    const wf = workflow({ name: 'pipeline', store, recorders: [{ record: (b) => void order.push(`recorder ${b.at(-1)!.type}`) }] });
    wf.task({ id: 'a', timeoutMs: 5000, run: () => 1 });
    wf.task({
      id: 'b',
      dependsOn: ['a'],
      run: async (_i, ctx) => {
        await ctx.addTask({ id: 'c', dependsOn: ['a'], run: () => 4 });
        return 2;
      },
    });
    wf.onTaskComplete('a', (_o, ctl) => void ctl.addTask({ id: 'hooked', run: () => 3 }));
    const endRun = store.endRun.bind(store);
    store.endRun = (runId) => {
      order.push(`endRun after ${store.batches.get(runId)!.flat().at(-1)!.type}`);
      endRun(runId);
    };
    const handle = wf.start({ runId: 'p-1', input: { q: 1 } });
    handle.on('task:start', () => undefined);
    expect((await handle.result).status).toBe('succeeded');
    expect(store.metas.get('p-1')).toMatchObject({ workflow: 'pipeline', input: { q: 1 }, definitionHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(Object.keys(store.metas.get('p-1')!.definition)).toEqual(['a', 'b']);
    const events: WorkflowEvent[] = store.batches.get('p-1')!.flat();
    expect(events[0].type).toBe('run:start');
    const start = events.find((e) => e.type === 'task:start' && e.taskId === 'a')!;
    expect(start.deadline! - start.time).toBeCloseTo(5000, -1);
    expect(events.find((e) => e.type === 'task:start' && e.taskId === 'b')!.deadline).toBeUndefined();
    expect(events.filter((e) => e.type === 'task:added').map((e) => [e.taskId, e.parent])).toEqual([['hooked', 'a'], ['c', 'b']]);
    expect(order.at(-1)).toBe('endRun after run:end');
  });
});

describe('definitionDigest', () => {
  const digest = (extra: Record<string, unknown>) => {
    const wf = workflow();
    wf.task({ id: 'x', run: () => 1 });
    wf.task({ id: 'y', dependsOn: ['x'], worker: { module: '/m.js' }, ...extra } as never);
    wf.validate();
    return definitionDigest((wf as unknown as { compile(): never }).compile());
  };

  it('changes with what a task is and how it runs, not with key order or closures', () => {
    const base = digest({});
    expect(digest({})).toEqual(base);
    expect(digest({ retry: { maxAttempts: 2 } }).hash).not.toBe(base.hash);
    expect(digest({ timeoutMs: 10 }).tasks.y).not.toBe(base.tasks.y);
    expect(digest({ stallTimeoutMs: 10 }).tasks.y).not.toBe(base.tasks.y);
    expect(digest({ timeoutMs: 10 }).tasks.x).toBe(base.tasks.x);
    expect(digest({ worker: { module: '/other.js' } }).tasks.y).not.toBe(base.tasks.y);
    expect(canonical({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(taskDigest({ id: 'z', run: () => 1 })).toBe(taskDigest({ id: 'z', run: () => 2 }));
    expect(taskDigest({ id: 'z', agent: 'a', input: { p: 1, q: 2 } })).toBe(taskDigest({ id: 'z', agent: 'a', input: { q: 2, p: 1 } }));
  });
});
