// Resume from a RecordedRun (data): a run "crashes" after some recorded batches (the test keeps
// those and abandons the run), and a fresh workflow with the same definition resumes it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRegistry } from '../../src/agents/agent-registry.js';
import { defineAgent } from '../../src/agents/define-agent.js';
import { isWeftError, TaskNotResumableError, WorkflowChangedError } from '../../src/errors.js';
import { workflow, type RunHandle, type WorkflowEvent } from '../../src/workflow/index.js';
import { deferred, until } from '../helpers/deferred.js';
import { crashedAt, memoryDurableStore, type MemoryDurableStore } from '../helpers/memory-durable-store.js';

/** Runs `start` until `predicate` holds, then "crashes": the recorded run as it stood then. */
async function crash(store: MemoryDurableStore, handle: RunHandle, predicate: () => boolean) {
  await until((t, fn) => handle.on(t, fn), predicate);
  await Promise.resolve(); // the batch of that turn reaches the store
  return crashedAt(store, handle.runId, store.batches.get(handle.runId)!.length);
}

const starts = (events: WorkflowEvent[]): string[] => events.filter((e) => e.type === 'task:start').map((e) => `${e.taskId}#${e.attempt}`);

describe('resume from a recorded run', () => {
  it('reuses succeeded outputs without running them and re-runs the task in flight under its attempt number', async () => {
    const hold = deferred();
    const define = (runs: string[], b: () => unknown) => {
      const store = memoryDurableStore();
      const wf = workflow({ store });
      wf.task({ id: 'a', run: () => (runs.push('a'), 'A') });
      wf.task({ id: 'b', dependsOn: ['a'], retry: { maxAttempts: 3, initialDelayMs: 0 }, run: (input, ctx) => (runs.push(`b#${ctx.attempt}`), b()) });
      wf.task({ id: 'c', dependsOn: ['b'], run: (input) => `${String(input.b)}+c` });
      return { store, wf };
    };
    const first: string[] = [];
    let calls = 0;
    const one = define(first, () => (++calls === 1 ? Promise.reject(new Error('flaky')) : hold.promise));
    const h1 = one.wf.start({ runId: 'r1' });
    const recorded = await crash(one.store, h1, () => h1.task('b')?.attempts === 2 && h1.task('b')?.status === 'running');
    expect(recorded.tasks.get('b')).toMatchObject({ status: 'running', attempts: 2 });

    const second: string[] = [];
    const store = memoryDurableStore(new Map([['r1', recorded]]));
    const wf = workflow({ store });
    wf.task({ id: 'a', run: () => (second.push('a'), 'A') });
    wf.task({ id: 'b', dependsOn: ['a'], retry: { maxAttempts: 3, initialDelayMs: 0 }, run: (input, ctx) => (second.push(`b#${ctx.attempt}`), `${String(input.a)}b`) });
    wf.task({ id: 'c', dependsOn: ['b'], run: (input) => `${String(input.b)}+c` });
    const events: WorkflowEvent[] = [];
    const handle = wf.start({ runId: 'r1' });
    handle.on('*', (e) => events.push(e));
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect(second).toEqual(['b#2']); // a is not run again; b's attempt 2 runs again
    expect(result.output('c')).toBe('Ab+c');
    expect(result.task('a')).toMatchObject({ status: 'succeeded', output: 'A', attempts: 1 });
    expect(starts(events)).toEqual(['b#2', 'c#1']);
    expect(events.find((e) => e.type === 'task:stalled')).toMatchObject({ taskId: 'b', attempt: 2 });
    expect(store.calls).toEqual(['begin r1', 'end r1']);
    hold.resolve();
  });

  it('gives a resumed attempt what was left of its recorded deadline, not a fresh timeoutMs', async () => {
    const store = memoryDurableStore();
    const wf = workflow({ store });
    wf.task({ id: 't', timeoutMs: 60_000, run: () => new Promise(() => undefined) });
    const h1 = wf.start({ runId: 'd1' });
    const recorded = await crash(store, h1, () => h1.task('t')?.status === 'running');
    const deadline = recorded.tasks.get('t')!.deadline!;
    expect(deadline).toBeGreaterThan(Date.now() + 50_000);
    h1.cancel();
    const early = { ...recorded.tasks.get('t')!, deadline: Date.now() + 30_000 };
    const again = workflow({ store: memoryDurableStore(new Map([['d1', { ...recorded, tasks: new Map([['t', early]]) }]])) });
    let seen: number | undefined;
    again.task({ id: 't', timeoutMs: 60_000, run: (_i, ctx) => ((seen = ctx.deadline), 1) });
    expect((await again.run({ runId: 'd1' })).status).toBe('succeeded');
    expect(Math.abs(seen! - early.deadline)).toBeLessThan(100);
  });

  it('re-creates dynamic tasks given as data; a re-run parent adding them again gets the recorded ones', async () => {
    const done: string[] = [];
    let blockY: Promise<void> | undefined;
    const shout = defineAgent({
      name: 'shout',
      input: z.object({ word: z.string() }),
      output: z.string(),
      run: async ({ word }) => {
        if (word === 'y' && blockY !== undefined) await blockY;
        done.push(word);
        return word.toUpperCase();
      },
    });
    const hold = deferred<string>();
    const define = (store: MemoryDurableStore, tail: () => unknown) => {
      const wf = workflow({ store, agents: createAgentRegistry([shout]) });
      wf.task({
        id: 'plan',
        run: async (_i, ctx) => {
          for (const word of ['x', 'y']) await ctx.addTask({ id: `say-${word}`, agent: 'shout', input: { word } });
          await ctx.addTask({ id: 'join', agent: 'shout', dependsOn: ['say-x', 'say-y'], input: { word: 'j' } });
          return tail();
        },
      });
      return wf;
    };
    const s1 = memoryDurableStore();
    blockY = new Promise(() => undefined);
    const h1 = define(s1, () => hold.promise).start({ runId: 'dyn' });
    const recorded = await crash(s1, h1, () => h1.task('say-x')?.status === 'succeeded' && h1.task('say-y')?.status === 'running' && h1.task('join') !== undefined);
    blockY = undefined;
    expect(recorded.added.map((a) => [a.id, a.parent, a.closure])).toEqual([['say-x', 'plan', false], ['say-y', 'plan', false], ['join', 'plan', false]]);
    done.length = 0;
    const s2 = memoryDurableStore(new Map([['dyn', recorded]]));
    const result = await define(s2, () => 'planned').run({ runId: 'dyn' });
    expect(result.status).toBe('succeeded');
    expect(done.sort()).toEqual(['j', 'y']);
    expect(result.output('say-x')).toBe('X');
    expect(result.output('join')).toBe('J');
    expect(result.counts.succeeded).toBe(4);
    hold.resolve('late');
  });

  it('cannot resume an unfinished dynamic task given as a closure: TASK_NOT_RESUMABLE names it', async () => {
    const define = (store: MemoryDurableStore) => {
      const wf = workflow({ store });
      wf.task({ id: 'p', run: async (_i, ctx) => void (await ctx.addTask({ id: 'child', run: () => new Promise(() => undefined) })) });
      return wf;
    };
    const s1 = memoryDurableStore();
    const h1 = define(s1).start({ runId: 'cl' });
    const recorded = await crash(s1, h1, () => h1.task('child')?.status === 'running');
    h1.cancel();
    const s2 = memoryDurableStore(new Map([['cl', recorded]]));
    const error = await define(s2).run({ runId: 'cl' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotResumableError);
    expect(error).toMatchObject({ code: 'TASK_NOT_RESUMABLE', taskId: 'child', runId: 'cl' });
    expect(s2.leased.size).toBe(0); // the lease is released again
  });

  it('restores a suspended task: handle.resume(taskId, data) in the new process runs it again and its suspend() answers at once', async () => {
    const define = (store: MemoryDurableStore, log: string[]) => {
      const wf = workflow({ store });
      wf.task({
        id: 'ask',
        run: async (_i, ctx) => {
          log.push(`start#${ctx.attempt}`);
          const answer = await ctx.suspend('approve?', { amount: 5 });
          return `got ${String(answer)}`;
        },
      });
      wf.task({ id: 'after', dependsOn: ['ask'], run: (input) => input.ask });
      return wf;
    };
    const s1 = memoryDurableStore();
    const h1 = define(s1, []).start({ runId: 'sus' });
    const recorded = await crash(s1, h1, () => h1.suspended().length === 1);
    expect(recorded.tasks.get('ask')).toMatchObject({ status: 'suspended', suspended: { reason: 'approve?', payload: { amount: 5 } } });
    const log: string[] = [];
    const handle = define(memoryDurableStore(new Map([['sus', recorded]])), log).start({ runId: 'sus' });
    await Promise.resolve();
    expect(handle.suspended()).toEqual(['ask']);
    handle.resume('ask', 'yes');
    const result = await handle.result;
    expect(result.output('after')).toBe('got yes');
    expect(log).toEqual(['start#1']);
  });

  it('replays a run that had ended: its recorded result, nothing runs, nothing is recorded again', async () => {
    const store = memoryDurableStore();
    let runs = 0;
    const wf = workflow({ store });
    wf.task({ id: 'ok', run: () => (++runs, 1) });
    wf.task({ id: 'bad', run: () => (++runs, Promise.reject(new Error('boom'))) });
    wf.task({ id: 'after', dependsOn: ['bad'], run: () => ++runs });
    const first = await wf.run({ runId: 'done' });
    expect(first.status).toBe('failed');
    const batches = store.batches.get('done')!.length;
    const again = await wf.run({ runId: 'done' });
    expect(runs).toBe(2);
    expect(again.status).toBe('failed');
    expect(again.output('ok')).toBe(1);
    expect(again.task('bad')).toMatchObject({ status: 'failed', error: { message: 'boom' } });
    expect(again.task('after')?.status).toBe('skipped');
    expect(store.batches.get('done')!.length).toBe(batches);
  });

  it('detects a changed definition: WORKFLOW_CHANGED names the tasks, acceptChanges goes on with the new one', async () => {
    const store = memoryDurableStore();
    const hold = deferred();
    const wf = workflow({ store });
    wf.task({ id: 'a', run: () => 'A' });
    wf.task({ id: 'b', dependsOn: ['a'], run: () => hold.promise });
    wf.task({ id: 'gone', run: () => 1 });
    const h1 = wf.start({ runId: 'ch' });
    const recorded = await crash(store, h1, () => h1.task('b')?.status === 'running');
    const changed = () => {
      const next = workflow({ store: memoryDurableStore(new Map([['ch', recorded]])) });
      next.task({ id: 'a', run: () => 'A2' });
      next.task({ id: 'b', dependsOn: ['a'], retry: { maxAttempts: 2 }, run: (input) => `${String(input.a)}b` });
      next.task({ id: 'new', dependsOn: ['b'], run: (input) => input.b });
      return next;
    };
    const error = await changed().run({ runId: 'ch' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowChangedError);
    expect(error).toMatchObject({ code: 'WORKFLOW_CHANGED', added: ['new'], removed: ['gone'], changed: ['b'] });
    expect((error as Error).message).toContain('acceptChanges');
    const result = await changed().run({ runId: 'ch', acceptChanges: true });
    expect(result.status).toBe('succeeded');
    expect(result.output('new')).toBe('Ab'); // a kept its recorded output
    expect(result.task('gone')).toBeUndefined();
    hold.resolve();
  });

  it('skips an unfinished task whose recorded dependency failed, and keeps recorded failures', async () => {
    const store = memoryDurableStore();
    const wf = workflow({ store });
    wf.task({ id: 'bad', run: () => Promise.reject(new Error('no')) });
    wf.task({ id: 'next', dependsOn: ['bad'], run: () => 1 });
    const h1 = wf.start({ runId: 'sk' });
    // A crash right after `bad` failed: its dependents' skips are in the same batch, so drop them.
    const all = await crash(store, h1, () => h1.task('bad')?.status === 'failed');
    const tasks = new Map(all.tasks);
    tasks.delete('next');
    const result = await workflow({ store: memoryDurableStore(new Map([['sk', { ...all, status: 'running', tasks }]])) })
      .task({ id: 'bad', run: () => 2 })
      .task({ id: 'next', dependsOn: ['bad'], run: () => 1 })
      .run({ runId: 'sk' });
    expect(result.task('bad')).toMatchObject({ status: 'failed', error: { message: 'no' } });
    expect(isWeftError(result.task('next')?.error, 'DEPENDENCY_FAILED')).toBe(true);
  });
});
