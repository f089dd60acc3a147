// Stall detection on a fake clock: a running attempt silent for longer than its stallTimeoutMs
// gets its onStall action and a task:stalled event; heartbeats and steps keep it alive.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWeftError, TaskStalledError } from '../../src/errors.js';
import { workflow, type RunHandle, type TaskContext, type WorkflowEvent } from '../../src/workflow/index.js';
import { until } from '../helpers/deferred.js';
import { onFakeClock } from '../helpers/fake-clock.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const never = (ctx: TaskContext): Promise<never> => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
const running = (h: RunHandle, id: string) => until((t, fn) => h.on(t, fn), () => h.task(id)?.status === 'running');

describe('stallTimeoutMs', () => {
  it("'retry' (the default): the silent attempt fails with TASK_STALLED and its retry policy runs another", async () => {
    const wf = workflow({ stallTimeoutMs: 1000 });
    const reasons: unknown[] = [];
    wf.task({
      id: 'hung',
      retry: { maxAttempts: 2, initialDelayMs: 0 },
      run: (_i, ctx) => {
        if (ctx.attempt === 2) return 'second';
        ctx.signal.addEventListener('abort', () => reasons.push(ctx.signal.reason));
        return never(ctx);
      },
    });
    const events: WorkflowEvent[] = [];
    const h = wf.start();
    h.on('*', (e) => events.push(e));
    await running(h, 'hung');
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.task('hung')?.status).toBe('running'); // silent for exactly the limit: not yet
    await vi.advanceTimersByTimeAsync(250);
    const result = await onFakeClock(h.result);
    expect(result.output('hung')).toBe('second');
    const stalled = events.find((e) => e.type === 'task:stalled');
    expect(stalled).toMatchObject({ taskId: 'hung', attempt: 1 });
    expect(stalled?.error).toBeInstanceOf(TaskStalledError);
    expect(reasons[0]).toBe(stalled?.error);
    expect(events.find((e) => e.type === 'task:retry')?.error).toBe(stalled?.error);
  });

  it('heartbeats keep an attempt alive; once they stop it stalls', async () => {
    const wf = workflow();
    wf.task({
      id: 'beating',
      stallTimeoutMs: 400,
      onStall: 'fail',
      retry: { maxAttempts: 5 },
      run: async (_i, ctx) => {
        for (let k = 0; k < 10; k++) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          ctx.heartbeat(k);
        }
        return never(ctx);
      },
    });
    const h = wf.start();
    const t0 = performance.now();
    let failedAt = 0;
    h.on('task:failed', () => (failedAt = performance.now() - t0));
    await running(h, 'beating');
    await vi.advanceTimersByTimeAsync(5000);
    const result = await h.result;
    expect(result.task('beating')).toMatchObject({ status: 'failed', attempts: 1 }); // 'fail' ignores the retry policy
    expect(isWeftError(result.task('beating')?.error, 'TASK_STALLED')).toBe(true);
    expect(failedAt).toBeGreaterThan(3000 + 400);
    expect(failedAt).toBeLessThanOrEqual(3000 + 500);
  });

  it("'cancel' cancels the task (its dependents are skipped); a step's end counts as life", async () => {
    const wf = workflow({ stallTimeoutMs: 200, onStall: 'cancel' });
    wf.task({
      id: 'stepper',
      run: async (_i, ctx) => {
        for (let k = 0; k < 3; k++) await ctx.step(`s${k}`, () => new Promise((resolve) => setTimeout(resolve, 150)));
        return 'stepped';
      },
    });
    wf.task({ id: 'stuck', run: (_i, ctx) => never(ctx) });
    wf.task({ id: 'after', dependsOn: ['stuck'], run: () => 1 });
    const h = wf.start();
    await running(h, 'stuck');
    await vi.advanceTimersByTimeAsync(1000);
    const result = await h.result;
    expect(result.output('stepper')).toBe('stepped');
    expect(result.task('stuck')?.status).toBe('cancelled');
    expect(result.task('after')?.status).toBe('skipped');
  });

  it('validates the options', () => {
    expect(() => workflow({ stallTimeoutMs: 0 })).toThrow('Expected `stallTimeoutMs` to be a number in (0, 2147483647], got `0` (number)');
    expect(() => workflow({ onStall: 'ignore' as never })).toThrow("Expected `onStall` to be one of 'retry', 'fail', 'cancel', got `\"ignore\"` (string)");
    expect(() => workflow().task({ id: 'x', stallTimeoutMs: -1, run: () => 1 })).toThrow('task `x`: Expected `stallTimeoutMs`');
  });
});
