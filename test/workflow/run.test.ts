import { describe, expect, it } from 'vitest';
import { isWeftError, NonRetryableError, RateLimitError, TaskTimeoutError } from '../../src/errors.js';
import { defineRateLimit } from '../../src/scheduler/rate-limiter.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

const waitForAbort = (ctx: TaskContext): Promise<never> =>
  new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));

describe('running a workflow', () => {
  it('passes dependency outputs, the run input and the context to each task', async () => {
    const seen: unknown[] = [];
    const wf = workflow({ name: 'report' })
      .task({ id: 'fetch-a', run: async () => 'A' })
      .task({ id: 'fetch-b', run: () => 'B' })
      .task({
        id: 'analyse',
        dependsOn: ['fetch-a', 'fetch-b'],
        run: (input, ctx) => {
          seen.push(ctx.taskId, ctx.attempt, ctx.runInput, ctx.signal.aborted);
          return `${input['fetch-a']}+${input['fetch-b']}`;
        },
      });
    const result = await wf.run({ input: { topic: 'x' }, runId: 'r1' });
    expect(result.status).toBe('succeeded');
    expect(result.runId).toBe('r1');
    expect(result.output('analyse')).toBe('A+B');
    expect(seen).toEqual(['analyse', 1, { topic: 'x' }, false]);
    expect(result.counts.succeeded).toBe(3);
    const t = result.task('analyse')!;
    expect(t).toMatchObject({ id: 'analyse', status: 'succeeded', output: 'A+B', attempts: 1 });
    expect(t.endedAt! >= t.startedAt! && t.startedAt! >= result.startedAt).toBe(true);
    expect(result.tasks.map((x) => x.id)).toEqual(['fetch-a', 'fetch-b', 'analyse']);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('starts the critical path first by default, and explicit priorities override it', async () => {
    const order: string[] = [];
    const rec = (id: string) => () => void order.push(id);
    const wf = workflow({ concurrency: 1 })
      .task({ id: 'short', estimateMs: 1, run: rec('short') })
      .task({ id: 'long-1', estimateMs: 5, run: rec('long-1') })
      .task({ id: 'long-2', estimateMs: 5, dependsOn: ['long-1'], run: rec('long-2') });
    await wf.run();
    expect(order).toEqual(['long-1', 'long-2', 'short']);
    order.length = 0;
    const pinned = workflow({ concurrency: 1 })
      .task({ id: 'short', estimateMs: 1, priority: 100, run: rec('short') })
      .task({ id: 'long-1', estimateMs: 5, run: rec('long-1') });
    await pinned.run();
    expect(order).toEqual(['short', 'long-1']);
  });

  it('never runs more tasks than `concurrency`, nor more of a group than its cap', async () => {
    let running = 0;
    let peak = 0;
    let ioRunning = 0;
    let ioPeak = 0;
    const open: (() => void)[] = [];
    let wake = (): void => {};
    const wf = workflow({ concurrency: 3, groups: { io: 1 } });
    for (let k = 0; k < 8; k++) {
      const io = k % 2 === 0;
      wf.task({
        id: `t${k}`,
        group: io ? 'io' : undefined,
        run: async () => {
          running++;
          peak = Math.max(peak, running);
          if (io) ioPeak = Math.max(ioPeak, ++ioRunning);
          await new Promise<void>((resolve) => {
            open.push(resolve);
            wake();
          });
          running--;
          if (io) ioRunning--;
        },
      });
    }
    const handle = wf.start();
    // Release the running tasks one at a time, oldest first.
    for (let released = 0; released < 8; released++) {
      if (open.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      open.shift()!();
    }
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(peak).toBe(3);
    expect(ioPeak).toBe(1);
    expect(handle.metrics().events['task:succeeded']).toBe(8);
  });

  it('retries with backoff until success, reporting each retry', async () => {
    let calls = 0;
    const wf = workflow().task({
      id: 'flaky',
      retry: { maxAttempts: 3, initialDelayMs: 1, jitter: 0 },
      run: (_, ctx) => {
        calls++;
        if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt} failed`);
        return 'ok';
      },
    });
    const handle = wf.start();
    const retries: number[] = [];
    handle.on('task:retry', (e) => retries.push(e.delayMs!));
    const result = await handle.result;
    expect(result.task('flaky')).toMatchObject({ status: 'succeeded', attempts: 3, output: 'ok' });
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('fails at once on non-retryable errors or when retryOn says no, keeping the error', async () => {
    const boom = new NonRetryableError('bad credentials', { cause: new Error('401') });
    const wf = workflow()
      .task({ id: 'fatal', retry: { maxAttempts: 5, initialDelayMs: 1 }, run: () => Promise.reject(boom) })
      .task({ id: 'picky', retry: { maxAttempts: 5, initialDelayMs: 1, retryOn: () => false }, run: () => { throw new Error('no'); } })
      .task({ id: 'bug', retry: { maxAttempts: 5, initialDelayMs: 1 }, run: () => { throw new TypeError('undefined is not a function'); } });
    const result = await wf.run();
    expect(result.task('fatal')).toMatchObject({ status: 'failed', attempts: 1, error: boom });
    expect(((result.task('fatal')!.error as Error).cause as Error).message).toBe('401');
    expect(result.task('picky')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.task('bug')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.status).toBe('failed');
  });

  it('times out an attempt: the signal aborts with TASK_TIMEOUT, and the policy retries it', async () => {
    const reasons: unknown[] = [];
    const wf = workflow()
      .task({
        id: 'slow',
        timeoutMs: 5,
        retry: { maxAttempts: 2, initialDelayMs: 1 },
        run: async (_, ctx) => {
          ctx.signal.addEventListener('abort', () => reasons.push(ctx.signal.reason));
          return waitForAbort(ctx);
        },
      })
      .task({ id: 'deaf', timeoutMs: 5, run: () => new Promise(() => {}) });
    const result = await wf.run();
    const slow = result.task('slow')!;
    expect(slow).toMatchObject({ status: 'failed', attempts: 2 });
    expect(slow.error).toBeInstanceOf(TaskTimeoutError);
    expect((slow.error as TaskTimeoutError).message).toBe('task `slow` timed out after 5 ms');
    expect(reasons).toHaveLength(2);
    expect(isWeftError(reasons[0], 'TASK_TIMEOUT')).toBe(true);
    // A task that ignores its signal still fails on time: the run does not wait for it.
    expect(isWeftError(result.task('deaf')!.error, 'TASK_TIMEOUT')).toBe(true);
  });

  it('skips the dependents of a failed task (naming the dependency) while other branches run on', async () => {
    const wf = workflow()
      .task({ id: 'bad', run: () => { throw new Error('boom'); } })
      .task({ id: 'child', dependsOn: ['bad'], run: () => 1 })
      .task({ id: 'grandchild', dependsOn: ['child'], run: () => 2 })
      .task({ id: 'other', run: async () => 'fine' })
      .task({ id: 'other-next', dependsOn: ['other'], run: () => 'also fine' });
    const result = await wf.run();
    expect(result.status).toBe('failed');
    expect(result.counts).toMatchObject({ succeeded: 2, failed: 1, skipped: 2 });
    const child = result.task('child')!;
    expect(child.status).toBe('skipped');
    expect(isWeftError(child.error, 'DEPENDENCY_FAILED')).toBe(true);
    expect((child.error as Error).message).toBe('task `child` skipped: dependency `bad` failed');
    expect((result.task('grandchild')!.error as Error).message).toBe('task `grandchild` skipped: dependency `child` skipped');
    expect(result.output('other-next')).toBe('also fine');
    expect(result.task('child')!.attempts).toBe(0);
  });

  it('cancels the run when a critical task fails; running tasks see their signal abort', async () => {
    const aborted = deferred<unknown>();
    const wf = workflow()
      .task({ id: 'worker', run: (_, ctx) => { ctx.signal.addEventListener('abort', () => aborted.resolve(ctx.signal.reason)); return waitForAbort(ctx); } })
      .task({ id: 'gate', critical: true, run: async () => { await Promise.resolve(); throw new Error('policy violated'); } })
      .task({ id: 'after', dependsOn: ['gate'], run: () => 1 });
    const result = await wf.run();
    expect(result.status).toBe('failed');
    expect(result.task('gate')!.status).toBe('failed');
    expect(result.task('worker')!.status).toBe('cancelled');
    expect(result.task('after')!.status).toBe('cancelled');
    expect(isWeftError(await aborted.promise, 'TASK_CANCELLED')).toBe(true);
  });

  it('a task that throws synchronously fails like one that rejects', async () => {
    const result = await workflow().task({ id: 'sync', run: () => { throw new Error('sync'); } }).run();
    expect((result.task('sync')!.error as Error).message).toBe('sync');
  });

  it('shares a named rate limiter across runs, and a 429 with retryAfter pauses it', async () => {
    const name = `rl-run-${process.pid}`;
    defineRateLimit(name, { requestsPerInterval: 2, intervalMs: 60_000 });
    const gate = deferred();
    const make = () =>
      workflow({ rateLimits: { [name]: { requestsPerInterval: 2, intervalMs: 60_000 } } })
        .task({ id: 'a', rateLimit: name, run: () => gate.promise })
        .task({ id: 'b', rateLimit: name, run: () => gate.promise });
    const [r1, r2] = [make().start(), make().start()];
    let started = 0;
    for (const r of [r1, r2]) r.on('task:start', () => started++);
    await until((t, fn) => { const a = r1.on(t, fn); const b = r2.on(t, fn); return () => (a(), b()); }, () => started === 2);
    // Two requests per minute: the other two tasks wait in the limiter, whichever run they belong to.
    const waiting = [...r1.snapshot(), ...r2.snapshot()].filter((t) => t.status === 'ready');
    expect(waiting).toHaveLength(2);
    r1.cancel();
    r2.cancel();
    gate.resolve();

    const paused = `rl-429-${process.pid}`;
    let attempts = 0;
    const wf = workflow({ rateLimits: { [paused]: { requestsPerInterval: 1000, intervalMs: 1000 } } }).task({
      id: 'llm',
      rateLimit: paused,
      retry: { maxAttempts: 2, initialDelayMs: 0 },
      run: () => {
        if (++attempts === 1) throw new RateLimitError(40, 'HTTP 429');
        return 'answer';
      },
    });
    const h = wf.start();
    const delays: number[] = [];
    h.on('task:retry', (e) => delays.push(e.delayMs!));
    const result = await h.result;
    expect(result.output('llm')).toBe('answer');
    expect(delays[0]).toBeGreaterThanOrEqual(40);
  });

  it('charges reported tokens to the token budget', async () => {
    const name = `rl-tokens-${process.pid}`;
    const wf = workflow({ concurrency: 1, rateLimits: { [name]: { tokensPerInterval: 100, intervalMs: 60_000 } } })
      .task({ id: 'big', rateLimit: name, run: (_, ctx) => ctx.reportTokens(500) })
      .task({ id: 'next', rateLimit: name, run: () => 'never before a refill' });
    const h = wf.start();
    await until((t, fn) => h.on(t, fn), () => h.task('big')!.status === 'succeeded');
    expect(h.task('next')!.status).toBe('ready');
    h.cancel();
    expect((await h.result).task('next')!.status).toBe('cancelled');
  });
});
