import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemory } from '../../src/memory/index.js';
import { workflow } from '../../src/workflow/index.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-wf-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tasks and the memory store', () => {
  it('reach it from their context, opt in to storing outputs, and short-term memory ends with the run', async () => {
    const memory = await createMemory({ path: join(dir, 'memory.db') });
    const wf = workflow({ memory })
      .task({ id: 'learn', run: async (_, ctx) => { await ctx.memory!.remember('the deploy window is friday evening'); return 'learned'; } })
      .task({
        id: 'ask',
        dependsOn: ['learn'],
        run: async (_, ctx) => (await ctx.memory!.recall('when is the deploy window', { k: 1 }))[0]?.text,
      })
      .task({ id: 'report', dependsOn: ['ask'], rememberOutput: { scope: 'long-term' }, run: (input) => `summary: ${String(input.ask)}` });
    const h = wf.start({ runId: 'mem-run' });
    let shortTermDuringRun = -1;
    h.on('task:succeeded', (e) => {
      if (e.taskId === 'ask') shortTermDuringRun = memory.count({ scope: 'short-term', runId: 'mem-run' });
    });
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(result.output('ask')).toBe('the deploy window is friday evening');
    expect(shortTermDuringRun).toBe(1);
    expect(memory.count({ scope: 'short-term', runId: 'mem-run' })).toBe(0);
    const kept = await memory.recall('summary deploy window', { scope: 'long-term', k: 1 });
    expect(kept[0]).toMatchObject({ text: 'summary: the deploy window is friday evening' });
    expect(kept[0].metadata).toMatchObject({ kind: 'task-output', taskId: 'report' });
    memory.close();
  });

  it('rememberOutput without a memory fails the task with a clear error; bad options are refused', async () => {
    const result = await workflow().task({ id: 'x', rememberOutput: true, run: () => 'out' }).run();
    expect((result.task('x')!.error as Error).message).toBe("task `x`: `rememberOutput` needs the workflow's `memory` option");
    expect(() => workflow({ memory: {} as never })).toThrow('Expected `memory` to be a Memory (createMemory)');
    expect(() => workflow().task({ id: 'y', rememberOutput: 'yes' as never, run: () => 1 })).toThrow('task `y`: Expected `rememberOutput` to be a boolean or remember options');
  });
});
