// A run's per-task state as a user sees it: a run that grows past the tasks it started with (by
// adding tasks while it runs) keeps every task's status, group, priority, attempts and times.
import { describe, expect, it } from 'vitest';
import { workflow } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';

describe('a run that grows', () => {
  it('keeps every task\'s group, priority, attempts and times as it adds 40 tasks to a run of 2', async () => {
    const order: string[] = [];
    let inGroup = 0;
    let maxInGroup = 0;
    const tried = new Set<string>();
    const wf = workflow({ concurrency: 2, groups: { io: 1 } })
      .task({ id: 'first', run: () => 'first' })
      .task({
        id: 'spawner',
        dependsOn: ['first'],
        run: async (_, ctx) => {
          for (let k = 0; k < 40; k++) {
            const id = `t${k}`;
            await ctx.addTask({
              id,
              // All become ready together when the spawner ends, then take the group's one slot in turn.
              dependsOn: ['spawner'],
              group: 'io',
              // Later tasks rank higher: they must run first once the group has a free slot.
              priority: k,
              retry: { maxAttempts: 2, initialDelayMs: 0 },
              run: async () => {
                inGroup++;
                maxInGroup = Math.max(maxInGroup, inGroup);
                await Promise.resolve();
                inGroup--;
                // Every fifth task fails once: its attempt count must survive the growth.
                if (k % 5 === 0 && !tried.has(id)) {
                  tried.add(id);
                  throw new Error(`${id} once`);
                }
                order.push(id);
                return k;
              },
            });
          }
          return 'spawned';
        },
      });
    const h = wf.start();
    const result = await h.result;
    expect(result.status).toBe('succeeded');
    expect(result.tasks).toHaveLength(42);
    expect(maxInGroup).toBe(1);
    for (let k = 0; k < 40; k++) {
      const t = result.task(`t${k}`)!;
      expect(t).toMatchObject({ status: 'succeeded', output: k, attempts: k % 5 === 0 ? 2 : 1 });
      expect(t.endedAt!).toBeGreaterThanOrEqual(t.startedAt!);
      expect(t.startedAt!).toBeGreaterThanOrEqual(result.task('spawner')!.startedAt!);
    }
    expect(result.task('first')).toMatchObject({ status: 'succeeded', output: 'first', attempts: 1 });
    // Best first; the ones that failed once come back after their backoff, best first again.
    const descending = Array.from({ length: 40 }, (_, k) => 39 - k);
    expect(order).toEqual([...descending.filter((k) => k % 5 !== 0), ...descending.filter((k) => k % 5 === 0)].map((k) => `t${k}`));
    expect(h.metrics().events['task:retry']).toBe(8);
  });
});

describe('priorities', () => {
  it('changed in one run leave the next run of the same workflow in the definition\'s order', async () => {
    const order: string[] = [];
    // Ten tasks: enough for a run to share the definition's priorities until it changes one.
    const wf = workflow({ concurrency: 1 }).task({ id: 'first', priority: 100, run: (_, ctx) => ctx.runInput });
    for (let k = 0; k < 9; k++) wf.task({ id: `t${k}`, priority: k, run: () => void order.push(`t${k}`) });
    const gate = deferred();
    const h = wf.start({ input: gate.promise });
    await until((t, fn) => h.on(t, fn), () => h.task('first')!.status === 'running');
    h.setPriority('t0', 1000);
    gate.resolve();
    await h.result;
    expect(order).toEqual(['t0', 't8', 't7', 't6', 't5', 't4', 't3', 't2', 't1']);
    order.length = 0;
    await wf.run({ input: 'no gate' });
    expect(order).toEqual(['t8', 't7', 't6', 't5', 't4', 't3', 't2', 't1', 't0']);
  });
});
