// A suspension stops an attempt's timeoutMs clock; on resume the attempt has what it had left,
// not a fresh timeoutMs. Fake timers (setTimeout and performance.now) make the clock exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Works `before` ms, suspends, then works `after` ms; timeoutMs 100. */
function run(before: number, after: number) {
  const deadlines: (number | undefined)[] = [];
  const h = workflow()
    .task({
      id: 'review',
      timeoutMs: 100,
      run: async (_input, ctx: TaskContext) => {
        await wait(before);
        deadlines.push(ctx.deadline);
        const answer = await ctx.suspend('approve?');
        deadlines.push(ctx.deadline);
        await wait(after);
        return answer;
      },
    })
    .start();
  return { h, deadlines };
}

describe('timeoutMs across a suspension', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('does not count the time suspended, and gives back only what was left', async () => {
    const { h, deadlines } = run(60, 30);
    await vi.advanceTimersByTimeAsync(60);
    expect(h.suspended()).toEqual(['review']);
    await vi.advanceTimersByTimeAsync(10_000); // a human takes their time: not counted
    h.resume('review', 'yes');
    await vi.advanceTimersByTimeAsync(30);
    const r = await h.result;
    expect(r.output('review')).toBe('yes');
    // The deadline moved by exactly the time spent suspended.
    expect(deadlines[1]! - deadlines[0]!).toBeCloseTo(10_000, 0);
  });

  it('times the attempt out once its working time passes timeoutMs in all', async () => {
    const { h } = run(60, 50); // 60 + 50 > 100, though each part alone is under it
    await vi.advanceTimersByTimeAsync(60);
    await vi.advanceTimersByTimeAsync(5_000);
    h.resume('review', 'yes');
    await vi.advanceTimersByTimeAsync(39); // 60 + 39 < 100
    expect(h.task('review')!.status).toBe('running');
    await vi.advanceTimersByTimeAsync(1); // 60 + 40: the 100 ms are used up
    const r = await h.result;
    expect(r.task('review')!.status).toBe('failed');
    expect(isWeftError(r.task('review')!.error, 'TASK_TIMEOUT')).toBe(true);
  });

  it('has no deadline while suspended', async () => {
    let ctxRef: TaskContext | undefined;
    const h = workflow().task({ id: 't', timeoutMs: 100, run: async (_i, ctx) => { ctxRef = ctx; return ctx.suspend('wait'); } }).start();
    await vi.advanceTimersByTimeAsync(1);
    expect(h.suspended()).toEqual(['t']);
    expect(ctxRef!.deadline).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.task('t')!.status).toBe('suspended');
    h.resume('t', 1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await h.result).output('t')).toBe(1);
  });
});
