// The coordinator's BullMQ executor against a real redis-server and real `weft worker` processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmqExecutor, isWeftError, workflow } from '../../dist/index.js';
import { agents } from '../fixtures/scale-agents.mjs';
import { startWorkerProcess, type WorkerProcess } from '../helpers/weft-workers.js';
import { redisOrSkip, startRedis, type RedisServer } from '../support/redis-server.js';

describe('bullmqExecutor: validation', () => {
  it('names the option that is wrong', () => {
    expect(() => bullmqExecutor({ connection: 'http://x', queue: 'q' })).toThrow('Expected `connection` to be a redis:// or rediss:// URL, ioredis options or an ioredis client, got `"http://x"` (string)');
    expect(() => bullmqExecutor({ connection: 'redis://127.0.0.1:1', queue: 'a:b' })).toThrow('Expected `queue` to be a queue name (a non-empty string without `:`), got `"a:b"` (string)');
    expect(() => bullmqExecutor({ connection: 'redis://127.0.0.1:1', queue: 'q', checkIntervalMs: 0 })).toThrow(/checkIntervalMs/);
    expect(() => bullmqExecutor({ connection: 'redis://127.0.0.1:1', queue: 'q', priority: 'yes' as never })).toThrow('Expected `priority` to be a boolean, got `"yes"` (string)');
  });
});

describe.skipIf(redisOrSkip())('bullmqExecutor with weft worker processes', () => {
  let redis: RedisServer;
  let worker: WorkerProcess;
  let n = 0;
  const queue = () => `exec-${process.pid}-${++n}`;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
  });

  it('runs agent tasks on the worker: outputs flow along the DAG, reports come back, closures stay here', async () => {
    const q = queue();
    worker = await startWorkerProcess(redis.url, q);
    const executor = bullmqExecutor({ connection: redis.url, queue: q });
    const wf = workflow({ executor, agents });
    wf.task({ id: 'a', agent: 'echo', input: { x: 1 } });
    wf.task({ id: 'b', agent: 'echo', input: { from: { $ref: 'a', path: 'input.x' } } });
    wf.task({ id: 'w', agent: 'work', input: { i: 3 }, dependsOn: ['b'] });
    wf.task({ id: 'here', dependsOn: ['b'], run: (input) => ({ pid: process.pid, got: (input.b as { input: unknown }).input }) });
    const heartbeats: unknown[] = [];
    const handle = wf.start();
    handle.on('task:heartbeat', (e) => heartbeats.push(e.progress));
    const result = await handle.result;
    // `work` writes a row through ctx.transaction: this worker has no store, so that task fails with NO_STORE, as a typed error.
    expect(result.task('w')?.status).toBe('failed');
    expect(isWeftError(result.task('w')?.error, 'NO_STORE')).toBe(true);
    expect(result.output('a')).toMatchObject({ pid: worker.pid, input: { x: 1 } });
    expect(result.output('b')).toMatchObject({ pid: worker.pid, input: { from: 1 }, deps: { a: { pid: worker.pid } } });
    expect(result.output('here')).toEqual({ pid: process.pid, got: { from: 1 } });
    expect(heartbeats).toEqual([]);
    await executor.close();
  });

  it('keeps a task error whole across Redis (name, code, fields) and retries it as the policy says', async () => {
    const q = queue();
    const w = await startWorkerProcess(redis.url, q);
    const executor = bullmqExecutor({ connection: redis.url, queue: q });
    const wf = workflow({ executor, agents });
    wf.task({ id: 'f', agent: 'flaky', input: null, retry: { maxAttempts: 2, initialDelayMs: 1 } });
    const retries: unknown[] = [];
    const handle = wf.start();
    handle.on('task:retry', (e) => retries.push(e.error));
    const result = await handle.result;
    expect(result.task('f')?.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.task('f')?.attempts).toBe(2);
    expect(retries).toHaveLength(1);
    const error = retries[0] as URIError & { code: string; detail: unknown };
    expect(error).toBeInstanceOf(URIError);
    expect([error.message, error.code, error.detail]).toEqual(['first attempt fails', 'FLAKY', { n: 1 }]);
    await executor.close();
    await w.stop();
  });

  it("a run without a store never takes another coordinator's jobs for its own, even with the same runId", async () => {
    const q = queue();
    const w = await startWorkerProcess(redis.url, q);
    // Two coordinators (two executors: two processes, as far as Redis can tell), the same runId, different inputs.
    const outputs: unknown[] = [];
    for (const x of ['first', 'second']) {
      const executor = bullmqExecutor({ connection: redis.url, queue: q });
      const wf = workflow({ executor, agents });
      wf.task({ id: 'a', agent: 'echo', input: x });
      outputs.push((await wf.run({ runId: 'same' })).output('a'));
      await executor.close();
    }
    expect(outputs).toMatchObject([{ input: 'first' }, { input: 'second' }]);
    await w.stop();
  });

  it('an agent the workers do not know fails its task with a clear error', async () => {
    const q = queue();
    const w = await startWorkerProcess(redis.url, q);
    const executor = bullmqExecutor({ connection: redis.url, queue: q });
    const { createAgentRegistry, defineAgent } = await import('../../dist/index.js');
    const { z } = await import('zod');
    const only = createAgentRegistry([defineAgent({ name: 'nowhere', input: z.unknown(), output: z.unknown(), run: () => 1 })]);
    const wf = workflow({ executor, agents: only });
    wf.task({ id: 'x', agent: 'nowhere', input: 1 });
    const result = await wf.run();
    expect(result.status).toBe('failed');
    expect(String((result.task('x')?.error as Error).message)).toMatch(/nowhere/);
    await executor.close();
    await w.stop();
  });
});
