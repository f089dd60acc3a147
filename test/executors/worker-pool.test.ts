import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool, workerEntryUrl, WorkerPool } from '../../src/executors/worker-pool.js';
import { workflow } from '../../src/workflow/index.js';

const module = new URL('../fixtures/workers/tasks.mjs', import.meta.url);
const root = new URL('../../', import.meta.url);

describe('createWorkerPool', () => {
  const pools: WorkerPool[] = [];
  afterAll(() => Promise.all(pools.map((p) => p.close())));

  it('has one thread per available core by default, and starts no thread before a task needs one', () => {
    const pool = createWorkerPool();
    pools.push(pool);
    expect(pool.threads).toBe(availableParallelism());
    expect(pool.workers).toHaveLength(0);
    expect(pool.idle).toBe(pool.threads);
  });

  it('validates its options', () => {
    expect(() => createWorkerPool({ threads: 0 })).toThrow(new RangeError('Expected `threads` to be an integer in [1, 1024], got `0` (number)'));
    expect(() => createWorkerPool({ cancelGraceMs: -1 })).toThrow(new RangeError('Expected `cancelGraceMs` to be an integer >= 0, got `-1` (number)'));
    expect(() => createWorkerPool(null as never)).toThrow(new TypeError('Expected `options` to be an options object, got `null` (null)'));
    expect(() => workflow({ workerPool: {} as never })).toThrow(new TypeError('Expected `workerPool` to be a worker pool (createWorkerPool, or createWebWorkerPool in a browser), got `{}` (object)'));
  });

  it('validates a task’s `worker` option', () => {
    const wf = workflow();
    expect(() => wf.task({ id: 'a', worker: { module: '' } })).toThrow(new TypeError('task `a`: Expected `worker.module` to be a module URL or path, got `""` (string)'));
    expect(() => wf.task({ id: 'a', worker: { module, export: '' } })).toThrow(new TypeError('task `a`: Expected `worker.export` to be an export name, got `""` (string)'));
    expect(() => wf.task({ id: 'a', worker: { module, maxMemoryMb: 0.5 } })).toThrow(new RangeError('task `a`: Expected `worker.maxMemoryMb` to be an integer >= 1, got `0.5` (number)'));
    expect(() => wf.task({ id: 'a', worker: { module, cpuQuotaMs: 0 } })).toThrow(new RangeError('task `a`: Expected `worker.cpuQuotaMs` to be a finite number > 0, got `0` (number)'));
    expect(() => wf.task({ id: 'a' } as never)).toThrow(new TypeError("task `a`: Expected `run` (a function), `worker` (a module's export) or `agent` (an agent's name), got none"));
  });

  it('posts the compiled module to the threads, or none with `wasm: false` (TS kernels there)', async () => {
    const pool = createWorkerPool({ threads: 1, wasm: false });
    pools.push(pool);
    const result = await workflow({ workerPool: pool }).task({ id: 'c', worker: { module, export: 'describeContext' } }).run();
    expect(result.output('c')).toMatchObject({ backend: 'ts', dot: 32 });
  });

  it('gives a cancelled task `cancelGraceMs` to return after its signal aborts, and still fails it', async () => {
    const pool = createWorkerPool({ threads: 1, cancelGraceMs: 5000 });
    pools.push(pool);
    const warm = await workflow({ workerPool: pool }).task({ id: 'warm', worker: { module, export: 'order' } }).run({ input: {} });
    expect(warm.status).toBe('succeeded');
    const [thread] = pool.workers;
    const result = await workflow({ workerPool: pool }).task({ id: 'w', timeoutMs: 30, worker: { module, export: 'waitForAbort' } }).run();
    expect((result.task('w')!.error as { code: string }).code).toBe('TASK_TIMEOUT');
    // The thread saw its signal and returned: it was not terminated, so the pool keeps it.
    const next = await workflow({ workerPool: pool }).task({ id: 'n', worker: { module, export: 'order' } }).run({ input: {} });
    expect(next.status).toBe('succeeded');
    expect(pool.workers).toEqual([thread]);
    expect(pool.workers[0].threadId).toBe(thread.threadId);
  });

  it('fails the tasks that wait for a thread when the pool closes, and those started after', async () => {
    const pool = createWorkerPool({ threads: 1 });
    const h = workflow({ workerPool: pool })
      .task({ id: 'spin', worker: { module, export: 'spin' } })
      .task({ id: 'waiting', worker: { module, export: 'order' } })
      .start({ input: {} });
    await new Promise<void>((resolve) => h.on('task:start', () => resolve()));
    await pool.close();
    const result = await h.result;
    expect(result.task('spin')!.status).toBe('failed');
    expect(result.task('waiting')!.status).toBe('failed');
    expect((result.task('waiting')!.error as Error).message).toBe('worker pool is closed');
    const later = await workflow({ workerPool: pool }).task({ id: 'l', worker: { module, export: 'order' } }).run({ input: {} });
    expect((later.task('l')!.error as Error).message).toBe('worker pool is closed');
  });

  it('refuses work once closed', async () => {
    const pool = createWorkerPool({ threads: 1 });
    await pool.close();
    expect(pool.idle).toBe(0);
    expect(() => pool.tryAcquire()).toThrow('worker pool is closed');
    await expect(pool.piscina(0)).rejects.toThrow('worker pool is closed');
  });

  it('finds the thread code beside the compiled pool, in dist/ from the source and from a bundled chunk', () => {
    expect(workerEntryUrl().href).toBe(new URL('dist/executors/worker-thread.js', root).href);
  });

  it('never keeps the process alive: a script that runs a worker task and does not close the pool exits', async () => {
    const script = `
      import { workflow } from ${JSON.stringify(new URL('dist/index.js', root).href)};
      const r = await workflow().task({ id: 'a', worker: { module: ${JSON.stringify(module.href)}, export: 'order' } }).run({ input: {} });
      console.log(r.status);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(root), timeout: 30_000 });
    expect(stdout.trim()).toBe('succeeded');
  });
});
