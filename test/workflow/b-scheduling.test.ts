// Dispatch order and waiting, seen only through the public API (start order, events, results).
import { describe, expect, it } from 'vitest';
import { workflow } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

/** A task body that records its id in `order`. */
const recorder = (order: string[]) => (id: string) => () => void order.push(id);

describe('dispatch order', () => {
  it('ranks by the longest path to the end (upward rank), not by a task\'s own estimate', async () => {
    // Own estimates: lone 3 > head 2, but head leads to tail: upward ranks head 2+5=7 > lone 3.
    const order: string[] = [];
    const rec = recorder(order);
    const wf = workflow({ concurrency: 1 })
      .task({ id: 'lone', estimateMs: 3, run: rec('lone') })
      .task({ id: 'head', estimateMs: 2, run: rec('head') })
      .task({ id: 'tail', estimateMs: 5, dependsOn: ['head'], run: rec('tail') });
    await wf.run();
    expect(order).toEqual(['head', 'tail', 'lone']);
  });

  it('sums a path through its longest branch, and orders equal ranks by definition', async () => {
    // a: 1 + max(b 1 + d 10, c 4) = 12; e: 8; f: 8 (ties with e, defined later); g: 1.
    const order: string[] = [];
    const rec = recorder(order);
    const wf = workflow({ concurrency: 1 })
      .task({ id: 'g', estimateMs: 1, run: rec('g') })
      .task({ id: 'e', estimateMs: 8, run: rec('e') })
      .task({ id: 'f', estimateMs: 8, run: rec('f') })
      .task({ id: 'a', estimateMs: 1, run: rec('a') })
      .task({ id: 'b', estimateMs: 1, dependsOn: ['a'], run: rec('b') })
      .task({ id: 'c', estimateMs: 4, dependsOn: ['a'], run: rec('c') })
      .task({ id: 'd', estimateMs: 10, dependsOn: ['b'], run: rec('d') });
    await wf.run();
    // After a: ready are b (11), c (4), e, f (8), g (1); after b: d (10).
    expect(order).toEqual(['a', 'b', 'd', 'e', 'f', 'c', 'g']);
  });

  it('setPriority reorders tasks already waiting, in the main queue and in a group', async () => {
    const order: string[] = [];
    const rec = recorder(order);
    const gate = deferred();
    const wf = workflow({ concurrency: 1, groups: { io: 1 } })
      .task({ id: 'first', priority: 100, run: async () => { await gate.promise; order.push('first'); } })
      .task({ id: 'x', priority: 3, run: rec('x') })
      .task({ id: 'y', priority: 2, run: rec('y') })
      .task({ id: 'z', priority: 1, group: 'io', run: rec('z') });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('first')!.status === 'running');
    h.setPriority('z', 50);
    h.setPriority('y', 10);
    gate.resolve();
    await h.result;
    expect(order).toEqual(['first', 'z', 'y', 'x']);
  });

  it('a group at its cap passes the slot to tasks of other groups, then gets it back', async () => {
    const order: string[] = [];
    const gate = deferred();
    const wf = workflow({ concurrency: 2, groups: { io: 1 } })
      .task({ id: 'io-1', priority: 10, group: 'io', run: async () => { await gate.promise; order.push('io-1'); } })
      .task({ id: 'io-2', priority: 9, group: 'io', run: () => void order.push('io-2') })
      .task({ id: 'cpu', priority: 1, run: () => void order.push('cpu') });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('cpu')!.status === 'succeeded');
    expect(h.task('io-2')!.status).toBe('ready');
    gate.resolve();
    expect((await h.result).status).toBe('succeeded');
    expect(order).toEqual(['cpu', 'io-1', 'io-2']);
  });
});

describe('backpressure', () => {
  it('addTask beyond maxPendingTasks adds nothing and does not return until a task finishes', async () => {
    const gate = deferred();
    const steps: string[] = [];
    const wf = workflow({ maxPendingTasks: 2 })
      .task({ id: 'blocker', run: async () => { await gate.promise; steps.push('blocker done'); } })
      .task({
        id: 'adder',
        run: async (_, ctx) => {
          steps.push('adding');
          await ctx.addTask({ id: 'extra', run: () => 'x' });
          steps.push('added');
        },
      });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('adder')!.status === 'running');
    // The adder has called addTask (synchronously, when it started): the run must not hold `extra` yet.
    expect(steps).toEqual(['adding']);
    expect(h.task('extra')).toBeUndefined();
    expect(h.snapshot().map((t) => t.id)).toEqual(['blocker', 'adder']);
    gate.resolve();
    const result = await h.result;
    expect(steps).toEqual(['adding', 'blocker done', 'added']);
    expect(result.output('extra')).toBe('x');
  });

  it('several waiting addTask calls get room one finished task at a time, in order', async () => {
    const gates = [deferred(), deferred(), deferred()];
    const hold = deferred();
    const wf = workflow({ maxPendingTasks: 4 });
    gates.forEach((g, i) => wf.task({ id: `b${i}`, run: () => g.promise }));
    wf.task({
      id: 'adder',
      run: (_, ctx) => Promise.all(['p', 'q', 'r'].map((id) => ctx.addTask({ id, run: () => hold.promise }))),
    });
    const h = wf.start();
    const ids = () => h.snapshot().map((t) => t.id);
    await until((t, fn) => h.on(t, fn), () => h.task('adder')!.status === 'running');
    expect(ids()).toEqual(['b0', 'b1', 'b2', 'adder']);
    gates[0].resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('p') !== undefined);
    expect(ids()).toEqual(['b0', 'b1', 'b2', 'adder', 'p']);
    gates[1].resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('q') !== undefined);
    expect(h.task('r')).toBeUndefined();
    gates[2].resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('r') !== undefined);
    hold.resolve();
    const result = await h.result;
    expect(result.tasks.map((t) => t.id)).toEqual(['b0', 'b1', 'b2', 'adder', 'p', 'q', 'r']);
    expect(result.counts.succeeded).toBe(7);
  });

  it('a waiting addTask rejects with its signal\'s reason when aborted, and adds nothing', async () => {
    const gate = deferred();
    const controller = new AbortController();
    let outcome: unknown;
    const wf = workflow({ maxPendingTasks: 2 })
      .task({ id: 'blocker', run: () => gate.promise })
      .task({
        id: 'adder',
        run: async (_, ctx) => {
          outcome = await ctx.addTask({ id: 'extra', run: () => 1 }, { signal: controller.signal }).then(() => 'added', (e: unknown) => e);
        },
      });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('adder')!.status === 'running');
    controller.abort(new Error('gave up'));
    await until((t, fn) => h.on(t, fn), () => h.task('adder')!.status === 'succeeded');
    expect((outcome as Error).message).toBe('gave up');
    gate.resolve();
    const result = await h.result;
    expect(result.task('extra')).toBeUndefined();
    expect(result.status).toBe('succeeded');
  });
});
