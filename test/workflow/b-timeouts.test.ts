// Per-attempt time limits and long delays, on a fake clock (setTimeout and performance.now are
// faked; the engine's setImmediate turns stay real), so every time below is exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { workflow, type RunHandle } from '../../src/workflow/index.js';
import { until } from '../helpers/deferred.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const statusOf = (h: RunHandle, id: string) => h.task(id)!.status;

describe('timeoutMs (fake clock)', () => {
  it('fails an attempt that runs longer, exactly at its limit', async () => {
    const h = workflow().task({ id: 'slow', timeoutMs: 100, run: () => wait(1000) }).start();
    let failedAt = -1;
    const t0 = performance.now();
    h.on('task:failed', () => (failedAt = performance.now() - t0));
    await until((t, fn) => h.on(t, fn), () => statusOf(h, 'slow') === 'running');
    await vi.advanceTimersByTimeAsync(99);
    expect(statusOf(h, 'slow')).toBe('running');
    await vi.advanceTimersByTimeAsync(1);
    const result = await h.result;
    expect(failedAt).toBe(100);
    expect(isWeftError(result.task('slow')!.error, 'TASK_TIMEOUT')).toBe(true);
  });

  it('gives each retry its own full limit', async () => {
    let attempts = 0;
    const h = workflow()
      .task({
        id: 'flaky',
        timeoutMs: 100,
        retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 },
        run: async () => {
          // The first attempt is cut off at 100 ms; the second needs 90 ms of its own 100.
          await wait(++attempts === 1 ? 1000 : 90);
          return attempts;
        },
      })
      .start();
    await vi.advanceTimersByTimeAsync(100 + 10 + 90);
    expect((await h.result).output('flaky')).toBe(2);
  });

  it('does not count the time a task is suspended', async () => {
    const h = workflow()
      .task({
        id: 'approve',
        timeoutMs: 100,
        run: async (_, ctx) => {
          await wait(60);
          const answer = await ctx.suspend('sign-off');
          await wait(30);
          return answer;
        },
      })
      .start();
    await vi.advanceTimersByTimeAsync(60);
    expect(statusOf(h, 'approve')).toBe('suspended');
    // A human takes ten times the limit to answer.
    await vi.advanceTimersByTimeAsync(1000);
    expect(statusOf(h, 'approve')).toBe('suspended');
    h.resume('approve', 'yes');
    await vi.advanceTimersByTimeAsync(30);
    const result = await h.result;
    expect(result.task('approve')).toMatchObject({ status: 'succeeded', output: 'yes' });
  });

  it('limits a resumed task again: one that hangs after resume() times out', async () => {
    const h = workflow()
      .task({
        id: 'hang',
        timeoutMs: 100,
        run: async (_, ctx) => {
          await wait(60);
          await ctx.suspend('sign-off');
          return new Promise(() => {});
        },
      })
      .start();
    let failedAt = -1;
    const t0 = performance.now();
    h.on('task:failed', () => (failedAt = performance.now() - t0));
    await vi.advanceTimersByTimeAsync(1060);
    expect(statusOf(h, 'hang')).toBe('suspended');
    h.resume('hang', 'yes');
    await vi.advanceTimersByTimeAsync(100);
    const result = await h.result;
    expect(isWeftError(result.task('hang')!.error, 'TASK_TIMEOUT')).toBe(true);
    // At most the limit after resume() (whether the clock restarts or continues is the engine's choice).
    expect(failedAt).toBeGreaterThanOrEqual(1060 + 40);
    expect(failedAt).toBeLessThanOrEqual(1060 + 100);
  });
});

describe('retry delays beyond setTimeout\'s range (fake clock)', () => {
  it('wait up to 2^31-1 ms instead of firing after 1 ms', async () => {
    const day = 86_400_000;
    let attempts = 0;
    const h = workflow()
      .task({
        id: 'later',
        retry: { maxAttempts: 2, initialDelayMs: 60 * day, maxDelayMs: 60 * day, jitter: 0 },
        run: () => {
          if (++attempts === 1) throw new Error('try again in two months');
          return 'ok';
        },
      })
      .start();
    const delays: number[] = [];
    h.on('task:retry', (e) => delays.push(e.delayMs!));
    await until((t, fn) => h.on(t, fn), () => statusOf(h, 'later') === 'retrying');
    expect(delays).toEqual([60 * day]);
    await vi.advanceTimersByTimeAsync(2 ** 31 - 2);
    expect(statusOf(h, 'later')).toBe('retrying');
    await vi.advanceTimersByTimeAsync(60 * day);
    expect((await h.result).output('later')).toBe('ok');
  });
});
