// Worker tasks on real threads: what comes back, and every way an attempt can end badly. Each
// failure must fail only its own task: the thread is replaced and the next task runs.
import { afterAll, describe, expect, it } from 'vitest';
import { isWeftError } from '../../src/errors.js';
import { createWorkerPool } from '../../src/executors/worker-pool.js';
import type { WorkerTaskOptions } from '../../src/executors/worker-options.js';
import { workflow } from '../../src/workflow/index.js';
import type { WorkflowEvent } from '../../src/workflow/types.js';

const module = new URL('../fixtures/workers/tasks.mjs', import.meta.url);
const pool = createWorkerPool({ threads: 2 });
afterAll(() => pool.close());

const w = (fn: string, extra: Partial<WorkerTaskOptions> = {}): WorkerTaskOptions => ({ module, export: fn, ...extra });

/** Runs `bad` on its own, then a healthy task on the same pool: the pool must still work. */
async function failsAlone(bad: WorkerTaskOptions, timeoutMs?: number) {
  const events: WorkflowEvent[] = [];
  const h = workflow({ workerPool: pool })
    .task({ id: 'bad', worker: bad, ...(timeoutMs === undefined ? {} : { timeoutMs }) })
    .task({ id: 'after', dependsOn: ['bad'], run: () => 'unreachable' })
    .start();
  h.on('task:failed', (e) => events.push(e));
  const result = await h.result;
  const next = await workflow({ workerPool: pool }).task({ id: 'next', worker: w('burn', {}) }).run({ input: {} });
  expect(next.task('next')!.status).toBe('succeeded');
  return { error: result.task('bad')!.error as Error & { code?: string }, result, events };
}

describe('worker tasks: results', () => {
  it('runs the export with the task function signature; input and output cross by structured clone', async () => {
    const result = await workflow({ workerPool: pool })
      .task({ id: 'src', run: () => ({ n: 21, at: new Date(0), bytes: new Uint8Array([1, 2]) }) })
      .task({ id: 'ctx', dependsOn: ['src'], worker: w('describeContext'), timeoutMs: 60_000 })
      .run({ input: { user: 'u1' }, runId: 'r-ctx' });
    const out = result.output('ctx') as Record<string, unknown>;
    expect(out.input).toEqual({ src: { n: 21, at: new Date(0), bytes: new Uint8Array([1, 2]) } });
    expect(out).toMatchObject({ taskId: 'ctx', attempt: 1, runId: 'r-ctx', runInput: { user: 'u1' }, aborted: false });
    expect(typeof out.deadline).toBe('number');
    // weft's kernels, instantiated in the thread from the module the pool compiled and posted.
    expect(out.backend).toBe('wasm');
    expect(out.dot).toBe(32);
  });

  it("uses the module's default export when `export` is not given, and accepts a path", async () => {
    const result = await workflow({ workerPool: pool })
      .task({ id: 'n', run: () => 4 })
      .task({ id: 'd', dependsOn: ['n'], worker: { module: new URL(module).pathname } })
      .run();
    expect(result.output('d')).toEqual({ doubled: 8 }); // input: { n: 4 }, the dependency's output
  });

  it("keeps a task error's name, message, code and fields, so retry policies and isWeftError can read them", async () => {
    const { error } = await failsAlone(w('fail'));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('task said no');
    expect(error.code).toBe('TOOL_REFUSED');
    expect((error as unknown as { detail: unknown }).detail).toEqual({ why: 'because' });
  });

  it('fails with a clear error when the module has no such function', async () => {
    const { error } = await failsAlone(w('notAFunction'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('has no function export `notAFunction` (found number)');
  });

  it('reports cpuMs and the peak heap of each attempt in task:succeeded and task:failed', async () => {
    const events: WorkflowEvent[] = [];
    const h = workflow({ workerPool: pool })
      .task({ id: 'ok', worker: w('burn') })
      .task({ id: 'no', worker: w('fail') })
      .start({ input: {} });
    h.on('*', (e) => (e.type === 'task:succeeded' || e.type === 'task:failed') && events.push(e));
    await h.result;
    expect(events.map((e) => e.taskId).sort()).toEqual(['no', 'ok']);
    for (const e of events) {
      expect(e.cpuMs).toBeGreaterThanOrEqual(0);
      expect(e.heapPeakBytes).toBeGreaterThan(1 << 20);
    }
  });
});

describe('worker tasks: hard cancellation and failures', () => {
  it('terminates a thread stuck in a JS loop at its timeout: TASK_TIMEOUT, with the CPU it used', async () => {
    const { error, events } = await failsAlone(w('spin'), 50);
    expect(isWeftError(error, 'TASK_TIMEOUT')).toBe(true);
    expect(events[0].cpuMs).toBeGreaterThanOrEqual(0); // read from the thread's clock as it was stopped
  });

  it('terminates a thread stuck in a WebAssembly loop at its timeout', async () => {
    const { error } = await failsAlone(w('wasmLoop'), 50);
    expect(isWeftError(error, 'TASK_TIMEOUT')).toBe(true);
  });

  it('terminates a spinning thread when the run is cancelled, and the main thread keeps running meanwhile', async () => {
    const h = workflow({ workerPool: pool }).task({ id: 'spin', worker: w('spin') }).start();
    await new Promise<void>((resolve) => h.on('task:start', () => resolve()));
    // The worker spins; this thread's timers still fire, then cancel.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (++ticks === 3) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    h.cancel('enough');
    const result = await h.result;
    expect(result.status).toBe('cancelled');
    expect(isWeftError(result.task('spin')!.error, 'TASK_CANCELLED')).toBe(true);
    const next = await workflow({ workerPool: pool }).task({ id: 'n', worker: w('burn') }).run({ input: {} });
    expect(next.status).toBe('succeeded');
    expect(pool.idle).toBe(2);
  });

  it('fails a task over its maxMemoryMb with WORKER_MEMORY_EXCEEDED', async () => {
    const { error } = await failsAlone(w('hog', { maxMemoryMb: 32 }));
    expect(isWeftError(error, 'WORKER_MEMORY_EXCEEDED')).toBe(true);
    expect(error.message).toBe('task `bad` exceeded its worker memory limit of 32 MB');
  });

  it('fails only its task when the worker calls process.exit', async () => {
    const { error, result } = await failsAlone(w('exit'));
    expect(isWeftError(error, 'WORKER_CRASHED')).toBe(true);
    expect(error.message).toBe('task `bad`: its worker thread died (it exited with code 3)');
    expect(result.task('after')!.status).toBe('skipped');
  });

  it('fails only its task when the worker throws outside the task function', async () => {
    const { error } = await failsAlone(w('throwOutside'));
    expect(isWeftError(error, 'WORKER_CRASHED')).toBe(true);
    expect(error.message).toContain('thrown from a timer');
  });

  it('fails a task whose result cannot be cloned back', async () => {
    const { error } = await failsAlone(w('unclonable'));
    expect(isWeftError(error, 'WORKER_CRASHED')).toBe(true);
    expect(error.message).toContain('could not be cloned');
  });

  it('stops a task over its cpuQuotaMs with CPU_QUOTA_EXCEEDED', async () => {
    const { error, events } = await failsAlone(w('spin', { cpuQuotaMs: 20 }));
    expect(isWeftError(error, 'CPU_QUOTA_EXCEEDED')).toBe(true);
    const e = error as unknown as { cpuQuotaMs: number; cpuMs: number };
    expect(e.cpuQuotaMs).toBe(20);
    expect(e.cpuMs).toBeGreaterThan(20);
    expect(events[0].cpuMs).toBe(e.cpuMs);
  });

  it('retries a timed-out worker task on a fresh thread', async () => {
    const h = workflow({ workerPool: pool }).task({ id: 's', worker: w('spin'), timeoutMs: 30, retry: { maxAttempts: 2, initialDelayMs: 1, jitter: 0 } }).start();
    const retries: WorkflowEvent[] = [];
    h.on('task:retry', (e) => retries.push(e));
    const result = await h.result;
    expect(result.task('s')!.attempts).toBe(2);
    expect(retries).toHaveLength(1);
    expect(retries[0].cpuMs).toBeGreaterThan(0);
  });
});
