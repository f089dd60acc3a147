// Rate limits seen through runs, on a fake clock (setTimeout and performance.now are faked; the
// engine's setImmediate turns stay real), so every start time below is exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitError } from '../../src/errors.js';
import { workflow, type RunHandle } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

let k = 0;
const fresh = (): string => `wf-limiter-${process.pid}-${++k}`;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Records when (on the fake clock, relative to now) each task attempt starts. */
function startTimes(h: RunHandle): Map<string, number[]> {
  const t0 = performance.now();
  const out = new Map<string, number[]>();
  h.on('task:start', (e) => out.set(e.taskId!, [...(out.get(e.taskId!) ?? []), performance.now() - t0]));
  return out;
}

describe('rate limits in a run (fake clock)', () => {
  it('a 429 with retryAfter pauses the limiter for every task on it, not only the one that failed', async () => {
    const name = fresh();
    let calls = 0;
    const wf = workflow({ concurrency: 1, rateLimits: { [name]: { requestsPerInterval: 1000, intervalMs: 1000 } } })
      .task({
        id: 'llm',
        priority: 10,
        rateLimit: name,
        retry: { maxAttempts: 2, initialDelayMs: 0, jitter: 0 },
        run: () => {
          if (++calls === 1) throw new RateLimitError(40, 'HTTP 429');
          return 'answer';
        },
      })
      .task({ id: 'other', rateLimit: name, run: () => 'other' })
      .task({ id: 'free', run: () => 'no limiter' });
    const h = wf.start();
    const starts = startTimes(h);
    await until((t, fn) => h.on(t, fn), () => h.task('llm')!.status === 'retrying');
    // The freed slot goes to a task without the limiter; the one on it waits out the pause.
    await until((t, fn) => h.on(t, fn), () => h.task('free')!.status === 'succeeded');
    expect(h.task('other')!.status).toBe('ready');
    await vi.advanceTimersByTimeAsync(39);
    expect(h.task('other')!.status).toBe('ready');
    await vi.advanceTimersByTimeAsync(1);
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(starts.get('llm')).toEqual([0, 40]);
    expect(starts.get('other')).toEqual([40]);
    expect(starts.get('free')).toEqual([0]);
  });

  it('retryAfter in seconds (as the HTTP header) pauses for that many seconds', async () => {
    const name = fresh();
    let calls = 0;
    const wf = workflow({ rateLimits: { [name]: { requestsPerInterval: 1000, intervalMs: 1000 } } })
      .task({
        id: 'llm',
        rateLimit: name,
        retry: { maxAttempts: 2, initialDelayMs: 0, jitter: 0 },
        run: () => {
          if (++calls === 1) throw Object.assign(new Error('HTTP 429'), { status: 429, retryAfter: 2 });
          return 'ok';
        },
      });
    const h = wf.start();
    const starts = startTimes(h);
    const delays: number[] = [];
    h.on('task:retry', (e) => delays.push(e.delayMs!));
    await until((t, fn) => h.on(t, fn), () => h.task('llm')!.status === 'retrying');
    await vi.advanceTimersByTimeAsync(1999);
    expect(h.task('llm')!.status).toBe('retrying');
    await vi.advanceTimersByTimeAsync(1);
    expect((await h.result).output('llm')).toBe('ok');
    expect(delays).toEqual([2000]);
    expect(starts.get('llm')).toEqual([0, 2000]);
  });

  it('starts tasks at the limiter rate: 2 per second means starts at 0, 0, 500, 1000, 1500 ms', async () => {
    const name = fresh();
    const wf = workflow({ concurrency: 10, rateLimits: { [name]: { requestsPerInterval: 2, intervalMs: 1000 } } });
    for (let i = 0; i < 5; i++) wf.task({ id: `t${i}`, rateLimit: name, run: () => i });
    const h = wf.start();
    const starts = startTimes(h);
    await until((t, fn) => h.on(t, fn), () => h.task('t1')!.status === 'succeeded');
    await vi.advanceTimersByTimeAsync(1500);
    expect((await h.result).status).toBe('succeeded');
    expect([...starts.values()].flat()).toEqual([0, 0, 500, 1000, 1500]);
  });

  it('a token budget holds the next task until the reported overuse has refilled', async () => {
    const name = fresh();
    const gate = deferred();
    const wf = workflow({ concurrency: 1, rateLimits: { [name]: { tokensPerInterval: 100, intervalMs: 1000 } } })
      .task({ id: 'big', rateLimit: name, run: async (_, ctx) => { ctx.reportTokens(150); await gate.promise; } })
      .task({ id: 'next', rateLimit: name, run: () => 'after the refill' });
    const h = wf.start();
    const starts = startTimes(h);
    await until((t, fn) => h.on(t, fn), () => h.task('big')!.status === 'running');
    gate.resolve();
    await until((t, fn) => h.on(t, fn), () => h.task('big')!.status === 'succeeded');
    // -50 tokens at 0.1 per ms: positive again just after 500 ms.
    await vi.advanceTimersByTimeAsync(500);
    expect(h.task('next')!.status).toBe('ready');
    await vi.advanceTimersByTimeAsync(1);
    expect((await h.result).output('next')).toBe('after the refill');
    expect(starts.get('next')![0]).toBeGreaterThan(500);
    expect(starts.get('next')![0]).toBeLessThanOrEqual(501);
  });
});
