import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getRateLimiter } from '../../src/scheduler/rate-limiter.js';
import { workflow } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

// Interactions found in review: each of these once hung a run, lost a wake-up or reported a
// wrong status. A hang shows up as this file's test timeout.

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => vi.restoreAllMocks());

describe('engine edge cases', () => {
  it('cancelTask aborts the running task’s signal', async () => {
    const started = deferred<AbortSignal>();
    const h = workflow().task({ id: 'slow', run: (_, ctx) => { started.resolve(ctx.signal); return new Promise(() => {}); } }).start();
    const signal = await started.promise;
    h.cancelTask('slow');
    await h.result;
    await turn();
    expect(signal.aborted).toBe(true);
  });

  it('a cancelled task waiting for its group does not absorb the next free slot', async () => {
    const a = deferred();
    const h = workflow({ groups: { g: 1 } })
      .task({ id: 'a', group: 'g', priority: 3, run: () => a.promise })
      .task({ id: 'b', group: 'g', priority: 2, run: () => 'b' })
      .task({ id: 'c', group: 'g', priority: 1, run: () => 'c' })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('a')!.status === 'running');
    h.cancelTask('b');
    a.resolve();
    expect((await h.result).task('c')!.status).toBe('succeeded');
  });

  it('a group slot offered to a task that then waits for its rate limiter goes to the next one', async () => {
    const a = deferred();
    const c = deferred();
    const h = workflow({ groups: { g: 1 }, rateLimits: { [`hol-${process.pid}`]: { requestsPerInterval: 1, intervalMs: 60_000 } } })
      .task({ id: 'w', rateLimit: `hol-${process.pid}`, priority: 100, run: () => 0 })
      .task({ id: 'a', group: 'g', priority: 10, run: () => a.promise })
      .task({ id: 'b', group: 'g', rateLimit: `hol-${process.pid}`, priority: 5, run: () => 0 })
      .task({ id: 'c', group: 'g', priority: 1, run: () => c.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('a')!.status === 'running');
    a.resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('c')!.status === 'running');
    expect(h.task('b')!.status).toBe('ready');
    h.cancel();
    await h.result;
    // L: the cancelled run left the shared limiter's queue.
    expect(getRateLimiter(`hol-${process.pid}`)!.state().waiting).toBe(0);
  });

  it('tasks added to a small workflow keep their priorities', async () => {
    const order: string[] = [];
    await workflow({ concurrency: 1 })
      .task({
        id: 'root',
        run: async (_, ctx) => {
          await ctx.addTask({ id: 'high', priority: 10, run: () => void order.push('high') });
          await ctx.addTask({ id: 'low', priority: 1, run: () => void order.push('low') });
          await ctx.addTask({ id: 'mid', priority: 5, run: () => void order.push('mid') });
        },
      })
      .run();
    expect(order).toEqual(['high', 'mid', 'low']);
  });

  it('a hook whose task cancels the run ends it cleanly: nothing after run:end', async () => {
    const events: string[] = [];
    const wf = workflow().task({ id: 'a', run: async () => 1 }).task({ id: 'b', dependsOn: ['a'], run: () => 2 });
    wf.onTaskComplete('a', (_o, ctl) => void ctl.addTask({ id: 'boom', critical: true, run: () => { throw new Error('x'); } }).catch(() => {}));
    const h = wf.start();
    h.on('*', (e) => events.push(e.type));
    const r = await h.result;
    expect(r.status).toBe('failed');
    expect(events.at(-1)).toBe('run:end');
    expect(h.metrics().unfinished).toBe(0);
  });

  it('retry and limiter timers longer than setTimeout’s range are capped, not fired at once', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const h = workflow().task({ id: 't', retry: { maxAttempts: 2, initialDelayMs: 0, jitter: 0 }, run: () => { throw Object.assign(new Error('429'), { retryAfter: 30 * 86_400 }); } }).start();
    await until((t, fn) => h.on(t, fn), () => h.task('t')!.status === 'retrying');
    const delays = spy.mock.calls.map((call) => call[1] ?? 0);
    expect(Math.max(...delays)).toBe(2 ** 31 - 1);
    h.cancel();
    await h.result;
  });

  it('a definition that grows while a run is live leaves that run alone', async () => {
    const gate = deferred();
    const seen: unknown[] = [];
    const wf = workflow().task({
      id: 'root',
      run: async (_, ctx) => {
        await gate.promise;
        await ctx.addTask({ id: 'child', dependsOn: ['root'], run: (input) => void seen.push({ ...input }) });
        return 'R';
      },
    });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('root')!.status === 'running');
    wf.task({ id: 'late', run: () => 0 });
    gate.resolve();
    await h.result;
    expect(seen).toEqual([{ root: 'R' }]);
    expect(h.task('late')).toBeUndefined();
    expect((await wf.run()).task('late')!.status).toBe('succeeded');
  });

  it('retryTask of a failed dependency reopens tasks added after it failed', async () => {
    let calls = 0;
    const gate = deferred();
    const h = workflow()
      .task({ id: 'f', run: () => { if (++calls === 1) throw new Error('first'); return 'F'; } })
      .task({ id: 'adder', run: async (_, ctx) => { await ctx.addTask({ id: 'd', dependsOn: ['f'], run: (input) => input.f }); await gate.promise; } })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('d')?.status === 'skipped');
    h.retryTask('f');
    gate.resolve();
    const r = await h.result;
    expect(r.output('d')).toBe('F');
  });

  it('cancel() or cancelTask() right after start() takes effect before anything runs', async () => {
    const controller = new AbortController();
    let ran = false;
    const events: string[] = [];
    const h = workflow().task({ id: 'a', run: () => void (ran = true) }).start({ signal: controller.signal });
    h.on('*', (e) => events.push(e.type));
    h.cancel('stop');
    const r = await h.result;
    await turn();
    expect(ran).toBe(false);
    expect(events.at(-1)).toBe('run:end');
    expect(r.task('a')!.status).toBe('cancelled');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

    const c = deferred();
    const h2 = workflow().task({ id: 'a', run: () => void (ran = true) }).task({ id: 'c', run: () => c.promise.then(() => 2) }).start();
    expect(h2.cancelTask('a')).toBe(true);
    await until((t, fn) => h2.on(t, fn), () => h2.task('c')!.status === 'running');
    c.resolve();
    const r2 = await h2.result;
    expect(ran).toBe(false);
    expect(r2.output('c')).toBe(2);
  });

  it('retryTask from a task:failed listener keeps the dependents waiting for the new attempt', async () => {
    let calls = 0;
    const h = workflow()
      .task({ id: 'a', run: async () => { if (++calls === 1) throw new Error('once'); return 'A'; } })
      .task({ id: 'b', dependsOn: ['a'], run: (input) => input.a })
      .start();
    h.on('task:failed', (e) => e.taskId === 'a' && h.retryTask('a'));
    const r = await h.result;
    expect(r.status).toBe('succeeded');
    expect(r.output('b')).toBe('A');
  });

  it('an addTask that had to wait for room is not dropped by the run ending', async () => {
    let ranX = false;
    const wf = workflow({ maxPendingTasks: 1 }).task({ id: 'a', run: async () => 1 });
    wf.onTaskComplete('a', (_o, ctl) => void ctl.addTask({ id: 'x', run: () => void (ranX = true) }));
    const r = await wf.run();
    expect(ranX).toBe(true);
    expect(r.task('x')!.status).toBe('succeeded');
  });

  it('fractional request budgets still grant (a bucket holds at least one request)', async () => {
    const r = await workflow({ rateLimits: { [`half-${process.pid}`]: { requestsPerInterval: 0.5, intervalMs: 10 } } })
      .task({ id: 't', rateLimit: `half-${process.pid}`, run: () => 1 })
      .run();
    expect(r.output('t')).toBe(1);
  });

  it('several pending next() calls on events() each get an event', async () => {
    const h = workflow().task({ id: 'a', run: async () => 1 }).start();
    const it = h.events();
    const [first, second] = await Promise.all([it.next(), it.next()]);
    expect(first.value?.type).toBe('run:start');
    expect(second.value?.type).toBe('task:ready');
    await h.result;
  });

  it('a manual retryTask gives the task a fresh automatic retry budget', async () => {
    let calls = 0;
    const gate = deferred();
    const h = workflow()
      .task({ id: 'flaky', retry: { maxAttempts: 2, initialDelayMs: 0, jitter: 0 }, run: () => { if (++calls !== 4) throw new Error(`attempt ${calls}`); return 'ok'; } })
      .task({ id: 'keep-alive', run: () => gate.promise })
      .start();
    await until((t, fn) => h.on(t, fn), () => h.task('flaky')!.status === 'failed');
    expect(h.task('flaky')!.attempts).toBe(2);
    h.retryTask('flaky');
    await until((t, fn) => h.on(t, fn), () => h.task('flaky')!.status === 'succeeded');
    gate.resolve();
    expect((await h.result).task('flaky')!.attempts).toBe(4);
  });

  it('a task that returns without awaiting its suspend() leaves nothing suspended', async () => {
    const h = workflow().task({ id: 'a', run: (_, ctx) => { void ctx.suspend('never awaited').catch(() => {}); return 1; } }).start();
    const r = await h.result;
    expect(r.output('a')).toBe(1);
    expect(h.suspended()).toEqual([]);
  });
});
