// Scale-out (issue 12, "Performance"): tasks/s through Redis with 1, 2 and 4 worker processes,
// weft (bullmqExecutor + `weft worker`) beside bare BullMQ (Queue.addBulk + Worker, the same
// trivial work) in the same run; and a chain, for the latency from a dependency's completion to
// its dependent's start (p50/p99, from the workers' own timestamps). A real redis-server is
// started for the suite (no persistence) and every process is stopped at the end. On this VM
// the coordinator, Redis and the workers share 2 cores, so more workers cannot mean more cores.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { Redis as IORedis } from 'ioredis';
import { bullmqExecutor, workflow } from '../dist/index.js';
import { startNodeProcess, startWorkerProcess, type WorkerProcess } from '../test/helpers/weft-workers.js';
import { startRedis } from '../test/support/redis-server.js';
import { agents } from './scale/agents.mjs';
import type { BenchCase, BenchSuite } from './types.js';

const AGENTS = fileURLToPath(new URL('./scale/agents.mjs', import.meta.url));
const BARE = fileURLToPath(new URL('./scale/bare-worker.mjs', import.meta.url));
const TASKS = 2000;
const CHAIN = 100;
/** CPU ms a process has used (user + system, all threads), from /proc; undefined where there is none. */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms (USER_HZ)
  } catch {
    return undefined;
  }
}

/**
 * Wraps a variant so every call adds the CPU time the coordinator (this process), Redis and the
 * variant's workers spent to `into`: where each microsecond of a task goes, across processes.
 */
function withCpu(fn: () => Promise<void>, pids: { redis: number; workers: readonly number[] }, into: Record<string, number>, tasks: number) {
  let calls = 0;
  const sum = { coordinator: 0, redis: 0, workers: 0 };
  return async () => {
    const c0 = process.cpuUsage();
    const r0 = cpuMs(pids.redis);
    const w0 = pids.workers.map(cpuMs);
    await fn();
    const c = process.cpuUsage(c0);
    const r1 = cpuMs(pids.redis);
    const w1 = pids.workers.map(cpuMs);
    if (r0 === undefined || r1 === undefined || w0.includes(undefined) || w1.includes(undefined)) return;
    calls++;
    sum.coordinator += (c.user + c.system) / 1000;
    sum.redis += r1 - r0;
    sum.workers += w1.reduce((a: number, b, k) => a + (b as number) - (w0[k] as number), 0);
    const per = (ms: number) => (ms * 1000) / (calls * tasks);
    into['cpu coordinator µs/task'] = per(sum.coordinator);
    into['cpu redis µs/task'] = per(sum.redis);
    into['cpu workers µs/task'] = per(sum.workers);
    into['cpu total µs/task'] = per(sum.coordinator + sum.redis + sum.workers);
  };
}

const quantile = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** What the suite's cases started, stopped by `close` once they ran. */
let release: (() => Promise<void>) | undefined;

async function cases(wanted: (name: string) => boolean): Promise<readonly BenchCase[]> {
  const widths = [1, 2, 4].filter((w) => wanted(`throughput tasks=${TASKS} workers=${w}`));
  const chain = wanted(`chain tasks=${CHAIN} workers=1`);
  if (widths.length === 0 && !chain) return [];
  const redis = await startRedis();
  const processes: WorkerProcess[] = [];
  const clients: { close(): Promise<unknown> }[] = [];
  const connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
  release = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.allSettled(clients.map((c) => c.close()));
    await connection.quit().catch(() => connection.disconnect());
    await redis.stop();
  };

  /** Starts `count` worker processes one after another (kept for `release`); returns their pids. */
  async function spawn(count: number, start: () => Promise<WorkerProcess>): Promise<number[]> {
    const pids: number[] = [];
    for (let i = 0; i < count; i++) {
      const p = await start();
      processes.push(p);
      pids.push(p.pid);
    }
    return pids;
  }

  /** Bare BullMQ: `count` jobs added in one addBulk, done when the events say so; returns each job's result. */
  async function bareSide(queue: string, workers: number) {
    const pids = await spawn(workers, () => startNodeProcess([BARE, redis.url, queue]));
    const q = new Queue(queue, { connection });
    const events = new QueueEvents(queue, { connection: { url: redis.url } as never });
    clients.push(q, events);
    await events.waitUntilReady();
    let waiting: { left: number; done: () => void } | undefined;
    events.on('completed', () => {
      if (waiting !== undefined && --waiting.left === 0) waiting.done();
    });
    const batch = async (count: number) => {
      const done = new Promise<void>((resolve) => (waiting = { left: count, done: resolve }));
      await q.addBulk(Array.from({ length: count }, (_, n) => ({ name: 'j', data: { n }, opts: { removeOnComplete: true } })));
      await done;
    };
    // A chain: each job added when the one before completed.
    const chainOf = async (count: number) => {
      const ats: number[] = [];
      for (let n = 0; n < count; n++) {
        const job = await q.add('j', { n }, { removeOnComplete: { age: 60 } });
        ats.push(((await job.waitUntilFinished(events)) as { at: number }).at);
      }
      return ats;
    };
    return { batch, chainOf, pids };
  }

  // One executor per queue: a second one's event stream would parse every job's events again.
  async function weftSide(queue: string, workers: number, priority = true) {
    const pids = await spawn(workers, () => startWorkerProcess(redis.url, queue, [], AGENTS));
    const executor = bullmqExecutor({ connection: redis.url, queue, priority });
    clients.push(executor);
    await executor.ready();
    const flat = workflow({ executor, agents });
    for (let n = 0; n < TASKS; n++) flat.task({ id: `t${n}`, agent: 'inc', input: n });
    const linked = workflow({ executor, agents });
    for (let n = 0; n < CHAIN; n++) linked.task({ id: `c${n}`, agent: 'inc', input: n, ...(n > 0 && { dependsOn: [`c${n - 1}`] }) });
    return { flat, linked, pids };
  }

  const out: BenchCase[] = [];
  for (const w of widths) {
    const bare = await bareSide(`bare-${w}`, w);
    const weft = await weftSide(`weft-${w}`, w);
    const fifo = await weftSide(`weft-fifo-${w}`, w, false);
    const metrics: Record<string, Record<string, number>> = { bullmq: {}, weft: {}, 'weft priority=false': {} };
    const run = (wf: typeof weft.flat) => async () => {
      const r = await wf.run();
      if (r.status !== 'succeeded') throw new Error(`weft run ${r.status}`);
    };
    out.push({
      name: `throughput tasks=${TASKS} workers=${w}`,
      opsPerCall: TASKS,
      // Redis, the workers and the coordinator share this VM's cores with whatever else runs:
      // more samples per round than the 3 a chain needs, for a median that holds still.
      minSamples: 6,
      timeMs: 1,
      metrics,
      variants: {
        bullmq: withCpu(() => bare.batch(TASKS), { redis: redis.pid, workers: bare.pids }, metrics.bullmq, TASKS),
        weft: withCpu(run(weft.flat), { redis: redis.pid, workers: weft.pids }, metrics.weft, TASKS),
        'weft priority=false': withCpu(run(fifo.flat), { redis: redis.pid, workers: fifo.pids }, metrics['weft priority=false'], TASKS),
      },
    });
  }
  if (chain) {
    const bare = await bareSide('bare-chain', 1);
    const weft = await weftSide('weft-chain', 1);
    const gaps = (ats: readonly number[]) => ats.slice(1).map((t, k) => t - ats[k]);
    const metrics: Record<string, Record<string, number>> = { bullmq: {}, weft: {} };
    const record = (variant: string, ats: readonly number[]) => {
      const g = gaps(ats);
      metrics[variant] = { 'link p50 ms': quantile(g, 0.5), 'link p99 ms': quantile(g, 0.99) };
    };
    out.push({
      name: `chain tasks=${CHAIN} workers=1`,
      opsPerCall: CHAIN,
      minSamples: 3,
      timeMs: 1,
      metrics,
      variants: {
        bullmq: async () => record('bullmq', await bare.chainOf(CHAIN)),
        weft: async () => {
          const r = await weft.linked.run();
          if (r.status !== 'succeeded') throw new Error(`weft run ${r.status}`);
          record('weft', r.tasks.map((t) => (t.output as { at: number }).at));
        },
      },
    });
  }
  return out;
}

async function close(): Promise<void> {
  const r = release;
  release = undefined;
  await r?.();
}

const suite: BenchSuite = { name: 'scale-out', cases, close };
export default suite;
