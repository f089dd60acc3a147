// The context calls agents and model clients make: reportUsage, reportBytes and stream.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getRateLimiter } from '../../src/scheduler/rate-limiter.js';
import { workflow, type WorkflowEvent } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';

let k = 0;
const fresh = (): string => `ctx-agents-limiter-${process.pid}-${++k}`;

afterEach(() => {
  vi.useRealTimers();
});

describe('ctx.reportUsage', () => {
  it("charges prompt + completion tokens to the task's limiter and the run's metrics, and tallies usage", async () => {
    const name = fresh();
    const wf = workflow({ rateLimits: { [name]: { tokensPerInterval: 10_000, intervalMs: 1e12 } } });
    wf.task({
      id: 'a',
      rateLimit: name,
      run: (_i, ctx) => {
        ctx.reportUsage({ promptTokens: 120, completionTokens: 30, costUsd: 0.25 });
        ctx.reportUsage({ promptTokens: 1, completionTokens: 2 });
      },
    });
    const handle = wf.start();
    const result = await handle.result;
    expect(10_000 - getRateLimiter(name)!.state().tokens).toBeCloseTo(153, 0);
    expect(handle.metrics().tokens).toBe(153);
    expect(result.usage.tasks.a).toEqual({ promptTokens: 121, completionTokens: 32, tokens: 153, costUsd: 0.25 });
    expect(result.usage.agents).toEqual({});
  });

  it('rejects bad reports with messages naming the field', async () => {
    const errors: string[] = [];
    const wf = workflow().task({
      id: 'a',
      run: (_i, ctx) => {
        for (const bad of [null, { promptTokens: -1, completionTokens: 0 }, { promptTokens: 1, completionTokens: Infinity }, { promptTokens: 1, completionTokens: 1, costUsd: '1' }]) {
          try {
            ctx.reportUsage(bad as never);
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      },
    });
    await wf.run();
    expect(errors).toEqual([
      'Expected `usage` to be a usage object ({ promptTokens, completionTokens, costUsd? }), got `null` (null)',
      'Expected `usage.promptTokens` to be a finite number >= 0, got `-1` (number)',
      'Expected `usage.completionTokens` to be a finite number >= 0, got `Infinity` (number)',
      'Expected `usage.costUsd` to be a finite number >= 0, got `"1"` (string)',
    ]);
  });
});

describe('ctx.reportBytes', () => {
  it("throttles the task's limiter by bytesPerInterval (fake clock)", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const name = fresh();
    const wf = workflow({ rateLimits: { [name]: { bytesPerInterval: 1000, intervalMs: 1000 } } });
    const t0 = performance.now();
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      wf.task({
        id: `download-${i}`,
        rateLimit: name,
        priority: 3 - i,
        ...(i > 0 && { dependsOn: [`download-${i - 1}`] }),
        run: (_i, ctx) => {
          starts.push(performance.now() - t0);
          ctx.reportBytes(1500); // 1.5 intervals' worth
        },
      });
    }
    const done = wf.run();
    await vi.runAllTimersAsync();
    expect((await done).status).toBe('succeeded');
    // Each download overdraws the bucket by ~1500 bytes: the next waits until it is positive again.
    expect(starts[0]).toBe(0);
    expect(starts[1]).toBeGreaterThanOrEqual(500);
    expect(starts[1]).toBeLessThanOrEqual(502);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(1500);
    expect(starts[2] - starts[1]).toBeLessThanOrEqual(1502);
    const left = getRateLimiter(name)!.state().bytes; // the last overdraft, from a balance just above 0
    expect(left).toBeGreaterThan(-1500);
    expect(left).toBeLessThan(-1497);
  });

  it('rejects a bad count, and is a no-op without a limiter', async () => {
    const errors: string[] = [];
    await workflow()
      .task({
        id: 'a',
        run: (_i, ctx) => {
          ctx.reportBytes(10);
          try {
            ctx.reportBytes(-1);
          } catch (e) {
            errors.push((e as Error).message);
          }
        },
      })
      .run();
    expect(errors).toEqual(['Expected `bytes` to be a finite number >= 0, got `-1` (number)']);
  });
});

describe('ctx.stream', () => {
  it('emits task:stream events with the deltas, in order, to listeners and recorders', async () => {
    const recorded: WorkflowEvent[] = [];
    const wf = workflow({ recorders: [{ record: (batch) => void recorded.push(...batch) }] });
    const late = deferred<(d: string) => void>();
    wf.task({
      id: 'talk',
      run: (_i, ctx) => {
        ctx.stream('Hel');
        ctx.stream('lo');
        late.resolve((d) => ctx.stream(d));
        return 'Hello';
      },
    });
    const handle = wf.start();
    const deltas: string[] = [];
    handle.on('task:stream', (e) => deltas.push(`${e.taskId}#${e.attempt}:${e.delta}`));
    await handle.result;
    (await late.promise)('after the end'); // a late delta of an attempt that is over is dropped
    expect(deltas).toEqual(['talk#1:Hel', 'talk#1:lo']);
    expect(recorded.filter((e) => e.type === 'task:stream').map((e) => e.delta)).toEqual(['Hel', 'lo']);
    expect(handle.metrics().events['task:stream']).toBe(2);
  });

  it('rejects a delta that is not a string', async () => {
    const wf = workflow().task({ id: 'a', run: (_i, ctx) => ctx.stream(5 as never) });
    const result = await wf.run();
    expect((result.task('a')!.error as Error).message).toBe('Expected `delta` to be a string, got `5` (number)');
  });
});
