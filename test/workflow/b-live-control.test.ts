// Live control of single tasks and dynamic dependencies: every state they accept or refuse,
// with the message they refuse with, through the public API only.
import { describe, expect, it } from 'vitest';
import { CycleDetectedError, isWeftError } from '../../src/errors.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

const waitForAbort = (ctx: TaskContext): Promise<never> =>
  new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

describe('cancelTask', () => {
  it('rejects the suspend() a cancelled suspended task is waiting on, so its code can unwind', async () => {
    const unwound = deferred<unknown>();
    const h = workflow()
      .task({ id: 'ask', run: async (_, ctx) => {
        try {
          return await ctx.suspend('approve?');
        } catch (error) {
          unwound.resolve(error);
          throw error;
        }
      } })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.suspended().length === 1);
    expect(h.cancelTask('ask', 'rejected by the reviewer')).toBe(true);
    const error = await unwound.promise;
    expect(isWeftError(error, 'TASK_CANCELLED')).toBe(true);
    expect((error as Error).message).toBe('task `ask` cancelled: rejected by the reviewer');
    expect((await h.result).task('ask')!.status).toBe('cancelled');
  });

  it('cancels pending, ready, retrying and suspended tasks, each with its own error', async () => {
    const gate = deferred();
    const h = workflow({ concurrency: 1 })
      .task({ id: 'busy', priority: 10, run: () => gate.promise })
      .task({ id: 'ready', run: () => 1 })
      .task({ id: 'pending', dependsOn: ['busy'], run: () => 1 })
      .task({ id: 'child', dependsOn: ['pending'], run: () => 1 })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('busy')!.status === 'running');
    expect(h.cancelTask('ready')).toBe(true);
    expect(h.cancelTask('pending', new Error('not needed'))).toBe(true);
    expect(h.cancelTask('pending')).toBe(false);
    gate.resolve();
    const result = await h.result;
    expect((result.task('ready')!.error as Error).message).toBe('task `ready` cancelled: cancelled by cancelTask()');
    expect((result.task('pending')!.error as Error).message).toBe('task `pending` cancelled: not needed');
    expect((result.task('child')!.error as Error).message).toBe('task `child` skipped: dependency `pending` cancelled');
    expect(result.task('busy')!.status).toBe('succeeded');
    expect(result.status).toBe('failed');
    expect(h.cancelTask('busy')).toBe(false);
  });

  it('cancels a retrying task before its next attempt, and a suspended one', async () => {
    let attempts = 0;
    const h = workflow()
      .task({ id: 'again', retry: { maxAttempts: 5, initialDelayMs: 60_000 }, run: () => { attempts++; throw new Error('x'); } })
      .task({ id: 'ask', run: (_, ctx) => ctx.suspend('?') })
      .task({ id: 'after-ask', dependsOn: ['ask'], run: () => 1 })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('again')!.status === 'retrying' && h.suspended().length === 1);
    expect(h.cancelTask('again', 'enough')).toBe(true);
    expect(h.cancelTask('ask')).toBe(true);
    expect(h.suspended()).toEqual([]);
    const result = await h.result;
    expect(attempts).toBe(1);
    expect((result.task('again')!.error as Error).message).toBe('task `again` cancelled: enough');
    expect((result.task('ask')!.error as Error).message).toBe('task `ask` cancelled: cancelled by cancelTask()');
    expect(result.task('after-ask')!.status).toBe('skipped');
    expect(() => h.cancelTask(5 as never)).toThrow(/^Unknown task `5` in run /);
  });
});

describe('retryTask', () => {
  it('restarts a retrying task at once, with a fresh retry budget', async () => {
    let attempts = 0;
    const h = workflow()
      .task({
        id: 'x',
        retry: { maxAttempts: 2, initialDelayMs: 60_000, jitter: 0 },
        run: () => {
          if (++attempts < 3) throw new Error(`fail ${attempts}`);
          return 'third';
        },
      })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('x')!.status === 'retrying');
    h.retryTask('x'); // no 60 s wait: attempt 2 now, and it may still be retried once
    await until((t, fn) => h.on(t, fn), () => h.task('x')!.attempts === 2 && h.task('x')!.status === 'retrying');
    h.retryTask('x');
    const result = await h.result;
    expect(result.task('x')).toMatchObject({ status: 'succeeded', attempts: 3, output: 'third' });
  });

  it('refuses tasks that are pending, ready, suspended or succeeded, naming the state', async () => {
    const gate = deferred();
    const hold = deferred();
    const h = workflow({ concurrency: 2 })
      .task({ id: 'busy', priority: 9, run: () => gate.promise })
      .task({ id: 'hold', priority: 8, run: () => hold.promise })
      .task({ id: 'ready', run: () => 1 })
      .task({ id: 'pending', dependsOn: ['busy'], run: () => 1 })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('hold')!.status === 'running');
    expect(() => h.retryTask('ready')).toThrow('cannot retry task `ready`: it is ready');
    expect(() => h.retryTask('pending')).toThrow('cannot retry task `pending`: it is pending');
    const e = (() => { try { h.retryTask('pending'); } catch (error) { return error; } })();
    expect(isWeftError(e, 'INVALID_STATE')).toBe(true);
    gate.resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('busy')!.status === 'succeeded');
    expect(() => h.retryTask('busy')).toThrow('cannot retry task `busy`: it is succeeded');
    hold.resolve();
    await h.result;
  });

  it('reopens a cancelled task and its skipped dependents, but not those another failure holds', async () => {
    const gate = deferred();
    const h = workflow()
      .task({ id: 'slow', run: (_, ctx) => (ctx.attempt === 1 ? waitForAbort(ctx) : 'slow done') })
      .task({ id: 'bad', run: () => { throw new Error('bad'); } })
      .task({ id: 'after', dependsOn: ['slow'], run: (input) => `after ${String(input.slow)}` })
      .task({ id: 'both', dependsOn: ['slow', 'bad'], run: () => 'never' })
      .task({ id: 'hold', run: () => gate.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('slow')!.status === 'running' && h.task('bad')!.status === 'failed');
    h.cancelTask('slow');
    expect(h.task('after')!.status).toBe('skipped');
    h.retryTask('slow');
    await until((t, fn) => h.on(t, fn), () => h.task('after')!.status === 'succeeded');
    gate.resolve();
    const result = await h.result;
    expect(result.output('after')).toBe('after slow done');
    expect(result.task('both')!.status).toBe('skipped');
    expect((result.task('both')!.error as Error).message).toMatch(/dependency `(bad` failed|slow` cancelled)/);
    expect(result.counts).toMatchObject({ succeeded: 3, failed: 1, skipped: 1 });
  });
});

describe('addDependency while running', () => {
  it('refuses started tasks, itself, unknown ids, cycles, and a run that ended', async () => {
    const errors: string[] = [];
    let ctxKept: TaskContext | undefined;
    const gate = deferred();
    const result = await workflow()
      .task({ id: 'a', run: () => gate.promise })
      .task({ id: 'b', dependsOn: ['a'], run: () => 'b' })
      .task({
        id: 'ctl',
        run: (_, ctx) => {
          ctxKept = ctx;
          const attempt = (fn: () => void) => {
            try {
              fn();
            } catch (e) {
              errors.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
            }
          };
          attempt(() => ctx.addDependency('a', 'b'));
          attempt(() => ctx.addDependency('b', 'b'));
          attempt(() => ctx.addDependency('b', 'ghost'));
          attempt(() => ctx.addDependency('ctl', 'b'));
          ctx.addDependency('b', 'a'); // already a defined dependency: no-op
          gate.resolve();
        },
      })
      .run();
    expect(result.status).toBe('succeeded');
    expect(errors[0]).toBe('InvalidStateError: cannot add a dependency to task `a`: it is running, not pending');
    expect(errors[1]).toBe('RangeError: Task `b` cannot depend on itself');
    expect(errors[2]).toMatch(/^RangeError: Unknown task `ghost` in run /);
    expect(errors[3]).toBe('InvalidStateError: cannot add a dependency to task `ctl`: it is running, not pending');
    expect(() => ctxKept!.addDependency('b', 'a')).toThrow(/^run .* has ended \(succeeded\)$/);
  });

  it('a new dependency on a failed task skips the dependent at once; a cycle is named in order', async () => {
    const seen: unknown[] = [];
    const gate = deferred();
    const result = await workflow()
      .task({ id: 'bad', run: () => { throw new Error('x'); } })
      .task({ id: 'hold', run: () => gate.promise })
      .task({ id: 'p', dependsOn: ['hold'], run: () => 1 })
      .task({ id: 'q', dependsOn: ['p'], run: () => 1 })
      .task({ id: 'r', dependsOn: ['q'], run: () => 1 })
      .task({
        id: 'ctl',
        dependsOn: ['bad'],
        run: () => 1,
      })
      .task({
        id: 'driver',
        run: async (_, ctx) => {
          await Promise.resolve();
          try {
            ctx.addDependency('p', 'r');
          } catch (e) {
            seen.push(e);
          }
          ctx.addDependency('r', 'bad');
          ctx.addDependency('q', 'driver'); // itself, still running: q waits for it too
          gate.resolve();
        },
      })
      .run();
    expect(seen[0]).toBeInstanceOf(CycleDetectedError);
    expect((seen[0] as CycleDetectedError).cycle).toEqual(['p', 'q', 'r']);
    expect(result.task('r')!.status).toBe('skipped');
    expect((result.task('r')!.error as Error).message).toBe('task `r` skipped: dependency `bad` failed');
    expect(result.task('q')!.status).toBe('succeeded');
    expect(result.task('ctl')!.status).toBe('skipped');
  });
});

describe('tasks added while running', () => {
  it('depend on running and succeeded tasks alike, and run when those end', async () => {
    const gate = deferred();
    const result = await workflow()
      .task({ id: 'done', run: () => 'D' })
      .task({ id: 'slow', run: async () => { await gate.promise; return 'S'; } })
      .task({
        id: 'adder',
        dependsOn: ['done'],
        run: async (_, ctx) => {
          await ctx.addTask({ id: 'joined', dependsOn: ['done', 'slow'], estimateMs: 3, run: (input) => `${String(input.done)}${String(input.slow)}` });
          gate.resolve();
        },
      })
      .run();
    expect(result.output('joined')).toBe('DS');
    expect(result.tasks.map((t) => t.id)).toEqual(['done', 'slow', 'adder', 'joined']);
  });

  it('cannot be added once the run has ended', async () => {
    let kept: TaskContext | undefined;
    await workflow().task({ id: 'a', run: (_, ctx) => void (kept = ctx) }).run();
    const e = await kept!.addTask({ id: 'late', run: () => 1 }).catch((x: unknown) => x);
    expect(isWeftError(e, 'INVALID_STATE')).toBe(true);
    expect((e as Error).message).toMatch(/^cannot add task `late`: run .* has ended \(succeeded\)$/);
  });
});

describe('refusals name the state', () => {
  it('suspended, retrying, failed and cancelled tasks, in retryTask, addDependency and resume', async () => {
    const gate = deferred();
    const h = workflow()
      .task({ id: 'sus', run: (_, ctx) => ctx.suspend('?') })
      .task({ id: 'again', retry: { maxAttempts: 3, initialDelayMs: 60_000 }, run: () => { throw new Error('x'); } })
      .task({ id: 'bad', run: () => { throw new Error('bad'); } })
      .task({ id: 'gone', run: () => gate.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.suspended().length === 1 && h.task('again')!.status === 'retrying' && h.task('bad')!.status === 'failed');
    h.cancelTask('gone');
    expect(() => h.retryTask('sus')).toThrow('cannot retry task `sus`: it is suspended');
    expect(() => h.resume('again')).toThrow('cannot resume task `again`: it is retrying, not suspended');
    expect(() => h.resume('bad')).toThrow('cannot resume task `bad`: it is failed, not suspended');
    expect(() => h.resume('gone')).toThrow('cannot resume task `gone`: it is cancelled, not suspended');
    h.resume('sus', 1);
    h.cancel();
    gate.resolve();
    await h.result;
    expect(() => h.resume('sus')).toThrow(/^cannot resume task `sus`: it is cancelled, not suspended$/);
  });
});
