// Archival (archiveAfterMs): finished added tasks leave the run's memory, their slots are reused,
// and the run still counts them.
import { describe, expect, it } from 'vitest';
import { workflow } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';
import { memoryDurableStore } from '../helpers/memory-durable-store.js';

describe('archiveAfterMs', () => {
  it('forgets succeeded added tasks once their dependents finished, reuses their slots, and counts them', async () => {
    const store = memoryDurableStore();
    let lateError = '';
    const wf = workflow({ store, archiveAfterMs: 0, maxPendingTasks: 150 });
    wf.task({
      id: 'source',
      run: async (_i, ctx) => {
        for (let batch = 0; batch < 20; batch++) {
          const gate = deferred();
          for (let k = batch * 100; k < batch * 100 + 100; k++) await ctx.addTask({ id: `t${k}`, run: () => (k % 100 < 98 ? k : gate.promise.then(() => k)) });
          const k = batch * 100 + 99;
          await ctx.addTask({ id: `join${k}`, dependsOn: [`t${k}`, `t${k - 1}`], run: (input) => Number(input[`t${k}`]) + Number(input[`t${k - 1}`]) });
          gate.resolve();
        }
        // A task archived is gone from the run: depending on it is depending on an unknown task.
        await ctx.addTask({ id: 'late', dependsOn: ['t0'], run: () => 0 }).catch((e: Error) => (lateError = e.message));
        return 'streamed';
      },
    });
    wf.task({ id: 'after', dependsOn: ['source'], run: (input) => input.source });
    const handle = wf.start({ runId: 'stream' });
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(result.counts.succeeded).toBe(2 + 2000 + 20);
    expect(result.output('after')).toBe('streamed'); // defined tasks stay
    expect(result.tasks.length).toBeLessThan(200);
    expect(result.task('t5')).toBeUndefined();
    expect(lateError).toBe('Task `late` depends on unknown task `t0`');
    expect(handle.stateBytes()).toBeLessThan(200 * 64);
    // The outputs are in the store, joins saw their inputs before those left.
    const outputs = new Map(store.batches.get('stream')!.flat().filter((e) => e.type === 'task:succeeded').map((e) => [e.taskId, e.output]));
    expect(outputs.get('t5')).toBe(5);
    expect(outputs.get('join199')).toBe(199 + 198);
  });

  it('keeps a task while a dependent has not finished, and within the retention window', async () => {
    const gate = deferred();
    const wf = workflow({ archiveAfterMs: 60_000 });
    wf.task({
      id: 'p',
      run: async (_i, ctx) => {
        await ctx.addTask({ id: 'a', run: () => 'A' });
        await ctx.addTask({ id: 'b', dependsOn: ['a'], run: async () => (await gate.promise, 'B') });
      },
    });
    const handle = wf.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(handle.task('a')?.output).toBe('A');
    gate.resolve();
    const result = await handle.result;
    expect(result.task('a')?.output).toBe('A'); // the window (a minute) is not over
  });

  it('is validated', () => {
    expect(() => workflow({ archiveAfterMs: -1 })).toThrow('Expected `archiveAfterMs` to be a finite number >= 0, got `-1` (number)');
  });
});
