import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/tools/define-tool.js';
import type { ToolExecutorOptions } from '../../src/tools/executor-options.js';
import { createToolExecutor } from '../../src/tools/tool-executor.js';
import { deferred, type Deferred } from '../helpers/deferred.js';

/** A cached tool counting its runs; `gate` (when set) holds each run until resolved. */
function counted(options: { ttlMs?: number; gate?: () => Deferred<void> } = {}) {
  const runs: string[] = [];
  const signals: AbortSignal[] = [];
  const tool = defineTool({
    name: 'lookup',
    description: '',
    input: z.object({ q: z.string() }),
    cache: options.ttlMs === undefined ? true : { ttlMs: options.ttlMs },
    run: async ({ q }, ctx) => {
      runs.push(q);
      signals.push(ctx.signal);
      if (options.gate) await options.gate().promise;
      return `result for ${q}`;
    },
  });
  return { tool, runs, signals };
}

function open(tool: ReturnType<typeof counted>['tool'], options?: ToolExecutorOptions) {
  const executor = createToolExecutor([tool], { loopThreshold: Infinity, ...options });
  return { executor, s: executor.session({ signal: new AbortController().signal }) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('tool result cache', () => {
  it('answers a repeated call from the cache, keyed by the arguments whatever their key order', async () => {
    const multi = defineTool({ name: 'multi', description: '', input: z.object({ a: z.number(), b: z.number() }), cache: true, run: vi.fn(({ a, b }: { a: number; b: number }) => a * b) });
    const executor = createToolExecutor([multi]);
    const s = executor.session({ signal: new AbortController().signal });
    expect(await s.call('multi', { a: 2, b: 3 })).toBe(6);
    expect(await s.call('multi', { b: 3, a: 2 })).toBe(6);
    expect(await s.call('multi', { a: 2, b: 4 })).toBe(8);
    expect(multi.run).toHaveBeenCalledTimes(2);
    expect(executor.cacheStats()).toMatchObject({ hits: 1, misses: 2, entries: 2 });
  });

  it('shares the cache between sessions of one executor', async () => {
    const { tool, runs } = counted();
    const { executor, s } = open(tool);
    await s.call('lookup', { q: 'x' });
    await executor.session({ signal: new AbortController().signal }).call('lookup', { q: 'x' });
    expect(runs).toEqual(['x']);
  });

  it('never caches tools defined without `cache`', async () => {
    const run = vi.fn(() => 1);
    const plain = defineTool({ name: 'plain', description: '', input: z.object({}), run });
    const executor = createToolExecutor([plain]);
    const s = executor.session({ signal: new AbortController().signal });
    await s.call('plain', {});
    await s.call('plain', {});
    expect(run).toHaveBeenCalledTimes(2);
    expect(executor.cacheStats()).toMatchObject({ hits: 0, misses: 0, entries: 0 });
  });

  it('does not cache failures', async () => {
    let fail = true;
    const flaky = defineTool({ name: 'flaky', description: '', input: z.object({}), cache: true, run: () => { if (fail) throw new Error('down'); return 'up'; } });
    const s = createToolExecutor([flaky], { loopThreshold: Infinity }).session({ signal: new AbortController().signal });
    await expect(s.call('flaky', {})).rejects.toMatchObject({ code: 'TOOL_FAILED' });
    fail = false;
    await expect(s.call('flaky', {})).resolves.toBe('up');
  });

  it('does not cache a result that arrives after its call timed out', async () => {
    vi.useFakeTimers();
    const late = deferred<string>();
    let runs = 0;
    const slow = defineTool({ name: 'slow', description: '', input: z.object({}), cache: true, timeoutMs: 10, run: () => (runs++ === 0 ? late.promise : 'fresh') });
    const executor = createToolExecutor([slow]);
    const s = executor.session({ signal: new AbortController().signal });
    const first = s.call('slow', {}).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await first).toMatchObject({ code: 'TOOL_TIMEOUT' });
    late.resolve('too late');
    await vi.advanceTimersByTimeAsync(0);
    expect(executor.cacheStats().entries).toBe(0);
    await expect(s.call('slow', {})).resolves.toBe('fresh');
  });

  it('expires results after the executor TTL (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    vi.advanceTimersByTime(1); // lru-cache treats a start time of 0 as "no TTL"
    const { tool, runs } = counted();
    const { s } = open(tool, { cache: { ttlMs: 1000 } });
    await s.call('lookup', { q: 'x' });
    await vi.advanceTimersByTimeAsync(999);
    await s.call('lookup', { q: 'x' });
    expect(runs).toEqual(['x']);
    await vi.advanceTimersByTimeAsync(2);
    await s.call('lookup', { q: 'x' });
    expect(runs).toEqual(['x', 'x']);
  });

  it("uses the tool's own TTL over the executor's", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    vi.advanceTimersByTime(1);
    const { tool, runs } = counted({ ttlMs: 50 });
    const { s } = open(tool, { cache: { ttlMs: 60_000 } });
    await s.call('lookup', { q: 'x' });
    await vi.advanceTimersByTimeAsync(51);
    await s.call('lookup', { q: 'x' });
    expect(runs).toEqual(['x', 'x']);
  });

  it('evicts the least recently used result beyond maxEntries', async () => {
    const { tool, runs } = counted();
    const { executor, s } = open(tool, { cache: { maxEntries: 2 } });
    await s.call('lookup', { q: 'a' });
    await s.call('lookup', { q: 'b' });
    await s.call('lookup', { q: 'a' }); // a is now the most recent
    await s.call('lookup', { q: 'c' }); // evicts b
    expect(executor.cacheStats().entries).toBe(2);
    await s.call('lookup', { q: 'a' });
    await s.call('lookup', { q: 'b' });
    expect(runs).toEqual(['a', 'b', 'c', 'b']);
  });

  it('evicts by bytes beyond maxBytes, and does not keep a result bigger than the bound', async () => {
    const big = defineTool({ name: 'big', description: '', input: z.object({ n: z.number() }), cache: true, run: vi.fn(({ n }: { n: number }) => 'x'.repeat(n)) });
    const executor = createToolExecutor([big], { loopThreshold: Infinity, cache: { maxBytes: 100 } });
    const s = executor.session({ signal: new AbortController().signal });
    await s.call('big', { n: 20 }); // "xxx…" is 22 UTF-16 units: 44 bytes
    await s.call('big', { n: 21 }); // 46 bytes: 90 held
    expect(executor.cacheStats()).toMatchObject({ entries: 2, bytes: 90 });
    await s.call('big', { n: 22 }); // 48 more: the oldest goes
    expect(executor.cacheStats()).toMatchObject({ entries: 2, bytes: 94 });
    await s.call('big', { n: 60 }); // 124 bytes: never cached
    await s.call('big', { n: 60 });
    expect(big.run).toHaveBeenCalledTimes(5);
    await s.call('big', { n: 21 });
    expect(big.run).toHaveBeenCalledTimes(5);
  });

  it('measures sizes with a custom sizeCalculation', async () => {
    const seen: string[] = [];
    const { tool } = counted();
    const { executor, s } = open(tool, { cache: { sizeCalculation: (value, name) => (seen.push(`${name}:${String(value)}`), 7) } });
    await s.call('lookup', { q: 'a' });
    expect(seen).toEqual(['lookup:result for a']);
    expect(executor.cacheStats().bytes).toBe(7);
  });

  it('runs identical concurrent calls once (in-flight dedupe)', async () => {
    const gate = deferred();
    const { tool, runs } = counted({ gate: () => gate });
    const { executor, s } = open(tool);
    const other = executor.session({ signal: new AbortController().signal });
    const calls = [s.call('lookup', { q: 'x' }), s.call('lookup', { q: 'x' }), other.call('lookup', { q: 'x' }), s.call('lookup', { q: 'y' })];
    gate.resolve();
    expect(await Promise.all(calls)).toEqual(['result for x', 'result for x', 'result for x', 'result for y']);
    expect(runs).toEqual(['x', 'y']);
    expect(executor.cacheStats()).toMatchObject({ misses: 2, shared: 2, hits: 0 });
  });

  it('keeps a shared run going while one caller remains, and aborts it when the last leaves', async () => {
    const gate = deferred();
    const { tool, signals } = counted({ gate: () => gate });
    const executor = createToolExecutor([tool]);
    const first = new AbortController();
    const second = new AbortController();
    const a = executor.session({ signal: first.signal }).call('lookup', { q: 'x' });
    const b = executor.session({ signal: second.signal }).call('lookup', { q: 'x' });
    const aResult = a.catch((e: unknown) => e);
    first.abort(new Error('first gone'));
    expect(await aResult).toMatchObject({ message: 'first gone' });
    await Promise.resolve();
    expect(signals).toHaveLength(1);
    expect(signals[0].aborted).toBe(false);
    const bResult = b.catch((e: unknown) => e);
    second.abort(new Error('second gone'));
    expect(await bResult).toMatchObject({ message: 'second gone' });
    expect(signals[0].aborted).toBe(true);
    gate.resolve();
  });
});
