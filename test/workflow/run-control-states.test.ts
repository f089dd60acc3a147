// Live control in the states the other tests pass by: a task that already succeeded while the
// run goes on, a resumed task still waiting for its slot, a cancel undone by a listener, and
// reopening chains whose other failure is the run's first task.
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { workflow } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

describe('cancelTask', () => {
  it('leaves a task that already succeeded alone while the run goes on', async () => {
    const gate = deferred();
    const h = workflow()
      .task({ id: 'done', run: () => 'D' })
      .task({ id: 'after', dependsOn: ['done', 'hold'], run: (input) => `after ${String(input.done)}` })
      .task({ id: 'hold', run: () => gate.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('done')!.status === 'succeeded');
    expect(h.cancelTask('done')).toBe(false);
    expect(h.task('done')!.status).toBe('succeeded');
    gate.resolve();
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(result.output('after')).toBe('after D');
  });

  it('gives the error its reason as cause, and the task:cancelled event carries it', async () => {
    const gate = deferred();
    const h = workflow()
      .task({ id: 'hold', run: () => gate.promise })
      .task({ id: 'victim', dependsOn: ['hold'], run: () => 1 })
      .start();
    const events: unknown[] = [];
    h.on('task:cancelled', (e) => events.push(e.error));
    const reason = new Error('out of budget');
    await until((t, fn) => h.on(t, fn), () => h.task('hold')!.status === 'running');
    h.cancelTask('victim', reason);
    gate.resolve();
    const error = (await h.result).task('victim')!.error as Error;
    expect(error.message).toBe('task `victim` cancelled: out of budget');
    expect(error.cause).toBe(reason);
    expect(events).toEqual([error]);
  });

  it('of a resumed task still waiting for its slot rejects the suspend() it waits on', async () => {
    const gate = deferred();
    const unwound = deferred<unknown>();
    const h = workflow({ concurrency: 1 })
      .task({
        id: 'ask',
        priority: 10,
        run: async (_, ctx) => {
          try {
            return await ctx.suspend('approve?');
          } catch (error) {
            unwound.resolve(error);
            throw error;
          }
        },
      })
      .task({ id: 'busy', run: () => gate.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('busy')!.status === 'running');
    h.resume('ask', 'yes');
    // The slot is busy's: ask is resumed but not running yet.
    expect(h.task('ask')!.status).toBe('ready');
    expect(h.cancelTask('ask', 'withdrawn')).toBe(true);
    const error = await unwound.promise;
    expect(isWeftError(error, 'TASK_CANCELLED')).toBe(true);
    expect((error as Error).message).toBe('task `ask` cancelled: withdrawn');
    gate.resolve();
    const result = await h.result;
    expect(result.task('ask')!.status).toBe('cancelled');
    expect(result.task('busy')!.status).toBe('succeeded');
  });

  it('undone by a task:cancelled listener (retryTask) leaves the dependents waiting, not skipped', async () => {
    const gate = deferred();
    const h = workflow()
      .task({ id: 'hold', run: () => gate.promise })
      .task({ id: 'victim', dependsOn: ['hold'], run: () => 'V' })
      .task({ id: 'child', dependsOn: ['victim'], run: (input) => `child of ${String(input.victim)}` })
      .start();
    let undone = false;
    h.on('task:cancelled', (e) => {
      if (e.taskId === 'victim' && !undone) {
        undone = true;
        h.retryTask('victim');
      }
    });
    await until((t, fn) => h.on(t, fn), () => h.task('hold')!.status === 'running');
    expect(h.cancelTask('victim')).toBe(true);
    expect(h.task('child')!.status).toBe('pending');
    gate.resolve();
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(result.output('child')).toBe('child of V');
  });
});

describe('retryTask of a failed task', () => {
  it('reopens the dependents it caused to be skipped, transitively, but not one the first task\'s failure holds', async () => {
    let fail = true;
    const gate = deferred();
    const h = workflow()
      // Defined first: a failure of the task at index 0 must hold its dependents as any other does.
      .task({ id: 'first', run: () => { throw new Error('first is down'); } })
      .task({ id: 'flaky', run: () => { if (fail) throw new Error('flaky'); return 'F'; } })
      .task({ id: 'child', dependsOn: ['flaky'], run: (input) => `child ${String(input.flaky)}` })
      .task({ id: 'grandchild', dependsOn: ['child'], run: (input) => `grandchild ${String(input.child)}` })
      .task({ id: 'both', dependsOn: ['flaky', 'first'], run: () => 'never' })
      .task({ id: 'hold', run: () => gate.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('grandchild')!.status === 'skipped' && h.task('both')!.status === 'skipped');
    fail = false;
    h.retryTask('flaky');
    await until((t, fn) => h.on(t, fn), () => h.task('grandchild')!.status === 'succeeded');
    gate.resolve();
    const result = await h.result;
    expect(result.output('grandchild')).toBe('grandchild child F');
    expect(result.task('both')!.status).toBe('skipped');
    expect(result.counts).toMatchObject({ succeeded: 4, failed: 1, skipped: 1 });
  });
});
