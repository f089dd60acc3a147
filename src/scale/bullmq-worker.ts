// A `weft worker` process's side of scale-out: a BullMQ worker that takes the jobs coordinators
// add (bullmq-executor.ts), runs each on this process (agent tasks) or on its worker-thread pool
// (`worker` tasks, with hard kill), sends the reports back as job progress and the outcome as
// the job's return value. Task errors are outcomes, not failed jobs: a failed job means the job
// itself was lost (BullMQ's stalled-job check gave up on it), which the coordinator's retry
// policy then sees as `JOB_LOST`. Coordinators tell workers to abort jobs on a pub/sub channel.

import { hostname } from 'node:os';
import { AgentTaskContext } from '../agents/agent-context.js';
import type { AgentRegistry } from '../agents/agent-registry.js';
import { InvalidStateError, TaskCancelledError, TaskTimeoutError } from '../errors.js';
import type { Attempt } from '../executors/executor.js';
import type { TaskPool } from '../executors/task-pool.js';
import { defaultWorkerPool } from '../executors/worker-pool.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import type { DurableStore } from '../store/durable-store.js';
import { cancelChannel, decodeTask, encodeOutcome, jobIdOf, pack, PROTOCOL_VERSION, stepsKey, type JobData, type RemoteTask } from './job-protocol.js';
import { checkConnection, loadBullmq, newClient, showConnection, type RedisClient, type RedisConnection } from './redis-connection.js';
import type { RateLimitOptions } from '../scheduler/rate-limiter.js';
import { createRedisRateLimiter } from './redis-rate-limit.js';
import { createRedisSemaphore } from './redis-semaphore.js';
import { RemoteTaskContext } from './remote-context.js';

/** Options of {@link startWorker}. */
export interface WeftWorkerOptions {
  /** Redis: a URL or ioredis options (the coordinators'). Required. */
  readonly connection: RedisConnection;
  /** The BullMQ queue to take jobs from (the coordinators' `queue`). Required. */
  readonly queue: string;
  /** BullMQ's key prefix. @default 'bull' */
  readonly prefix?: string;
  /** The agents that agent tasks name (the coordinators' registry, or one with the same agents). @default none: agent tasks fail with `AGENT_UNKNOWN` */
  readonly agents?: AgentRegistry;
  /** Jobs this process runs at once (`worker` tasks also wait for a thread of the pool). @default 50 */
  readonly concurrency?: number;
  /** The threads of `worker` tasks. @default the process-wide pool (`os.availableParallelism()` threads) */
  readonly workerPool?: TaskPool;
  /** A store this worker can reach, for `ctx.transaction` (e.g. `openStore({ path })` on a shared file). @default none: `NO_STORE` */
  readonly store?: DurableStore;
  /**
   * Rate limits shared through Redis (keys under `weft:`) by every worker and every process that
   * uses them (`createRedisRateLimiter`): a task naming one (`rateLimit`) waits for one of its
   * requests before it runs here, and the tokens it reports are charged to it. Give every worker
   * the same budgets. Tasks naming a limit that is not here run without waiting for it.
   * @default {}
   */
  readonly rateLimits?: Readonly<Record<string, RateLimitOptions>>;
  /**
   * Concurrency groups held across every worker through Redis (`createRedisSemaphore`): a task in
   * group `g` runs only while fewer than `groups[g]` tasks of `g` run on all the workers together.
   * (One coordinator already keeps its run's groups; this holds them across coordinators too.)
   * @default {}
   */
  readonly groups?: Readonly<Record<string, number>>;
  /** BullMQ's lock on a running job, in ms: a worker that stops renewing it (it died) has its jobs stall. @default 30000 */
  readonly lockDurationMs?: number;
  /** How often BullMQ looks for stalled jobs (and moves them back to wait for another worker), in ms. @default 30000 */
  readonly stalledIntervalMs?: number;
  /** How many times a job may stall before BullMQ fails it (the coordinator sees `JOB_LOST`). @default 1 */
  readonly maxStalledCount?: number;
  /** Aborting it closes the worker (jobs running finish first). */
  readonly signal?: AbortSignal;
}

/** Defaults of {@link WeftWorkerOptions}. */
export const DEFAULT_WEFT_WORKER_OPTIONS = Object.freeze({ prefix: 'bull', concurrency: 50, lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 1 });

/** A running {@link startWorker}. */
export interface WeftWorker {
  /** `host:pid`, as the coordinator's diagnostics show it. */
  readonly id: string;
  /** Jobs running now. */
  readonly running: number;
  /** Jobs finished (with any outcome) since the start. */
  readonly processed: number;
  /** Stops taking jobs, waits for the running ones, closes the connections (idempotent). */
  close(): Promise<void>;
}

function resolveOptions(options: WeftWorkerOptions): Required<Omit<WeftWorkerOptions, 'agents' | 'workerPool' | 'store' | 'signal' | 'rateLimits' | 'groups'>> & WeftWorkerOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object { connection, queue }', options));
  const o = { ...DEFAULT_WEFT_WORKER_OPTIONS, ...options };
  checkConnection(o.connection);
  if (typeof o.queue !== 'string' || o.queue.length === 0 || o.queue.includes(':')) throw new TypeError(expectedMessage('queue', 'a queue name (a non-empty string without `:`)', o.queue));
  if (typeof o.prefix !== 'string' || o.prefix.length === 0) throw new TypeError(expectedMessage('prefix', 'a non-empty string', o.prefix));
  checkInteger('concurrency', o.concurrency, 1);
  checkInteger('lockDurationMs', o.lockDurationMs, 100);
  checkInteger('stalledIntervalMs', o.stalledIntervalMs, 100);
  checkInteger('maxStalledCount', o.maxStalledCount, 0);
  for (const [group, cap] of Object.entries(o.groups ?? {})) checkInteger(`groups.${group}`, cap, 1);
  if (o.agents !== undefined && (typeof o.agents !== 'object' || typeof (o.agents as { entry?: unknown }).entry !== 'function')) {
    throw new TypeError(expectedMessage('agents', 'an agent registry (createAgentRegistry([...]))', o.agents));
  }
  return o;
}

/**
 * Starts a worker that runs the tasks coordinators send to `queue` through BullMQ (see README,
 * "More than one machine"); `weft worker` is this, from the command line. Resolves once it is
 * connected and taking jobs.
 */
export async function startWorker(options: WeftWorkerOptions): Promise<WeftWorker> {
  const o = resolveOptions(options);
  const modules = await loadBullmq('startWorker()');
  const id = `${hostname()}:${process.pid}`;
  const live = new Map<string, JobAbort>();
  // Aborts that came before their job started here (kept a minute).
  const early = new Map<string, number>();
  let processed = 0;
  const clients: RedisClient[] = [newClient(modules, o.connection), newClient(modules, o.connection), newClient(modules, o.connection)];
  const [workerClient, redis, subscriber] = clients;
  const channel = cancelChannel(o.prefix, o.queue);
  subscriber.on('message', (_channel: string, message: string) => {
    let ids: unknown;
    try {
      ids = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(ids)) return;
    const now = Date.now();
    for (const jobId of ids) {
      const controller = live.get(jobId);
      if (controller !== undefined) controller.abort(new TaskCancelledError(undefined, 'the coordinator cancelled its job'));
      else if (typeof jobId === 'string') early.set(jobId, now);
    }
    for (const [k, t] of early) if (now - t > 60_000) early.delete(k);
  });
  await subscriber.subscribe(channel);
  let pool: TaskPool | undefined = o.workerPool;
  const limits = o.rateLimits ?? {};
  const groups = o.groups ?? {};
  const limiter = Object.keys(limits).length === 0 ? undefined : createRedisRateLimiter({ connection: redis as never, limits });
  const semaphore = Object.keys(groups).length === 0 ? undefined : createRedisSemaphore({ connection: redis as never });

  const runTask = async (task: RemoteTask, ctx: RemoteTaskContext): Promise<unknown> => {
    if (task.agent !== undefined) {
      if (o.agents === undefined) throw new InvalidStateError(`task \`${task.taskId}\` names agent \`${task.agent}\`, but this weft worker has no agents (start it with \`agents\`, or \`--agents <module>\`)`);
      const entry = o.agents.entry(task.agent, `task \`${task.taskId}\``);
      const agent = entry.agent;
      const instances = entry.pool;
      const instance = instances === undefined ? undefined : await instances.acquire(() => ctx.signal);
      try {
        return await agent.run(task.input as never, new AgentTaskContext(ctx, agent.name, task.deps ?? {}, instance) as never);
      } finally {
        if (instances !== undefined) instances.release(instance);
      }
    }
    if (task.module === undefined) throw new InvalidStateError(`task \`${task.taskId}\`: its job names neither an agent nor a module`);
    pool ??= defaultWorkerPool();
    const attempt: Attempt = {
      runId: task.runId,
      taskId: task.taskId,
      attempt: task.attempt,
      priority: 0,
      task: { id: task.taskId, worker: { module: task.module, export: task.export, maxMemoryMb: task.maxMemoryMb, cpuQuotaMs: task.cpuQuotaMs } },
      input: task.input as Attempt['input'],
      deadline: task.deadline,
      signal: ctx.signal,
      context: ctx,
    };
    return await pool.executor.execute(attempt);
  };

  // Two parameters: BullMQ makes an AbortController per job for a processor that takes a third
  // (its signal), and the cancel channel is how coordinators abort jobs anyway.
  const processor = async (job: import('bullmq').Job): Promise<string> => {
    const data = job.data as JobData | undefined;
    if (data?.v !== PROTOCOL_VERSION) throw new Error(`job \`${job.id}\` speaks weft job protocol ${String(data?.v)}; this worker speaks ${PROTOCOL_VERSION} (upgrade the older side)`);
    let task: RemoteTask;
    try {
      task = decodeTask(data.task);
    } catch (error) {
      throw new TypeError(`job \`${job.id}\`: ${(error as Error).message}`);
    }
    const jobId = job.id ?? jobIdOf(task.runId, task.taskId, task.attempt);
    const controller = new JobAbort();
    live.set(jobId, controller);
    if (early.delete(jobId)) controller.abort(new TaskCancelledError(undefined, 'the coordinator cancelled its job'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (task.deadline !== undefined) {
      const left = task.deadline - Date.now();
      timer = setTimeout(() => controller.abort(new TaskTimeoutError(task.taskId, Math.max(0, left))), Math.max(0, left));
    }
    const limit = task.rateLimit !== undefined && limits[task.rateLimit] !== undefined ? task.rateLimit : undefined;
    const group = task.group !== undefined && groups[task.group] !== undefined ? task.group : undefined;
    const ctx = new RemoteTaskContext(task, () => controller.signal, {
      send: (reports) => job.updateProgress(pack(reports)),
      redis,
      stepsKey: stepsKey(o.prefix, o.queue, `${encodeURIComponent(task.runId)}/${encodeURIComponent(task.taskId)}`),
      store: o.store,
      ...(limit !== undefined && { onTokens: (n: number) => void limiter!.charge(limit, n).catch(() => {}) }),
    });
    let outcome: string;
    let lease: { release(): Promise<void> } | undefined;
    try {
      if (controller.aborted) throw controller.reason;
      if (group !== undefined) lease = await semaphore!.acquire(group, groups[group], ctx.signal);
      if (limit !== undefined) await limiter!.acquire(limit, undefined, ctx.signal);
      const value = await runTask(task, ctx);
      outcome = packOutcome(true, value, task.taskId);
    } catch (error) {
      outcome = packOutcome(false, error, task.taskId);
    } finally {
      void lease?.release().catch(() => {});
      live.delete(jobId);
      if (timer !== undefined) clearTimeout(timer);
    }
    // What the task reported reaches the coordinator before its outcome does.
    await ctx.flush();
    processed++;
    return outcome;
  };

  const { Worker } = modules.bullmq as typeof import('bullmq');
  const worker = new Worker(o.queue, processor, {
    connection: workerClient as never,
    prefix: o.prefix,
    concurrency: o.concurrency,
    lockDuration: o.lockDurationMs,
    stalledInterval: o.stalledIntervalMs,
    maxStalledCount: o.maxStalledCount,
    autorun: true,
  });
  // Connection trouble (Redis restarting): the clients reconnect and the worker goes on.
  worker.on('error', () => {});
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await worker.close();
      await Promise.allSettled([limiter?.close(), semaphore?.close()]);
      for (const c of clients) await c.quit().catch(() => c.disconnect());
    })();
    return closing;
  };
  o.signal?.addEventListener('abort', () => void close(), { once: true });
  return {
    id,
    get running() {
      return live.size;
    },
    get processed() {
      return processed;
    },
    close,
    toString: () => `weft worker ${id} on ${showConnection(o.connection)} queue ${o.queue}`,
  } as WeftWorker;
}

/**
 * A job's abort, with its AbortSignal made only when the task asks for it: most tasks never read
 * their signal, and one per job (with its listeners and their garbage) costs more than the rest
 * of the worker's own work on a job.
 */
class JobAbort {
  aborted = false;
  reason: unknown;
  private controller: AbortController | undefined;

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/** An outcome as the job's return value; one whose value the codec refuses fails with why. */
function packOutcome(ok: boolean, value: unknown, taskId: string): string {
  try {
    return encodeOutcome(ok, value);
  } catch (error) {
    const why = ok ? `its output cannot be sent to the coordinator (${(error as Error).message})` : `its error cannot be sent to the coordinator (${(error as Error).message}): ${String(value)}`;
    return encodeOutcome(false, new TypeError(`task \`${taskId}\`: ${why}`));
  }
}
