// What a task receives: its input object, its context's fields and checks.
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { workflow, type TaskContext, type TaskInput } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

describe('task input', () => {
  it('holds exactly the dependencies\' outputs, defined and added ones, with no prototype', async () => {
    const inputs = new Map<string, TaskInput>();
    const keep = (id: string) => (input: TaskInput) => {
      inputs.set(id, input);
      return id.toUpperCase();
    };
    const gate = deferred();
    const wf = workflow()
      .task({ id: 'a', run: keep('a') })
      .task({ id: 'b', run: keep('b') })
      .task({ id: 'c', dependsOn: ['a'], run: keep('c') })
      .task({ id: 'g', run: async () => { await gate.promise; return 'G'; } })
      .task({
        id: 'planner',
        dependsOn: ['b'],
        run: async (input, ctx) => {
          inputs.set('planner', input);
          await ctx.addTask({ id: 'added', dependsOn: ['a', 'g', 'a'], run: keep('added') });
          await ctx.addTask({ id: 'lone', run: keep('lone') });
          ctx.addDependency('added', 'c'); // already succeeded: its output is still passed
          gate.resolve();
        },
      });
    const result = await wf.run();
    expect(result.status).toBe('succeeded');
    expect(Object.getPrototypeOf(inputs.get('a'))).toBeNull();
    expect({ ...inputs.get('a') }).toEqual({});
    expect({ ...inputs.get('lone') }).toEqual({});
    expect({ ...inputs.get('planner') }).toEqual({ b: 'B' });
    expect({ ...inputs.get('c') }).toEqual({ a: 'A' });
    expect({ ...inputs.get('added') }).toEqual({ a: 'A', g: 'G', c: 'C' });
    expect(Object.getPrototypeOf(inputs.get('added'))).toBeNull();
  });

  it('a dependency id like a prototype member is just a key', async () => {
    let seen: TaskInput | undefined;
    await workflow()
      .task({ id: 'constructor', run: () => 'not a function' })
      .task({ id: 'toString', dependsOn: ['constructor'], run: (input) => void (seen = input) })
      .run();
    expect(seen!.constructor).toBe('not a function');
  });
});

describe('task context', () => {
  it('carries the task id, attempt, run input and no memory without one', async () => {
    const seen: unknown[] = [];
    await workflow()
      .task({
        id: 'x',
        retry: { maxAttempts: 2, initialDelayMs: 0 },
        run: (_, ctx) => {
          seen.push([ctx.taskId, ctx.attempt, ctx.runInput, ctx.memory, ctx.resumeData]);
          if (ctx.attempt === 1) throw new Error('again');
        },
      })
      .run({ input: 42 });
    expect(seen).toEqual([['x', 1, 42, undefined, undefined], ['x', 2, 42, undefined, undefined]]);
  });

  it('gives resumeData to the resumed attempt only', async () => {
    const data: unknown[] = [];
    const h = workflow()
      .task({
        id: 's',
        run: async (_, ctx) => {
          data.push(ctx.resumeData);
          const answer = await ctx.suspend('?');
          data.push(ctx.resumeData, answer);
        },
      })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.suspended().length === 1);
    h.resume('s', { ok: true });
    await h.result;
    expect(data).toEqual([undefined, { ok: true }, { ok: true }]);
  });

  it('a signal first read after the attempt ended is already aborted, with the reason', async () => {
    let kept: TaskContext | undefined;
    const gate = deferred();
    const h = workflow()
      .task({
        id: 'late',
        timeoutMs: 5,
        run: async (_, ctx) => {
          kept = ctx;
          await gate.promise;
        },
      })
      .start();
    const result = await h.result;
    expect(result.task('late')!.status).toBe('failed');
    const signal = kept!.signal;
    expect(signal.aborted).toBe(true);
    expect(isWeftError(signal.reason, 'TASK_TIMEOUT')).toBe(true);
    expect(kept!.signal).toBe(signal);
    gate.resolve();
  });

  it('a signal read after a success is aborted with INVALID_STATE, naming the attempt', async () => {
    let kept: TaskContext | undefined;
    await workflow().task({ id: 'done', run: (_, ctx) => void (kept = ctx) }).run();
    expect(kept!.signal.aborted).toBe(true);
    expect(isWeftError(kept!.signal.reason, 'INVALID_STATE')).toBe(true);
    expect((kept!.signal.reason as Error).message).toBe('attempt 1 of task `done` is over');
  });

  it('reportTokens takes finite counts >= 0, and is a no-op without a limiter', async () => {
    const errors: string[] = [];
    const result = await workflow()
      .task({
        id: 't',
        run: (_, ctx) => {
          ctx.reportTokens(0);
          ctx.reportTokens(10);
          for (const bad of [-1, Number.NaN, Infinity, '5']) {
            try {
              ctx.reportTokens(bad as number);
            } catch (e) {
              errors.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
            }
          }
        },
      })
      .run();
    expect(result.status).toBe('succeeded');
    expect(errors).toEqual([
      'RangeError: Expected `tokens` to be a finite number >= 0, got `-1` (number)',
      'RangeError: Expected `tokens` to be a finite number >= 0, got `NaN` (number)',
      'RangeError: Expected `tokens` to be a finite number >= 0, got `Infinity` (number)',
      'RangeError: Expected `tokens` to be a finite number >= 0, got `5` (string)',
    ]);
  });

  it('rememberOutput without the workflow\'s memory fails the task, saying so', async () => {
    const result = await workflow().task({ id: 'r', rememberOutput: true, run: () => 'x' }).run();
    expect(result.task('r')!.status).toBe('failed');
    expect((result.task('r')!.error as Error).message).toBe('task `r`: `rememberOutput` needs the workflow\'s `memory` option');
  });

  it('suspend() takes a string reason and works only while running', async () => {
    const errors: unknown[] = [];
    await workflow()
      .task({
        id: 'q',
        run: async (_, ctx) => {
          await ctx.suspend(5 as never).catch((e: unknown) => errors.push(e));
        },
      })
      .run();
    expect((errors[0] as Error).message).toBe('Expected `reason` to be a string, got `5` (number)');
    let kept: TaskContext | undefined;
    await workflow().task({ id: 'over', run: (_, ctx) => void (kept = ctx) }).run();
    const late = await kept!.suspend('too late').catch((e: unknown) => e);
    expect(isWeftError(late, 'INVALID_STATE')).toBe(true);
    expect((late as Error).message).toBe('task `over` cannot suspend: it is succeeded');
  });
});
