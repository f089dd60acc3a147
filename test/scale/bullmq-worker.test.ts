// What a `weft worker` does with the jobs it takes: `worker` tasks on its own threads (hard kill
// on timeout), reports back to the coordinator, steps journaled so that a retry on another job
// gets the result.
import { readFileSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { bullmqExecutor, isWeftError, openStore, workflow } from '../../dist/index.js';
import { agents } from '../fixtures/scale-agents.mjs';
import { useScaleOut } from '../helpers/scale-out.js';
import { redisOrSkip } from '../support/redis-server.js';

const TASKS = new URL('../fixtures/workers/tasks.mjs', import.meta.url).href;

describe.skipIf(redisOrSkip())('weft worker', () => {
  const scale = useScaleOut('worker');
  const { tmp, queue } = scale;

  it("runs `worker` tasks on its own threads, stops a runaway one at the coordinator's timeout, and sends heartbeats and tokens back", async () => {
    const q = queue();
    const [w] = await scale.workers(1, q);
    const redis = scale.redis;
    const executor = bullmqExecutor({ connection: redis.url, queue: q });
    const wf = workflow({ executor });
    wf.task({ id: 'ctx', worker: { module: TASKS, export: 'describeContext' } });
    wf.task({ id: 'spin', worker: { module: TASKS, export: 'spin' }, timeoutMs: 300 });
    wf.task({ id: 'after', worker: { module: TASKS }, dependsOn: ['spin'] });
    // A closure runs on the coordinator; its output, `{ n: 3 }` as the module task's input, crosses.
    wf.task({ id: 'n', run: () => 3 });
    wf.task({ id: 'beats', worker: { module: TASKS, export: 'beatsFrom' }, dependsOn: ['n'] });
    const handle = wf.start({ input: { from: 'coordinator' } });
    const beats: unknown[] = [];
    handle.on('task:heartbeat', (e) => beats.push(e.progress));
    const result = await handle.result;
    expect(result.output('ctx')).toMatchObject({ taskId: 'ctx', attempt: 1, runInput: { from: 'coordinator' }, aborted: false, dot: 32 });
    expect(isWeftError(result.task('spin')?.error, 'TASK_TIMEOUT')).toBe(true);
    expect(result.task('after')?.status).toBe('skipped');
    expect(result.output('beats')).toBe('done');
    expect(beats).toEqual([{ k: 0 }, { k: 1 }, { k: 2 }]);
    await executor.close();
    // The runaway thread was terminated: the worker still runs tasks.
    const executor2 = bullmqExecutor({ connection: redis.url, queue: q });
    const again = workflow({ executor: executor2 });
    again.task({ id: 'n', run: () => 21 });
    again.task({ id: 'double', worker: { module: TASKS }, dependsOn: ['n'] });
    expect((await again.run()).output('double')).toEqual({ doubled: 42 });
    expect(w.child.exitCode).toBeNull();
    await executor2.close();
  }, 60_000);

  it('a retried task gets its journaled step (run once, in Redis) and the coordinator store journals it too', async () => {
    const q = queue();
    const [w] = await scale.workers(1, q);
    const redis = scale.redis;
    const executor = bullmqExecutor({ connection: redis.url, queue: q });
    const store = openStore({ path: tmp.file('steps.db') });
    const file = tmp.file('steps.txt');
    const wf = workflow({ executor, agents, store });
    wf.task({ id: 's', agent: 'stepper', input: { file }, retry: { maxAttempts: 2, initialDelayMs: 1 } });
    const result = await wf.run({ runId: 'steps' });
    expect(result.task('s')?.attempts).toBe(2);
    expect(result.output('s')).toMatchObject({ step: 1 });
    expect(readFileSync(file, 'utf8')).toBe('step 1\n');
    expect(store.readStep('steps', 's', 'once')).toEqual({ value: 1 });
    await executor.close();
    store.close();
  }, 60_000);

  it('a job of another protocol version, or whose task is not a weft task, fails with what is wrong, and the worker serves on', async () => {
    const q = queue();
    const [w] = await scale.workers(1, q);
    const redis = scale.redis;
    const raw = new Queue(q, { connection: { url: redis.url } as never });
    const events = new QueueEvents(q, { connection: { url: redis.url } as never });
    await events.waitUntilReady();
    const failure = async (data: unknown) => {
      const job = await raw.add('x', data);
      return job.waitUntilFinished(events).then(
        () => 'completed',
        (error: Error) => error.message,
      );
    };
    // A job of protocol 1 (tasks as maps) names both versions and which side to upgrade.
    expect(await failure({ v: 1, task: 'gqZydW5JZKFy' })).toBe(`job \`1\` speaks weft job protocol 1; this worker speaks 2 (upgrade the older side)`);
    expect(await failure({ v: 2, task: Buffer.from([0x92, 0xa1, 0x72, 0x01]).toString('base64') })).toBe('job `2`: its task is not a weft task (expected [runId, taskId, attempt, input, ...])');
    expect(await failure({ v: 2, task: Buffer.from([0x93, 0xa1, 0x72]).toString('base64') })).toMatch(/^job `3`: its task could not be decoded \(.*MessagePack/);
    const executor = bullmqExecutor({ connection: redis.url, queue: q });
    const wf = workflow({ executor, agents });
    wf.task({ id: 'a', agent: 'echo', input: { text: 'still here' } });
    expect((await wf.run()).status).toBe('succeeded');
    expect(w.child.exitCode).toBeNull();
    await executor.close();
    await events.close();
    await raw.close();
  }, 60_000);
});
