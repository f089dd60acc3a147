import { afterEach, describe, expect, it, vi } from 'vitest';
import { workflow, type Recorder, type WorkflowEvent } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';

/** Keeps every batch it is given. */
function keeper(): Recorder & { readonly batches: (readonly WorkflowEvent[])[]; readonly all: () => WorkflowEvent[] } {
  const batches: (readonly WorkflowEvent[])[] = [];
  return { batches, all: () => batches.flat(), record: (batch) => void batches.push(batch) };
}

const label = (e: WorkflowEvent): string => `${e.type}${e.taskId ? ` ${e.taskId}` : ''}`;

describe('recorders', () => {
  afterEach(() => vi.restoreAllMocks());

  it('see every transition in the order listeners do, the last batch before the result settles', async () => {
    const rec = keeper();
    const wf = workflow({ recorders: [rec] })
      .task({ id: 'a', run: async () => 1 })
      .task({ id: 'b', dependsOn: ['a'], retry: { maxAttempts: 2, initialDelayMs: 0 }, run: (_, ctx) => { if (ctx.attempt === 1) throw new Error('once'); return 2; } });
    const h = wf.start({ runId: 'rec-1' });
    const heard: WorkflowEvent[] = [];
    h.on('*', (e) => heard.push(e));
    const r = await h.result;
    // Nothing is delivered after the result: the last batch, with run:end, came first.
    expect(rec.all().at(-1)!.type).toBe('run:end');
    expect(rec.all()).toEqual(heard);
    expect(rec.all().map(label)).toEqual(['run:start', 'task:ready a', 'task:start a', 'task:succeeded a', 'task:ready b', 'task:start b', 'task:retry b', 'task:ready b', 'task:start b', 'task:succeeded b', 'run:end']);
    expect(rec.all().find((e) => e.type === 'task:succeeded' && e.taskId === 'b')!.output).toBe(2);
    expect(r.status).toBe('succeeded');
  });

  it('get the transitions of one synchronous turn as one batch', async () => {
    const rec = keeper();
    const wf = workflow({ recorders: [rec] });
    for (let k = 0; k < 100; k++) wf.task({ id: `t${k}`, run: () => k });
    await wf.run();
    // 100 synchronous tasks: start, 100 × (ready, start, succeeded), end, all in one turn.
    expect(rec.batches).toHaveLength(1);
    expect(rec.batches[0]).toHaveLength(302);
  });

  it('see tasks and dependencies added while the run goes, with what a store needs to re-create them', async () => {
    const rec = keeper();
    const gate = deferred();
    const wf = workflow({ recorders: [rec] })
      .task({ id: 'root', run: async (_i, ctx) => {
        await ctx.addTask({ id: 'child', dependsOn: ['root'], run: () => 'c' });
        await ctx.addTask({ id: 'late', run: () => gate.promise.then(() => 'l') });
        ctx.addDependency('child', 'late');
        gate.resolve();
        return 'r';
      } });
    const r = await wf.run();
    expect(r.output('child')).toBe('c');
    const added = rec.all().filter((e) => e.type === 'task:added' || e.type === 'dependency:added');
    expect(added.map((e) => [e.type, e.taskId, e.dependsOn])).toEqual([
      ['task:added', 'child', ['root']],
      ['task:added', 'late', []],
      ['dependency:added', 'child', ['late']],
    ]);
    expect(added[0].spec!.id).toBe('child');
    const order = rec.all().map(label);
    expect(order.indexOf('task:added child')).toBeLessThan(order.indexOf('task:ready child'));
  });

  it('see a cancelled run’s every task cancelled, then run:end', async () => {
    const rec = keeper();
    const wf = workflow({ recorders: [rec] }).task({ id: 'a', run: () => new Promise(() => {}) }).task({ id: 'b', dependsOn: ['a'], run: () => 1 });
    const h = wf.start();
    await new Promise<void>((resolve) => h.on('task:start', () => resolve()));
    h.cancel('stop');
    await h.result;
    expect(rec.all().slice(-3).map(label)).toEqual(['task:cancelled a', 'task:cancelled b', 'run:end']);
  });

  it('cannot break the run: a recorder that throws is reported, the others and the run go on', async () => {
    const reported = deferred<unknown>();
    // The error surfaces as an uncaught exception, as a throwing listener's does.
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.once('uncaughtException', (error) => reported.resolve(error));
    try {
      const good = keeper();
      const bad: Recorder = { record: () => { throw new Error('disk full'); } };
      const r = await workflow({ recorders: [bad, good] }).task({ id: 'a', run: () => 1 }).run();
      expect(r.status).toBe('succeeded');
      expect(good.all().at(-1)!.type).toBe('run:end');
      expect(((await reported.promise) as Error).message).toBe('disk full');
    } finally {
      for (const l of saved) process.on('uncaughtException', l);
    }
  });

  it('cost nothing when there are none: no event object is built', async () => {
    const assign = vi.spyOn(Object, 'assign');
    await workflow().task({ id: 'a', run: () => 1 }).task({ id: 'b', dependsOn: ['a'], run: () => { throw new Error('x'); } }).run();
    expect(assign).not.toHaveBeenCalled();
  });

  it('are validated, naming the bad one', () => {
    expect(() => workflow({ recorders: {} as never })).toThrow('Expected `recorders` to be an array of Recorders, got `{}` (object)');
    expect(() => workflow({ recorders: [{ record: () => {} }, 3 as never] })).toThrow('Expected `recorders[1]` to be a Recorder (an object with a record(batch) method), got `3` (number)');
  });
});
