// The engine's view of worker pools (TaskPool). This file never loads Node's pool module
// (src/executors/worker-pool.ts), as a browser bundle would not: so no process-wide pool exists.
import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/executors/executor.js';
import { loadDefaultTaskPool, type TaskPool } from '../../src/executors/task-pool.js';
import { workflow } from '../../src/workflow/index.js';

/** A pool of `size` slots that runs the attempt's `run` here, recording what it ran. */
function slotPool(size: number) {
  const ran: string[] = [];
  let busy = 0;
  const wakers: (() => void)[] = [];
  const pool: TaskPool = {
    executor: {
      name: 'slots',
      async execute(attempt: Attempt) {
        busy++;
        ran.push(attempt.taskId);
        await Promise.resolve();
        busy--;
        wakers.splice(0).forEach((wake) => wake());
        return `${attempt.taskId} done`;
      },
    },
    get idle() {
      return size - busy;
    },
    isClosed: false,
    onIdle(wake) {
      wakers.push(wake);
      return () => void wakers.splice(wakers.indexOf(wake), 1);
    },
    close() {},
  };
  return { pool, ran };
}

describe('TaskPool', () => {
  it('has no process-wide pool where Node’s pool module was not loaded', () => {
    expect(loadDefaultTaskPool()).toBeUndefined();
  });

  it('fails a worker task without a workerPool there with INVALID_STATE, and the run ends', async () => {
    const result = await workflow()
      .task({ id: 'w', worker: { module: 'file:///nowhere.mjs', export: 'x' } })
      .task({ id: 'after', dependsOn: ['w'], run: () => 1 })
      .run();
    expect(result.status).toBe('failed');
    const error = result.task('w')!.error as { code: string; message: string };
    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toMatch(/no `workerPool`.*createWebWorkerPool/);
    expect(result.task('after')!.status).toBe('skipped');
  });

  it('takes any pool with the interface, one task per free slot, in priority order', async () => {
    const { pool, ran } = slotPool(1);
    const wf = workflow({ workerPool: pool });
    for (const [id, priority] of [['low', 1], ['high', 3], ['mid', 2]] as const) wf.task({ id, priority, worker: { module: 'file:///x.mjs', export: 'x' } });
    const result = await wf.run();
    expect(result.status).toBe('succeeded');
    expect(result.output('mid')).toBe('mid done');
    expect(ran).toEqual(['high', 'mid', 'low']);
  });

  it('rejects a workerPool that is not a pool, naming the option', () => {
    expect(() => workflow({ workerPool: { idle: 1 } as unknown as TaskPool })).toThrow(/Expected `workerPool` to be a worker pool/);
  });
});
