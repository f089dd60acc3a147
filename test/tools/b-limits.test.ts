import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/tools/define-tool.js';
import { createToolExecutor } from '../../src/tools/tool-executor.js';
import type { ToolContext } from '../../src/tools/types.js';
import { deferred } from '../helpers/deferred.js';
import { failure } from './failure.js';

const anything = z.looseObject({});

/** A tool that never settles by itself: it waits for its signal, and records it. */
function hanging(name: string, timeoutMs?: number) {
  const signals: AbortSignal[] = [];
  const tool = defineTool({
    name,
    description: '',
    input: anything,
    timeoutMs,
    run: (_args, ctx) =>
      new Promise((_resolve, reject) => {
        signals.push(ctx.signal);
        ctx.signal.addEventListener('abort', () => reject(new Error('saw the abort')));
      }),
  });
  return { tool, signals };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('tool executor limits', () => {
  it('times a call out with TOOL_TIMEOUT at the executor default, and aborts the tool', async () => {
    vi.useFakeTimers();
    const { tool, signals } = hanging('slow');
    const s = createToolExecutor([tool], { timeoutMs: 1000 }).session({ signal: new AbortController().signal, attempt: 3 });
    const pending = failure(s.call('slow', { x: 1 }));
    await vi.advanceTimersByTimeAsync(999);
    expect(signals[0].aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error.code).toBe('TOOL_TIMEOUT');
    expect(error.message).toContain('timed out after 1000 ms');
    expect(error.attempt).toBe(3);
    expect(signals[0].reason).toBe(error);
  });

  it("prefers the tool's own timeoutMs", async () => {
    vi.useFakeTimers();
    const { tool } = hanging('quick', 10);
    const s = createToolExecutor([tool], { timeoutMs: 60_000 }).session({ signal: new AbortController().signal });
    const pending = failure(s.call('quick', {}));
    await vi.advanceTimersByTimeAsync(10);
    expect((await pending).message).toContain('timed out after 10 ms');
  });

  it('clears the timer of a call that finished', async () => {
    vi.useFakeTimers();
    const fast = defineTool({ name: 'fast', description: '', input: anything, run: () => 'ok' });
    const s = createToolExecutor([fast]).session({ signal: new AbortController().signal });
    await expect(s.call('fast', {})).resolves.toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the session signal reason and aborts the running tool', async () => {
    const { tool, signals } = hanging('slow');
    const controller = new AbortController();
    const s = createToolExecutor([tool]).session({ signal: controller.signal });
    const pending = s.call('slow', {}).catch((e: unknown) => e);
    const reason = new Error('task cancelled');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(signals[0].aborted).toBe(true);
    expect(signals[0].reason).toBe(reason);
    // Calls after the abort are refused without running anything.
    await expect(s.call('slow', {})).rejects.toBe(reason);
    expect(signals).toHaveLength(1);
  });

  it('stops a session at maxCalls with TOOL_BUDGET_EXCEEDED', async () => {
    const echo = defineTool({ name: 'echo', description: '', input: z.object({ n: z.number() }), run: ({ n }) => n });
    const s = createToolExecutor([echo], { maxCalls: 3 }).session({ signal: new AbortController().signal });
    for (let n = 0; n < 3; n++) await expect(s.call('echo', { n })).resolves.toBe(n);
    const error = await failure(s.call('echo', { n: 9 }));
    expect(error.code).toBe('TOOL_BUDGET_EXCEEDED');
    expect(error.message).toContain('the session has made its 3 calls (maxCalls)');
    expect(s.calls).toBe(4);
  });

  it('counts the budget per session', async () => {
    const echo = defineTool({ name: 'echo', description: '', input: z.object({ n: z.number() }), run: ({ n }) => n });
    const executor = createToolExecutor([echo], { maxCalls: 1 });
    const signal = new AbortController().signal;
    await executor.session({ signal }).call('echo', { n: 1 });
    await expect(executor.session({ signal }).call('echo', { n: 2 })).resolves.toBe(2);
  });

  it('stops tools calling tools at maxDepth with TOOL_DEPTH_EXCEEDED, not a stack overflow', async () => {
    const depths: number[] = [];
    const recurse = defineTool({
      name: 'recurse',
      description: '',
      input: z.object({ n: z.number() }),
      run: ({ n }, ctx) => {
        depths.push(ctx.depth);
        return ctx.call('recurse', { n: n + 1 });
      },
    });
    const s = createToolExecutor([recurse], { maxDepth: 4 }).session({ signal: new AbortController().signal, attempt: 1 });
    const error = await failure(s.call('recurse', { n: 0 }));
    expect(error.code).toBe('TOOL_DEPTH_EXCEEDED');
    expect(error.message).toContain('nested 5 deep, beyond maxDepth 4');
    expect(depths).toEqual([1, 2, 3, 4]);
    expect(error.attempt).toBe(1);
  });

  it('detects the same call with the same arguments N times in a row as TOOL_LOOP', async () => {
    const runs: unknown[] = [];
    const look = defineTool({ name: 'look', description: '', input: z.object({ q: z.string(), k: z.number() }), run: (args) => void runs.push(args) });
    const s = createToolExecutor([look], { loopThreshold: 3 }).session({ signal: new AbortController().signal });
    await s.call('look', { q: 'a', k: 1 });
    await s.call('look', { k: 1, q: 'a' }); // the same arguments in another key order
    const error = await failure(s.call('look', { q: 'a', k: 1 }));
    expect(error.code).toBe('TOOL_LOOP');
    expect(error.message).toContain('called 3 times in a row with the same arguments (loopThreshold 3)');
    expect(runs).toHaveLength(2);
  });

  it('does not count calls as a loop when other calls come between them', async () => {
    const look = defineTool({ name: 'look', description: '', input: z.object({ q: z.string() }), run: ({ q }) => q });
    const s = createToolExecutor([look], { loopThreshold: 2 }).session({ signal: new AbortController().signal });
    for (let i = 0; i < 5; i++) {
      await s.call('look', { q: 'a' });
      await s.call('look', { q: 'b' });
    }
    expect((await failure(s.call('look', { q: 'b' }))).code).toBe('TOOL_LOOP');
  });

  it('lets nested calls through ctx.call share the session budget', async () => {
    let inner: ToolContext | undefined;
    const leaf = defineTool({ name: 'leaf', description: '', input: anything, run: (_a, ctx) => void (inner = ctx) });
    const outer = defineTool({ name: 'outer', description: '', input: anything, run: async (_a, ctx) => [await ctx.call('leaf', { i: 1 }), await ctx.call('leaf', { i: 2 })] });
    const s = createToolExecutor([leaf, outer], { maxCalls: 2 }).session({ signal: new AbortController().signal, taskId: 'job' });
    const error = await failure(s.call('outer', {}));
    // The nested error passes through as it was: it names the inner tool.
    expect(error.code).toBe('TOOL_BUDGET_EXCEEDED');
    expect(error.toolName).toBe('leaf');
    expect(inner).toMatchObject({ depth: 2, taskId: 'job' });
  });

  it('settles a call whose tool ignores its signal when the limit is reached', async () => {
    vi.useFakeTimers();
    const never = deferred<string>();
    const stubborn = defineTool({ name: 'stubborn', description: '', input: anything, timeoutMs: 5, run: () => never.promise });
    const s = createToolExecutor([stubborn]).session({ signal: new AbortController().signal });
    const pending = failure(s.call('stubborn', {}));
    await vi.advanceTimersByTimeAsync(5);
    expect((await pending).code).toBe('TOOL_TIMEOUT');
    never.resolve('too late');
  });
});
