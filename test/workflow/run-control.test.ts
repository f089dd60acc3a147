import { describe, expect, it } from 'vitest';
import { CycleDetectedError, isWeftError } from '../../src/errors.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

const waitForAbort = (ctx: TaskContext): Promise<never> =>
  new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

describe('cancellation', () => {
  it('of the whole run by signal: running tasks abort, everything unfinished is cancelled', async () => {
    const controller = new AbortController();
    const reasons: unknown[] = [];
    const allAborted = deferred();
    const wf = workflow().task({ id: 'done', run: () => 1 });
    for (let k = 0; k < 50; k++) {
      wf.task({
        id: `busy-${k}`,
        dependsOn: ['done'],
        run: (_, ctx) => {
          ctx.signal.addEventListener('abort', () => reasons.push(ctx.signal.reason) === 50 && allAborted.resolve());
          return waitForAbort(ctx);
        },
      });
    }
    wf.task({ id: 'later', dependsOn: ['busy-0'], run: () => 2 });
    const handle = wf.start({ signal: controller.signal });
    await until((t, fn) => handle.on(t, fn), () => handle.metrics().running === 50);
    controller.abort(new Error('user pressed stop'));
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.counts).toMatchObject({ succeeded: 1, cancelled: 51 });
    // The result is out first; the tasks' signals abort on the next turn of the event loop.
    expect(reasons).toHaveLength(0);
    await allAborted.promise;
    expect(reasons.every((r) => r === result.task('busy-0')!.error)).toBe(true);
    const error = result.task('later')!.error as Error;
    expect(isWeftError(error, 'TASK_CANCELLED')).toBe(true);
    expect(error.message).toBe('run cancelled: user pressed stop');
    expect((error.cause as Error).message).toBe('user pressed stop');
  });

  it('with an already aborted signal, or handle.cancel(), settles without starting anything more', async () => {
    let ran = 0;
    const wf = workflow().task({ id: 'a', run: () => void ran++ });
    const result = await wf.run({ signal: AbortSignal.abort('too late') });
    expect(result.status).toBe('cancelled');
    expect(ran).toBe(0);
    const gate = deferred();
    const h = workflow().task({ id: 'x', run: () => gate.promise }).task({ id: 'y', dependsOn: ['x'], run: () => void ran++ }).start();
    h.cancel('stop');
    expect((await h.result).status).toBe('cancelled');
    gate.resolve();
    expect(ran).toBe(0);
  });

  it('of 10,000 tasks in flight settles every task', async () => {
    const wf = workflow();
    for (let k = 0; k < 10_000; k++) wf.task({ id: `t${k}`, run: () => new Promise(() => {}) });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.metrics().running === 10_000);
    h.cancel();
    const result = await h.result;
    expect(result.counts.cancelled).toBe(10_000);
    expect(h.metrics().running).toBe(0);
  });

  it('of one task: its signal aborts, its dependents are skipped, the rest runs', async () => {
    const wf = workflow()
      .task({ id: 'slow', run: (_, ctx) => waitForAbort(ctx) })
      .task({ id: 'after-slow', dependsOn: ['slow'], run: () => 1 })
      .task({ id: 'other', run: async () => 'ok' });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('slow')!.status === 'running');
    expect(h.cancelTask('slow', 'not needed')).toBe(true);
    expect(h.cancelTask('slow')).toBe(false);
    const result = await h.result;
    expect(result.task('slow')).toMatchObject({ status: 'cancelled' });
    expect((result.task('slow')!.error as Error).message).toBe('task `slow` cancelled: not needed');
    expect(result.task('after-slow')!.status).toBe('skipped');
    expect(result.output('other')).toBe('ok');
    expect(() => h.cancelTask('nope')).toThrow('Unknown task `nope`');
  });
});

describe('dynamic tasks', () => {
  it('a running task adds a fan-out and joins it into a pending task', async () => {
    const wf = workflow()
      .task({
        id: 'plan',
        run: async (_, ctx) => {
          for (const topic of ['a', 'b', 'c']) {
            await ctx.addTask({ id: `research-${topic}`, run: () => topic.toUpperCase() });
            ctx.addDependency('write', `research-${topic}`);
          }
          return 'planned';
        },
      })
      .task({ id: 'write', dependsOn: ['plan'], run: (input) => Object.keys(input).sort().map((k) => `${k}=${String(input[k])}`).join(',') });
    const h = wf.start();
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(result.output('write')).toBe('plan=planned,research-a=A,research-b=B,research-c=C');
    expect(result.tasks).toHaveLength(5);
    expect(h.toMermaid()).toContain('t2["research-a"]:::succeeded');
  });

  it('validates additions: duplicate ids, unknown dependencies, bad specs, cycles', async () => {
    const errors: unknown[] = [];
    const wf = workflow()
      .task({ id: 'first', run: () => 1 })
      .task({
        id: 'adder',
        run: async (_, ctx) => {
          for (const spec of [{ id: 'first', run: () => 1 }, { id: 'x', dependsOn: ['ghost'], run: () => 1 }, { id: 'y', run: 'no' as never }]) {
            await ctx.addTask(spec).catch((e: unknown) => errors.push(e));
          }
          await ctx.addTask({ id: 'p', run: () => 1, dependsOn: ['adder'] });
          await ctx.addTask({ id: 'q', run: () => 1, dependsOn: ['p'] });
          try {
            ctx.addDependency('p', 'q');
          } catch (e) {
            errors.push(e);
          }
          try {
            ctx.addDependency('first', 'q');
          } catch (e) {
            errors.push(e);
          }
        },
      });
    const result = await wf.run();
    expect(result.status).toBe('succeeded');
    expect((errors[0] as Error).message).toMatch(/Duplicate task id `first`/);
    expect((errors[1] as Error).message).toBe('Task `x` depends on unknown task `ghost`');
    expect((errors[2] as Error).message).toBe('task `y`: Expected `run` to be a function, got `"no"` (string)');
    expect(errors[3]).toBeInstanceOf(CycleDetectedError);
    expect((errors[3] as CycleDetectedError).cycle).toEqual(['p', 'q']);
    expect(isWeftError(errors[4], 'INVALID_STATE')).toBe(true);
  });

  it('onTaskComplete hooks add tasks before dependents are released', async () => {
    const wf = workflow()
      .task({ id: 'search', run: () => ['x', 'y'] })
      .task({ id: 'summarise', dependsOn: ['search'], run: (input) => Object.keys(input).length })
      .onTaskComplete('search', (output, ctl) => {
        for (const hit of output as string[]) {
          void ctl.addTask({ id: `read-${hit}`, run: () => hit });
          ctl.addDependency('summarise', `read-${hit}`);
        }
      });
    const result = await wf.run();
    expect(result.output('summarise')).toBe(3);
    const failing = await workflow().task({ id: 'a', run: () => 1 }).onTaskComplete('a', () => { throw new Error('hook broke'); }).run();
    expect((failing.task('a')!.error as Error).message).toBe('hook broke');
  });

  it('a task added on a failed dependency is skipped at once', async () => {
    const gate = deferred();
    const wf = workflow()
      .task({ id: 'bad', run: () => { throw new Error('x'); } })
      .task({ id: 'later', run: async (_, ctx) => { await gate.promise; await ctx.addTask({ id: 'orphan', dependsOn: ['bad'], run: () => 1 }); } });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('bad')!.status === 'failed');
    gate.resolve();
    const result = await h.result;
    expect(result.task('orphan')).toMatchObject({ status: 'skipped', attempts: 0 });
    expect((result.task('orphan')!.error as Error).message).toBe('task `orphan` skipped: dependency `bad` failed');
  });

  it('backpressure: beyond maxPendingTasks addTask waits for room, or rejects with QUEUE_FULL', async () => {
    const gate = deferred();
    let added = false;
    const wf = workflow({ maxPendingTasks: 2 })
      .task({ id: 'blocker', run: () => gate.promise })
      .task({ id: 'adder', run: async (_, ctx) => { await ctx.addTask({ id: 'extra', run: () => 'x' }); added = true; } });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('adder')!.status === 'running');
    expect(added).toBe(false);
    // The adder has called addTask by now: without room the run must not hold the task yet.
    expect(h.task('extra')).toBeUndefined();
    gate.resolve();
    const result = await h.result;
    expect(added).toBe(true);
    expect(result.output('extra')).toBe('x');

    const strict = workflow({ maxPendingTasks: 1, backpressure: 'error' }).task({ id: 'adder', run: (_, ctx) => ctx.addTask({ id: 'extra', run: () => 1 }) });
    const failed = await strict.run();
    expect(isWeftError(failed.task('adder')!.error, 'QUEUE_FULL')).toBe(true);
    expect((failed.task('adder')!.error as Error).message).toMatch(/already has 1 unfinished tasks \(maxPendingTasks\)/);
  });
});

describe('pause for human input', () => {
  it('a suspended task leaves its slot; siblings run; resume() continues it with the data', async () => {
    const wf = workflow({ concurrency: 1 })
      .task({ id: 'approve', priority: 10, run: async (_, ctx) => `approved by ${String(await ctx.suspend('needs sign-off', { amount: 5 }))}` })
      .task({ id: 'sibling', run: () => 'sibling done' })
      .task({ id: 'ship', dependsOn: ['approve'], run: (input) => input.approve });
    const h = wf.start();
    const suspended: unknown[] = [];
    h.on('task:suspended', (e) => suspended.push([e.taskId, e.reason, e.payload]));
    await until((t, fn) => h.on(t, fn), () => h.task('sibling')!.status === 'succeeded');
    expect(h.suspended()).toEqual(['approve']);
    expect(h.task('approve')!.status).toBe('suspended');
    expect(suspended).toEqual([['approve', 'needs sign-off', { amount: 5 }]]);
    expect(() => h.resume('sibling')).toThrow('cannot resume task `sibling`: it is succeeded, not suspended');
    h.resume('approve', 'ada');
    const result = await h.result;
    expect(result.output('ship')).toBe('approved by ada');
    expect(h.metrics().events['task:resumed']).toBe(1);
  });

  it('cancelling a run rejects the pending suspend with TASK_CANCELLED', async () => {
    const seen = deferred<unknown>();
    const h = workflow().task({ id: 'ask', run: (_, ctx) => ctx.suspend('question').catch((e: unknown) => { seen.resolve(e); throw e; }) }).start();
    await until((t, fn) => h.on(t, fn), () => h.suspended().length === 1);
    h.cancel();
    expect(isWeftError(await seen.promise, 'TASK_CANCELLED')).toBe(true);
    expect((await h.result).task('ask')!.status).toBe('cancelled');
  });
});

describe('live control', () => {
  it('retryTask reopens a failed task and the dependents it caused to be skipped', async () => {
    let fail = true;
    const gate = deferred();
    const wf = workflow()
      .task({ id: 'fetch', run: () => { if (fail) throw new Error('down'); return 'data'; } })
      .task({ id: 'use', dependsOn: ['fetch'], run: (input) => `used ${String(input.fetch)}` })
      .task({ id: 'keep-alive', run: () => gate.promise });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('use')!.status === 'skipped');
    expect(() => h.retryTask('use')).toThrow('cannot retry task `use`: its dependency `fetch` is failed; retry that one');
    fail = false;
    h.retryTask('fetch');
    await until((t, fn) => h.on(t, fn), () => h.task('use')!.status === 'succeeded');
    gate.resolve();
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(result.task('fetch')!.attempts).toBe(2);
    expect(() => h.retryTask('fetch')).toThrow(/run .* has ended/);
  });

  it('retryTask restarts a running task: the old attempt aborts', async () => {
    const reasons: unknown[] = [];
    const h = workflow()
      .task({ id: 'stuck', run: (_, ctx) => { if (ctx.attempt === 2) return 'second'; ctx.signal.addEventListener('abort', () => reasons.push(ctx.signal.reason)); return new Promise(() => {}); } })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('stuck')!.status === 'running');
    h.retryTask('stuck');
    const result = await h.result;
    expect(result.output('stuck')).toBe('second');
    expect((reasons[0] as Error).message).toBe('task `stuck` cancelled: restarted by retryTask()');
  });

  it('setPriority re-orders waiting tasks', async () => {
    const order: string[] = [];
    const gate = deferred();
    const wf = workflow({ concurrency: 1 })
      .task({ id: 'first', priority: 100, run: () => gate.promise })
      .task({ id: 'a', priority: 2, run: () => void order.push('a') })
      .task({ id: 'b', priority: 1, run: () => void order.push('b') });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('first')!.status === 'running');
    h.setPriority('b', 50);
    expect(() => h.setPriority('a', Infinity)).toThrow('Expected `priority` to be a finite number, got `Infinity` (number)');
    gate.resolve();
    await h.result;
    expect(order).toEqual(['b', 'a']);
    // The change belonged to that run: the next run of the workflow starts from the defined priorities.
    order.length = 0;
    await wf.run();
    expect(order).toEqual(['a', 'b']);
  });
});
