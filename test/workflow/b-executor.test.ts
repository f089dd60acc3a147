// A custom executor plugged into the engine the way a worker-thread or remote one will be: it
// receives attempts as data, runs them later, elsewhere (a structured clone of the input stands
// for the trip), and reports tokens, heartbeats and outcomes back.
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import type { Attempt, Executor } from '../../src/executors/executor.js';
import { workflow, type WorkflowEvent } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';

/** Runs each attempt on a later macrotask with a cloned input; remembers what it was handed. */
function farExecutor(): Executor & { readonly seen: Attempt[] } {
  const seen: Attempt[] = [];
  return {
    name: 'far',
    seen,
    execute(attempt) {
      seen.push(attempt);
      const input = structuredClone({ ...attempt.input });
      return new Promise((resolve, reject) => {
        setImmediate(() => {
          try {
            resolve(attempt.task.run!(input, attempt.context));
          } catch (error) {
            reject(error);
          }
        });
      });
    },
  };
}

describe('the executor seam', () => {
  it('hands each attempt with its identity, input and attempt number, and takes its value or error back', async () => {
    const executor = farExecutor();
    const wf = workflow({ executor })
      .task({ id: 'a', run: () => ({ n: 2 }) })
      .task({
        id: 'b',
        dependsOn: ['a'],
        retry: { maxAttempts: 2, initialDelayMs: 0 },
        run: (input, ctx) => {
          if (ctx.attempt === 1) throw new Error('first try');
          return (input.a as { n: number }).n * 10;
        },
      });
    const r = await wf.run({ runId: 'far-1' });
    expect(r.status).toBe('succeeded');
    expect(r.output('b')).toBe(20);
    expect(executor.seen.map((x) => `${x.runId}/${x.taskId}#${x.attempt}`)).toEqual(['far-1/a#1', 'far-1/b#1', 'far-1/b#2']);
    expect(executor.seen[1].input).toEqual({ a: { n: 2 } });
    expect(executor.seen[1].task.id).toBe('b');
    expect(executor.seen[1].deadline).toBeUndefined();
    expect(r.task('b')!.attempts).toBe(2);
  });

  it('gives an attempt with timeoutMs its deadline, and fails it at the deadline whatever the executor does', async () => {
    const never = deferred<never>();
    const executor: Executor = { name: 'stuck', execute: () => never.promise };
    const before = performance.timeOrigin + performance.now();
    const r = await workflow({ executor }).task({ id: 't', timeoutMs: 20, run: () => 1 }).run();
    expect(r.task('t')!.status).toBe('failed');
    expect(isWeftError(r.task('t')!.error, 'TASK_TIMEOUT')).toBe(true);
    let deadline: number | undefined;
    const probe: Executor = { name: 'probe', execute: (a) => ((deadline = a.deadline), a.context.deadline) };
    const r2 = await workflow({ executor: probe }).task({ id: 't', timeoutMs: 5_000, run: () => 1 }).run();
    expect(r2.output('t')).toBe(deadline);
    expect(deadline!).toBeGreaterThanOrEqual(before + 5_000);
    expect(deadline!).toBeLessThanOrEqual(r2.task('t')!.startedAt! + 5_000 + 1);
  });

  it('aborts the signal it handed over when the task is cancelled', async () => {
    const started = deferred<Attempt>();
    const executor: Executor = {
      name: 'waits',
      execute: (a) => {
        started.resolve(a);
        return new Promise((_, reject) => a.signal.addEventListener('abort', () => reject(a.signal.reason), { once: true }));
      },
    };
    const h = workflow({ executor }).task({ id: 't', run: () => 1 }).start();
    const attempt = await started.promise;
    expect(attempt.signal.aborted).toBe(false);
    h.cancelTask('t', 'no longer needed');
    expect(attempt.signal.aborted).toBe(true);
    expect(isWeftError(attempt.signal.reason, 'TASK_CANCELLED')).toBe(true);
    expect((await h.result).task('t')!.status).toBe('cancelled');
  });

  it('counts a synchronous throw of the executor itself as the attempt’s failure', async () => {
    const executor: Executor = { name: 'broken', execute: () => { throw new Error('cannot post'); } };
    const r = await workflow({ executor }).task({ id: 't', run: () => 1 }).run();
    expect(r.task('t')!.status).toBe('failed');
    expect((r.task('t')!.error as Error).message).toBe('cannot post');
  });

  it('carries token reports and heartbeats back from where the task runs', async () => {
    const executor = farExecutor();
    const events: WorkflowEvent[] = [];
    const h = workflow({ executor })
      .task({
        id: 'llm',
        run: (_input, ctx) => {
          ctx.reportTokens(120);
          ctx.heartbeat({ step: 1 });
          ctx.reportTokens(30);
          ctx.heartbeat();
          return 'answer';
        },
      })
      .start();
    h.on('task:heartbeat', (e) => events.push(e));
    await h.result;
    expect(h.metrics().tokens).toBe(150);
    expect(h.metrics().events['task:heartbeat']).toBe(2);
    expect(events.map((e) => [e.taskId, e.attempt, e.progress])).toEqual([
      ['llm', 1, { step: 1 }],
      ['llm', 1, undefined],
    ]);
  });

  it('ignores a heartbeat of an attempt that is already over', async () => {
    let late: (() => void) | undefined;
    const r = workflow().task({ id: 't', run: (_i, ctx) => void (late = () => ctx.heartbeat('late')) }).start();
    await r.result;
    late!();
    expect(r.metrics().events['task:heartbeat']).toBeUndefined();
  });

  it('rejects an executor that is not one, naming the option', () => {
    expect(() => workflow({ executor: {} as never })).toThrow('Expected `executor` to be an Executor (an object with an execute(attempt) method), got `{}` (object)');
    expect(() => workflow({ executor: null as never })).toThrow('Expected `executor` to be an Executor');
  });
});
