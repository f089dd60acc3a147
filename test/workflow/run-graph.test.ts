// A run's graph as a user sees it: tasks added by one run stay that run's, and the cycle check
// on an added dependency walks the dependents that exist, added ones included, once each.
import { describe, expect, it } from 'vitest';
import { CycleDetectedError, isWeftError } from '../../src/errors.js';
import { workflow, type TaskContext } from '../../src/workflow/index.js';
import { deferred } from '../helpers/deferred.js';

/** The error `fn` throws (undefined if it returns). */
function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('tasks added by a run', () => {
  it('belong to that run: later and concurrent runs of the same workflow see only the definition', async () => {
    const wf = workflow()
      .task({ id: 'seed', run: (_, ctx) => `seed-${String(ctx.runInput)}` })
      .task({
        id: 'planner',
        dependsOn: ['seed'],
        run: async (input, ctx) => {
          // Named after the run: a run that saw another run's task would report the wrong id.
          await ctx.addTask({ id: `extra-${String(ctx.runInput)}`, dependsOn: ['planner'], run: (i) => `after ${String(i.planner)}` });
          return `planned ${String(input.seed)}`;
        },
      });
    const first = await wf.run({ input: 1 });
    const [second, third] = await Promise.all([wf.run({ input: 2 }), wf.run({ input: 3 })]);
    for (const [result, k] of [[first, 1], [second, 2], [third, 3]] as const) {
      expect(result.status).toBe('succeeded');
      expect(result.tasks.map((t) => t.id)).toEqual(['seed', 'planner', `extra-${k}`]);
      expect(result.output(`extra-${k}`)).toBe(`after planned seed-${k}`);
    }
    expect(wf.toMermaid()).not.toContain('extra');
  });
});

describe('addDependency cycle check', () => {
  it('names a cycle that runs through tasks added while running, in dependency order', async () => {
    const seen: unknown[] = [];
    const gate = deferred();
    const result = await workflow()
      .task({ id: 'hold', run: () => gate.promise })
      .task({ id: 'a', dependsOn: ['hold'], run: () => 'a' })
      .task({
        id: 'driver',
        run: async (_, ctx) => {
          await ctx.addTask({ id: 'b', dependsOn: ['a'], run: () => 'b' });
          await ctx.addTask({ id: 'c', dependsOn: ['b'], run: () => 'c' });
          await ctx.addTask({ id: 'side', dependsOn: ['a'], run: () => 'side' });
          seen.push(thrown(() => ctx.addDependency('a', 'c')));
          seen.push(thrown(() => ctx.addDependency('b', 'c')));
          // Not a cycle: c does not lead back to side.
          seen.push(thrown(() => ctx.addDependency('side', 'c')));
          gate.resolve();
        },
      })
      .run();
    expect(seen[0]).toBeInstanceOf(CycleDetectedError);
    expect((seen[0] as CycleDetectedError).cycle).toEqual(['a', 'b', 'c']);
    expect((seen[1] as CycleDetectedError).cycle).toEqual(['b', 'c']);
    expect(seen[2]).toBeUndefined();
    expect(result.status).toBe('succeeded');
    const side = result.task('side')!;
    expect(side.startedAt!).toBeGreaterThanOrEqual(result.task('c')!.endedAt!);
  });

  it('visits each task once: a lattice of 40 diamonds is checked at once', async () => {
    // Each level is a diamond (two tasks depending on the previous join): 2^40 paths, 122 tasks.
    const gate = deferred();
    const wf = workflow()
      .task({ id: 'hold', run: () => gate.promise })
      .task({ id: 'root', dependsOn: ['hold'], run: () => 0 });
    let join = 'root';
    for (let k = 0; k < 40; k++) {
      wf.task({ id: `l${k}`, dependsOn: [join], run: () => k });
      wf.task({ id: `r${k}`, dependsOn: [join], run: () => k });
      wf.task({ id: `j${k}`, dependsOn: [`l${k}`, `r${k}`], run: () => k });
      join = `j${k}`;
    }
    let error: unknown = 'not called';
    wf.task({
      id: 'check',
      run: (_, ctx: TaskContext) => {
        // Closes no cycle, so the whole lattice below root is searched for a way back to `check`.
        error = thrown(() => ctx.addDependency('root', 'check'));
        gate.resolve();
      },
    });
    wf.task({ id: 'end', dependsOn: [join], run: () => 'end' });
    const result = await wf.run();
    expect(error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.task('root')!.startedAt!).toBeGreaterThanOrEqual(result.task('check')!.endedAt!);
  });
});

describe('dependencies added to tasks added while running', () => {
  it('give a task added without dependencies its new one\'s output, once however often it is added', async () => {
    const gate = deferred();
    const inputs = new Map<string, object>();
    const keep = (id: string) => (input: object) => void inputs.set(id, input);
    const h = workflow({ concurrency: 2 })
      .task({ id: 'hold', run: () => gate.promise })
      .task({ id: 'x', dependsOn: ['hold'], run: () => 'X' })
      .task({
        id: 'driver',
        run: async (_, ctx) => {
          // With both slots taken, `lone` waits ready (not started) and can still gain a dependency.
          await ctx.addTask({ id: 'lone', run: keep('lone') });
          await ctx.addTask({ id: 'both', dependsOn: ['x'], run: keep('both') });
          ctx.addDependency('lone', 'x');
          ctx.addDependency('lone', 'x');
          ctx.addDependency('both', 'x');
          ctx.addDependency('both', 'driver');
          ctx.addDependency('both', 'driver');
          gate.resolve();
          return 'D';
        },
      })
      .start();
    const added: string[] = [];
    h.on('dependency:added', (e) => added.push(`${e.taskId!} <- ${e.dependsOn!.join()}`));
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(added).toEqual(['lone <- x', 'both <- driver']);
    expect(Object.keys(inputs.get('lone')!)).toEqual(['x']);
    expect({ ...inputs.get('lone') }).toEqual({ x: 'X' });
    expect(Object.keys(inputs.get('both')!)).toEqual(['x', 'driver']);
    expect({ ...inputs.get('both') }).toEqual({ x: 'X', driver: 'D' });
    expect(h.toMermaid().match(/-->/g)).toHaveLength(4);
  });
});

describe('options of tasks added while running', () => {
  it('apply as they would to a defined task: its timeoutMs and its retry policy', async () => {
    let tries = 0;
    const result = await workflow()
      .task({
        id: 'adder',
        run: async (_, ctx) => {
          await ctx.addTask({ id: 'stuck', timeoutMs: 5, run: () => new Promise(() => {}) });
          await ctx.addTask({ id: 'flaky', retry: { maxAttempts: 2, initialDelayMs: 0 }, run: () => (++tries === 1 ? Promise.reject(new Error('once')) : 'ok') });
          await ctx.addTask({ id: 'plain', run: () => Promise.reject(new Error('no retry')) });
        },
      })
      .run();
    expect(result.task('stuck')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(isWeftError(result.task('stuck')!.error, 'TASK_TIMEOUT')).toBe(true);
    expect(result.task('flaky')).toMatchObject({ status: 'succeeded', attempts: 2, output: 'ok' });
    expect(result.task('plain')).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
