// Dispatch of worker tasks: one priority queue (the engine's) in front of the threads, so a
// ready task goes to the first free thread in priority order, and piscina never queues work
// behind a busy thread. Plus the context calls forwarded from the threads.
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../src/executors/worker-pool.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';

const module = new URL('../fixtures/workers/tasks.mjs', import.meta.url);
const one = createWorkerPool({ threads: 1 });
const two = createWorkerPool({ threads: 2 });
afterAll(() => Promise.all([one.close(), two.close()]));

describe('worker dispatch', () => {
  it('with one thread, runs ready tasks in priority order (higher first, then definition order)', async () => {
    const priorities = [3, 9, 1, 7, 7, 5, 0, 8];
    let wf = workflow({ workerPool: one });
    priorities.forEach((priority, k) => (wf = wf.task({ id: `t${k}`, priority, worker: { module, export: 'order' } })));
    const started: string[] = [];
    const h = wf.start({ input: {} });
    h.on('task:start', (e) => started.push(e.taskId!));
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    const expected = priorities.map((p, k) => ({ p, id: `t${k}` })).sort((a, b) => b.p - a.p || Number(a.id.slice(1)) - Number(b.id.slice(1))).map((x) => x.id);
    expect(started).toEqual(expected);
    // And the thread ran them in that order too (its own counter, per thread).
    const seqs = expected.map((id) => (result.output(id) as { seq: number }).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('lets a dependent released by a finished task compete for the thread with the tasks already waiting', async () => {
    const started: string[] = [];
    const h = workflow({ workerPool: one })
      .task({ id: 'first', priority: 10, worker: { module, export: 'order' } })
      .task({ id: 'urgent', priority: 100, dependsOn: ['first'], worker: { module, export: 'order' } })
      .task({ id: 'low1', priority: 1, worker: { module, export: 'order' } })
      .task({ id: 'low2', priority: 0, worker: { module, export: 'order' } })
      .start({ input: {} });
    h.on('task:start', (e) => started.push(e.taskId!));
    await h.result;
    expect(started).toEqual(['first', 'urgent', 'low1', 'low2']);
  });

  it('never has more tasks on the pool than threads, and no thread idles while tasks wait', async () => {
    let wf = workflow({ workerPool: two });
    for (let k = 0; k < 12; k++) wf = wf.task({ id: `b${k}`, worker: { module, export: 'burn' } });
    const h = wf.start({ input: {} });
    const seq: string[] = [];
    h.on('*', (e) => (e.type === 'task:start' || e.type === 'task:succeeded') && seq.push(e.type));
    expect((await h.result).status).toBe('succeeded');
    let running = 0;
    let started = 0;
    let most = 0;
    seq.forEach((type, k) => {
      if (type === 'task:start') {
        started++;
        most = Math.max(most, ++running);
        return;
      }
      running--;
      // A thread just freed with tasks still waiting: the next thing the run does is start one.
      if (started < 12) expect(seq[k + 1]).toBe('task:start');
    });
    expect(most).toBe(2);
    expect(two.idle).toBe(2);
  });

  it('shares the threads between runs and mixes worker and in-process tasks', async () => {
    const build = (tag: string) =>
      workflow({ workerPool: two })
        .task({ id: 'w', worker: { module, export: 'burn' } })
        .task({ id: 'main', dependsOn: ['w'], run: (input) => `${tag}:${typeof (input.w as { turns: number }).turns}` });
    const [a, b, c] = await Promise.all([build('a').run({ input: {} }), build('b').run({ input: {} }), build('c').run({ input: {} })]);
    expect([a.output('main'), b.output('main'), c.output('main')]).toEqual(['a:number', 'b:number', 'c:number']);
  });

  it('runs worker tasks added while the run runs', async () => {
    const result = await workflow({ workerPool: two })
      .task({ id: 'root', run: (_i, ctx) => ctx.addTask({ id: 'added', worker: { module, export: 'order' } }) })
      .run({ input: {} });
    expect(result.task('added')!.status).toBe('succeeded');
  });

  it('forwards heartbeats and token reports from the thread to the engine', async () => {
    const beats: WorkflowEvent[] = [];
    // The task's input is its dependencies' outputs: `n` says how many beats.
    const h2 = workflow({ workerPool: two })
      .task({ id: 'n', run: () => 3 })
      .task({ id: 'b', dependsOn: ['n'], worker: { module, export: 'beatsFrom' } })
      .start();
    h2.on('task:heartbeat', (e) => beats.push(e));
    const result = await h2.result;
    expect(result.output('b')).toBe('done');
    expect(beats.map((e) => [e.taskId, e.progress])).toEqual([
      ['b', { k: 0 }],
      ['b', { k: 1 }],
      ['b', { k: 2 }],
    ]);
    expect(h2.metrics().tokens).toBe(30);
  });

  it('uses the process-wide pool when the workflow names none', async () => {
    const { closeWorkers, defaultWorkerPool } = await import('../../src/executors/worker-pool.js');
    const result = await workflow().task({ id: 'd', worker: { module, export: 'order' } }).run({ input: {} });
    expect(result.task('d')!.status).toBe('succeeded');
    expect(defaultWorkerPool().threads).toBeGreaterThanOrEqual(1);
    await closeWorkers();
  });

  it('hands worker tasks to an executor that runs them elsewhere (runsWorkerTasks), and agent tasks with worker to any executor of its own', async () => {
    const seen: string[] = [];
    const elsewhere = { name: 'elsewhere', runsWorkerTasks: true, execute: (a: { taskId: string }) => (seen.push(a.taskId), 'remote') };
    const plain = { name: 'plain', execute: (a: { taskId: string }) => (seen.push(a.taskId), 'here') };
    const remote = await workflow({ executor: elsewhere, workerPool: one }).task({ id: 'w', worker: { module, export: 'order' } }).run({ input: {} });
    expect(remote.output('w')).toBe('remote');
    // Without runsWorkerTasks the executor is not asked: the task runs on the pool's thread.
    const local = await workflow({ executor: plain, workerPool: one }).task({ id: 'v', worker: { module, export: 'order' } }).run({ input: {} });
    expect(local.output('v')).toHaveProperty('seq');
    expect(seen).toEqual(['w']);
  });
});
