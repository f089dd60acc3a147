import { describe, expect, it } from 'vitest';
import { skipBrowserTests, useBrowser } from '../helpers/chromium.js';

// The Web Worker pool in Chromium, loading dist/ as an app would (fixture:
// test/fixtures/browser/web-workers.html). Skipped outside CI when no Chromium is found.
describe.skipIf(skipBrowserTests)('Web Worker pool in Chromium', () => {
  const open = useBrowser(new URL('../..', import.meta.url));

  it('runs worker tasks on Web Workers with WASM kernels, kills stuck ones and replaces their workers', async () => {
    const { result: r, errors } = await open('/test/fixtures/browser/web-workers.html');
    expect(errors).toEqual([]);
    expect(r.error).toBeUndefined();
    expect(r.reason).toBeUndefined();
    expect(r.backend).toBe('wasm');
    expect(r.tasks.fib).toMatchObject({ status: 'succeeded', output: 6765 });
    expect(r.tasks.ctx.output).toEqual({ taskId: 'ctx', attempt: 1, runInput: { hello: 'worker' }, dot: 32 });
    expect(r.heartbeats).toContain('ctx');
    expect(r.tokens).toBe(7);
    // Hard kills: a JS loop past its timeout, a loop of WASM calls cancelled while it runs.
    expect(r.tasks.stuck.status).toBe('failed');
    expect(r.isTimeout).toBe(true);
    expect(r.tasks.after.status).toBe('skipped');
    expect(r.tasks['wasm-stuck'].status).toBe('cancelled');
    expect(r.isCancelled).toBe(true);
    // The task's own error comes back with its class, code and fields.
    expect(r.tasks.fail).toMatchObject({ status: 'failed', name: 'RangeError', code: 'MY_CODE', detail: { n: 3 }, message: 'out of range on purpose' });
    expect(r.isCrash).toBe(true);
    expect(r.tasks.crash.message).toContain('thrown from a timer');
    expect(r.tasks.uncloneable.status).toBe('failed');
    expect(r.tasks.uncloneable.name).toBe('DataCloneError');
    expect(r.tasks.missing.message).toContain('has no function export `nope`');
    expect(r.stats.replaced).toBe(3); // timeout, cancel, crash
    expect(r.stats.started).toBe(5);
    expect(r.workersUsed).toEqual([0, 1]);
    expect(r.secondStatus).toBe('succeeded');
    expect(r.secondOutputs).toEqual(['f0', 'f1', 'f2', 'f3']);
  });
});
