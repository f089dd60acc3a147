// How tasks and runs end other than by succeeding: the errors they carry, what is skipped or
// cancelled, and what the run reports, through the public API only.
import { describe, expect, it } from 'vitest';
import { isWeftError, TaskCancelledError } from '../../src/errors.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

const waitForAbort = (ctx: TaskContext): Promise<never> =>
  new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

describe('run cancellation reasons', () => {
  it.each([
    [undefined, 'run cancelled: cancelled'],
    ['stop now', 'run cancelled: stop now'],
    [42, 'run cancelled: 42'],
    [new Error('user pressed stop'), 'run cancelled: user pressed stop'],
  ])('cancel(%j) gives every unfinished task one TASK_CANCELLED error', async (reason, message) => {
    const gate = deferred();
    const h = workflow()
      .task({ id: 'running', run: () => gate.promise })
      .task({ id: 'pending', dependsOn: ['running'], run: () => 1 })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('running')!.status === 'running');
    h.cancel(reason);
    const result = await h.result;
    expect(result.status).toBe('cancelled');
    const errors = result.tasks.map((t) => t.error as TaskCancelledError);
    expect(errors[0]).toBe(errors[1]);
    expect(errors[0].message).toBe(message);
    expect(errors[0].taskId).toBeUndefined();
    expect(errors[0].cause).toBe(reason);
    expect(result.counts.cancelled).toBe(2);
    gate.resolve();
  });

  it('a TASK_CANCELLED reason is kept as it is', async () => {
    const reason = new TaskCancelledError(undefined, 'shutdown');
    const h = workflow().task({ id: 'x', run: () => new Promise(() => {}) }).start();
    await until((t, fn) => h.on(t, fn), () => h.task('x')!.status === 'running');
    h.cancel(reason);
    expect((await h.result).task('x')!.error).toBe(reason);
  });

  it('cancel() after the run ended changes nothing', async () => {
    const h = workflow().task({ id: 'x', run: () => 1 }).start();
    const result = await h.result;
    h.cancel('late');
    expect(result.status).toBe('succeeded');
    expect(h.task('x')!.status).toBe('succeeded');
    expect(h.metrics().events['task:cancelled']).toBeUndefined();
  });

  it('cancelling rejects suspended tasks\' suspend() and aborts running and resuming tasks', async () => {
    const outcomes: string[] = [];
    const both = deferred();
    const note = (id: string) => (e: unknown) => {
      if (outcomes.push(`${id}:${isWeftError(e, 'TASK_CANCELLED')}`) === 2) both.resolve();
    };
    const h = workflow({ concurrency: 1 })
      .task({ id: 'sus', priority: 3, run: (_, ctx) => ctx.suspend('?').catch(note('sus')) })
      .task({ id: 'run', priority: 2, run: (_, ctx) => waitForAbort(ctx).catch(note('run')) })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('run')!.status === 'running');
    h.resume('sus', 'ok'); // waits for the slot: it is resuming, not running
    h.cancel('stop');
    const result = await h.result;
    expect(result.counts.cancelled).toBe(2);
    await both.promise;
    expect(outcomes.sort()).toEqual(['run:true', 'sus:true']);
  });
});

describe('failures', () => {
  it('a critical failure ends the run failed, naming the task, with the error as cause', async () => {
    const boom = new Error('policy violated');
    const result = await workflow()
      .task({ id: 'gate', critical: true, run: () => { throw boom; } })
      .task({ id: 'other', run: () => new Promise(() => {}) })
      .run();
    expect(result.status).toBe('failed');
    expect(result.task('gate')!.error).toBe(boom);
    const cancelled = result.task('other')!.error as Error;
    expect(cancelled.message).toBe('run cancelled: critical task `gate` failed');
    expect(((cancelled.cause as Error).cause as Error)).toBe(boom);
  });

  it('a non-critical failure fails the run only at its end, after the rest ran', async () => {
    const result = await workflow()
      .task({ id: 'bad', run: () => Promise.reject(new Error('x')) })
      .task({ id: 'good', run: async () => 'fine' })
      .run();
    expect(result.status).toBe('failed');
    expect(result.output('good')).toBe('fine');
    expect(result.counts).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('skips a whole diamond below a failure once, naming the first dependency that failed', async () => {
    const skipped: string[] = [];
    const h = workflow()
      .task({ id: 'root', run: () => { throw new Error('x'); } })
      .task({ id: 'l', dependsOn: ['root'], run: () => 1 })
      .task({ id: 'r', dependsOn: ['root'], run: () => 1 })
      .task({ id: 'join', dependsOn: ['l', 'r'], run: () => 1 })
      .task({ id: 'ok', run: () => 1 })
      .start();
    h.on('task:skipped', (e) => skipped.push(e.taskId!));
    const result = await h.result;
    expect(skipped.sort()).toEqual(['join', 'l', 'r']);
    expect((result.task('l')!.error as Error).message).toBe('task `l` skipped: dependency `root` failed');
    expect((result.task('join')!.error as Error).message).toMatch(/^task `join` skipped: dependency `[lr]` skipped$/);
    expect(result.counts).toMatchObject({ failed: 1, skipped: 3, succeeded: 1 });
    expect(result.tasks.every((t) => t.endedAt !== undefined)).toBe(true);
  });

  it('retries until maxAttempts, then fails with the last error and every attempt counted', async () => {
    let n = 0;
    const h = workflow()
      .task({ id: 'f', retry: { maxAttempts: 3, initialDelayMs: 0 }, run: () => { throw new Error(`try ${++n}`); } })
      .start();
    const events: string[] = [];
    h.on('*', (e) => e.taskId === 'f' && events.push(`${e.type}#${e.attempt}`));
    const result = await h.result;
    expect(result.task('f')).toMatchObject({ status: 'failed', attempts: 3 });
    expect((result.task('f')!.error as Error).message).toBe('try 3');
    expect(events).toEqual([
      'task:ready#0', 'task:start#1', 'task:retry#1',
      'task:ready#1', 'task:start#2', 'task:retry#2',
      'task:ready#2', 'task:start#3', 'task:failed#3',
    ]);
  });

  it('a 429\'s retryAfterMs sets the retry delay even without a rate limiter', async () => {
    let n = 0;
    const h = workflow()
      .task({
        id: 'x',
        retry: { maxAttempts: 3, initialDelayMs: 0, jitter: 0 },
        run: () => {
          n++;
          if (n === 1) throw Object.assign(new Error('429'), { retryAfterMs: 7 });
          if (n === 2) throw Object.assign(new Error('429'), { retryAfterMs: -5, retryAfter: 0.003 });
          return 'ok';
        },
      })
      .start();
    const delays: number[] = [];
    h.on('task:retry', (e) => delays.push(e.delayMs!));
    expect((await h.result).output('x')).toBe('ok');
    expect(delays).toEqual([7, 3]);
  });

  it('a thrown non-error value is kept as the task\'s error', async () => {
    const result = await workflow().task({ id: 'x', run: () => Promise.reject('plain string') }).run();
    expect(result.task('x')!.error).toBe('plain string');
    const nul = await workflow().task({ id: 'y', run: () => Promise.reject(null) }).run();
    expect(nul.task('y')!.status).toBe('failed');
  });
});
