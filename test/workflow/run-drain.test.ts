// handle.drain(): no task starts, running ones get the grace period, the rest are interrupted, and
// a resume of the recorded run runs exactly those again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isWeftError, RunInterruptedError } from '../../src/errors.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';
import { onFakeClock } from '../helpers/fake-clock.js';
import { memoryDurableStore } from '../helpers/memory-durable-store.js';

afterEach(() => {
  vi.useRealTimers();
});

const never = (ctx: TaskContext): Promise<never> => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

describe('handle.drain', () => {
  it('lets running tasks finish within graceMs and starts nothing new: the task never started is interrupted', async () => {
    const gate = deferred<string>();
    const wf = workflow({ concurrency: 1 });
    wf.task({ id: 'a', run: () => gate.promise });
    wf.task({ id: 'b', run: () => 'b' });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('a')?.status === 'running');
    const drained = h.drain({ graceMs: 60_000 });
    gate.resolve('a');
    const result = await drained;
    expect(result.status).toBe('interrupted'); // b never started: it is interrupted
    expect(result.output('a')).toBe('a');
    expect(result.task('b')?.status).toBe('cancelled');
    expect(result.task('b')?.error).toBeInstanceOf(RunInterruptedError);
  });

  it('after graceMs stops the tasks still running (their signal aborts with RUN_INTERRUPTED)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const reasons: unknown[] = [];
    const wf = workflow();
    wf.task({ id: 'slow', run: (_i, ctx) => (ctx.signal.addEventListener('abort', () => reasons.push(ctx.signal.reason)), never(ctx)) });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('slow')?.status === 'running');
    const t0 = performance.now();
    const result = await onFakeClock(h.drain({ graceMs: 500 }));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(500);
    expect(result.status).toBe('interrupted');
    expect(isWeftError(result.task('slow')?.error, 'RUN_INTERRUPTED')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(isWeftError(reasons[0], 'RUN_INTERRUPTED')).toBe(true);
  });

  it('ends the grace period when its signal aborts, and a finished run drains to its own result', async () => {
    const wf = workflow();
    wf.task({ id: 'slow', run: (_i, ctx) => never(ctx) });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('slow')?.status === 'running');
    const stop = new AbortController();
    const drained = h.drain({ graceMs: 1e9, signal: stop.signal });
    stop.abort();
    expect((await drained).status).toBe('interrupted');
    const done = await workflow().task({ id: 'x', run: () => 1 }).run();
    expect(done.status).toBe('succeeded');
    expect(() => h.drain({ graceMs: -1 })).toThrow('Expected `graceMs` to be a number in [0, 2147483647], got `-1` (number)');
  });

  it('records the run as interrupted; resuming it runs exactly the interrupted tasks', async () => {
    const store = memoryDurableStore();
    const ran: string[] = [];
    const define = (slow: (ctx: TaskContext) => unknown) => {
      const wf = workflow({ store });
      wf.task({ id: 'fast', run: () => (ran.push('fast'), 1) });
      wf.task({ id: 'slow', run: (_i, ctx) => (ran.push('slow'), slow(ctx)) });
      wf.task({ id: 'last', dependsOn: ['fast', 'slow'], run: () => (ran.push('last'), 3) });
      return wf;
    };
    const h = define(never).start({ runId: 'dr' });
    await until((t, fn) => h.on(t, fn), () => h.task('slow')?.status === 'running' && h.task('fast')?.status === 'succeeded');
    const first = await h.drain({ graceMs: 0 });
    expect(first.status).toBe('interrupted');
    expect(store.batches.get('dr')!.flat().at(-1)).toMatchObject({ type: 'run:end', status: 'interrupted' });
    expect(store.calls).toEqual(['begin dr', 'end dr']);
    ran.length = 0;
    const again = await define(() => 2).run({ runId: 'dr' });
    expect(again.status).toBe('succeeded');
    expect(ran).toEqual(['slow', 'last']);
  });
});
