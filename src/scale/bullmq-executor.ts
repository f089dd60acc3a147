// The coordinator's side of scale-out: an executor that hands every task made of data (an agent
// task, a `worker` task) to BullMQ as one job per attempt, and turns the job's events back into
// the attempt's outcome and reports. The engine keeps the DAG, priorities, groups, retries,
// timeouts and the store; BullMQ and Redis only carry attempts to `weft worker` processes.
// Tasks with a `run` closure cannot travel: they run here, in process.
//
// Jobs are added in one `addBulk` per tick, outcomes come on one QueueEvents stream, and every
// `checkIntervalMs` the jobs still out are looked up in Redis: one that finished while its event
// was missed settles, one that Redis lost (a restart without persistence) is added again.

import { randomBytes } from 'node:crypto';
import { runAgentTask } from '../agents/agent-task.js';
import { InvalidStateError, JobLostError } from '../errors.js';
import type { Attempt, Executor } from '../executors/executor.js';
import { inProcessExecutor } from '../executors/in-process.js';
import { moduleHref } from '../executors/worker-attempt.js';
import { DEFAULT_WORKER_TASK_OPTIONS } from '../executors/worker-options.js';
import { applyReports, lookUpJobs } from './job-look-up.js';
import { bullPriority, cancelChannel, decodeOutcome, encodeTask, jobIdOf, PROTOCOL_VERSION, type JobData, type RemoteOutcome, type RemoteTask } from './job-protocol.js';
import { resolveExecutorOptions, type BullmqExecutorOptions } from './executor-options.js';
import { loadBullmq, newClient, type RedisClient } from './redis-connection.js';

/** A {@link bullmqExecutor}: an executor with a Redis connection to close. */
export interface BullmqExecutor extends Executor {
  /** Resolves once the queue and its event stream are connected (rejects if the packages are missing). */
  ready(): Promise<void>;
  /** Attempts out on workers now. */
  readonly inFlight: number;
  /** Closes the connections; attempts still out fail with `INVALID_STATE` (idempotent). */
  close(): Promise<void>;
}

/** Jobs looked up in Redis per `checkIntervalMs` at most (besides all of them when Redis reconnects). */
const CHECK_SAMPLE = 200;

interface Pending {
  readonly attempt: Attempt;
  readonly jobId: string;
  readonly data: JobData;
  readonly priority: number | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  added: boolean;
  at: number;
}

interface Parts {
  readonly queue: import('bullmq').Queue;
  readonly events: import('bullmq').QueueEvents;
  readonly publisher: RedisClient;
  readonly clients: RedisClient[];
}

/**
 * An executor that runs a workflow's agent and `worker` tasks on `weft worker` processes
 * through BullMQ on Redis (see README, "More than one machine"). `bullmq` and `ioredis` are
 * optional peer dependencies, imported on first use.
 */
export function bullmqExecutor(options: BullmqExecutorOptions): BullmqExecutor {
  return new BullmqExecutorImpl(resolveExecutorOptions(options));
}

class BullmqExecutorImpl implements BullmqExecutor {
  readonly name = 'bullmq';
  readonly runsWorkerTasks = true;
  private readonly pending = new Map<string, Pending>();
  private toAdd: Pending[] = [];
  private toCancel: string[] = [];
  private flushing = false;
  private parts: Promise<Parts> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  private readonly nonce = randomBytes(6).toString('hex');
  private duplicated: string[] = [];

  constructor(private readonly o: Required<BullmqExecutorOptions>) {}

  get inFlight(): number {
    return this.pending.size;
  }

  ready(): Promise<void> {
    return this.connect().then(() => undefined);
  }

  execute(attempt: Attempt): unknown {
    const spec = attempt.task;
    if (spec.agent !== undefined) {
      return runAgentTask(spec, attempt.input, attempt.context, (input, actx) => this.dispatch(attempt, { agent: actx.agent, input, deps: actx.deps }));
    }
    const worker = spec.worker;
    if (worker !== undefined) {
      return this.dispatch(attempt, {
        module: moduleHref(worker.module),
        export: worker.export ?? DEFAULT_WORKER_TASK_OPTIONS.export,
        ...(worker.maxMemoryMb !== undefined && { maxMemoryMb: worker.maxMemoryMb }),
        ...(worker.cpuQuotaMs !== undefined && { cpuQuotaMs: worker.cpuQuotaMs }),
        input: attempt.input,
      });
    }
    return inProcessExecutor.execute(attempt);
  }

  private dispatch(attempt: Attempt, what: Pick<RemoteTask, 'agent' | 'module' | 'export' | 'maxMemoryMb' | 'cpuQuotaMs' | 'input' | 'deps'>): Promise<unknown> {
    if (this.closed) return Promise.reject(new InvalidStateError(`task \`${attempt.taskId}\`: the BullMQ executor of queue \`${this.o.queue}\` is closed`));
    const ctx = attempt.context;
    const task: RemoteTask = {
      runId: attempt.runId,
      taskId: attempt.taskId,
      attempt: attempt.attempt,
      ...what,
      runInput: ctx.runInput,
      resumeData: ctx.resumeData,
      deadline: attempt.deadline,
      ...(attempt.task.rateLimit !== undefined && { rateLimit: attempt.task.rateLimit }),
      ...(attempt.task.group !== undefined && { group: attempt.task.group }),
    };
    // A durable run's jobs keep their ids across processes (a resumed coordinator re-attaches to
    // them); any other run's ids are this executor's alone: `run-1` of another process, its jobs
    // kept in Redis for keepFinishedS, must not be taken for this one.
    const jobId = jobIdOf(attempt.durable === true ? attempt.runId : `${attempt.runId}~${this.nonce}`, attempt.taskId, attempt.attempt);
    return new Promise((resolve, reject) => {
      const onAbort = (reason: unknown): void => {
        if (this.pending.get(jobId) !== p) return;
        this.pending.delete(jobId);
        this.toCancel.push(jobId);
        this.schedule();
        reject(reason);
      };
      const p: Pending = {
        attempt,
        jobId,
        data: { v: PROTOCOL_VERSION, task: encodeTask(task) },
        priority: this.o.priority ? bullPriority(attempt.priority) : undefined,
        resolve,
        reject,
        added: false,
        at: Date.now(),
      };
      this.pending.set(jobId, p);
      // The engine's cheap abort callback when it has one (no AbortSignal per attempt); the signal otherwise.
      if (attempt.onAbort !== undefined) attempt.onAbort(onAbort);
      else {
        const signal = attempt.signal;
        if (signal.aborted) onAbort(signal.reason);
        else signal.addEventListener('abort', () => onAbort(signal.reason), { once: true });
      }
      this.toAdd.push(p);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    // After the tick: the attempts the engine starts in one pump go out in one addBulk.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    let parts: Parts;
    try {
      parts = await this.connect();
    } catch (error) {
      this.flushing = false;
      this.failAll(error);
      return;
    }
    this.flushing = false;
    const adds = this.toAdd;
    const cancels = this.toCancel;
    this.toAdd = [];
    this.toCancel = [];
    if (cancels.length > 0) this.cancel(parts, cancels);
    const live = adds.filter((p) => this.pending.get(p.jobId) === p);
    if (live.length > 0) await this.add(parts, live);
  }

  private async add(parts: Parts, batch: readonly Pending[]): Promise<void> {
    const keep = { age: this.o.keepFinishedS };
    // No `attempts`: BullMQ's default is one, and weft's engine does the retrying.
    try {
      const jobs = batch.map((p) => ({
        name: p.attempt.taskId,
        data: p.data,
        opts: { jobId: p.jobId, removeOnComplete: keep, removeOnFail: keep, ...(p.priority !== undefined && { priority: p.priority }) },
      }));
      // One job (a chain's next link) without addBulk's MULTI/EXEC transaction around it.
      if (jobs.length === 1) await parts.queue.add(jobs[0].name, jobs[0].data, jobs[0].opts);
      else await parts.queue.addBulk(jobs);
      const now = Date.now();
      for (const p of batch) {
        p.added = true;
        p.at = now;
      }
    } catch {
      // Redis is away: the check adds them once it is back.
    }
  }

  private cancel(parts: Parts, jobIds: readonly string[]): void {
    // Workers running them abort them; jobs still waiting are removed (an active one is locked: it stays, and its worker drops it).
    parts.publisher.publish(cancelChannel(this.o.prefix, this.o.queue), JSON.stringify(jobIds)).catch(() => {});
    for (const id of jobIds) parts.queue.remove(id).catch(() => {});
  }

  private connect(): Promise<Parts> {
    this.parts ??= (async () => {
      const modules = await loadBullmq('bullmqExecutor()');
      if (this.closed) throw new InvalidStateError(`the BullMQ executor of queue \`${this.o.queue}\` is closed`);
      const { Queue, QueueEvents } = modules.bullmq as typeof import('bullmq');
      const clients = [newClient(modules, this.o.connection), newClient(modules, this.o.connection), newClient(modules, this.o.connection)];
      const [queueClient, eventsClient, publisher] = clients;
      const queue = new Queue(this.o.queue, { connection: queueClient as never, prefix: this.o.prefix });
      const events = new QueueEvents(this.o.queue, { connection: eventsClient as never, prefix: this.o.prefix });
      events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue));
      events.on('failed', ({ jobId, failedReason }) => this.lost(jobId, failedReason));
      events.on('progress', ({ jobId, data }) => this.progress(jobId, data));
      // A job added again (a resumed run's attempt in flight): look them up together, once per tick.
      events.on('duplicated', ({ jobId }) => {
        if (this.duplicated.push(jobId) === 1) {
          setImmediate(() => {
            const ids = this.duplicated;
            this.duplicated = [];
            void this.check(ids);
          });
        }
      });
      // Errors are connection trouble (Redis restarting): the clients reconnect by themselves.
      queue.on('error', () => {});
      events.on('error', () => {});
      queueClient.on('ready', () => void this.check([...this.pending.keys()]));
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      this.timer = setInterval(() => void this.checkOld(), this.o.checkIntervalMs);
      this.timer.unref();
      return { queue, events, publisher, clients };
    })();
    return this.parts;
  }

  private completed(jobId: string, returnvalue: unknown): void {
    const p = this.pending.get(jobId);
    if (p === undefined) return;
    this.pending.delete(jobId);
    let outcome: RemoteOutcome;
    try {
      // QueueEvents hands over the processor's return value as it was stored: our string, maybe JSON-quoted.
      const text = typeof returnvalue === 'string' && returnvalue.startsWith('"') ? (JSON.parse(returnvalue) as string) : (returnvalue as string);
      outcome = decodeOutcome(text);
    } catch (error) {
      p.reject(new JobLostError(p.attempt.taskId, jobId, `its result could not be read: ${(error as Error).message}`));
      return;
    }
    if (outcome.ok) p.resolve(outcome.value);
    else p.reject(outcome.error);
  }

  private lost(jobId: string, why: string): void {
    const p = this.pending.get(jobId);
    if (p === undefined) return;
    this.pending.delete(jobId);
    p.reject(new JobLostError(p.attempt.taskId, jobId, why));
  }

  private progress(jobId: string, data: unknown): void {
    const p = this.pending.get(jobId);
    if (p !== undefined) applyReports(p.attempt.context, data);
  }

  private checkOld(): Promise<void> {
    // A sample, oldest first: a queue that is merely long must not cost Redis a look-up per job
    // per interval. Jobs looked at go to the back, so every job out long enough gets its turn.
    const before = Date.now() - this.o.checkIntervalMs;
    const ids: string[] = [];
    for (const p of this.pending.values()) {
      if (p.at >= before) continue;
      ids.push(p.jobId);
      if (ids.length === CHECK_SAMPLE) break;
    }
    for (const id of ids) {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      this.pending.set(id, p);
    }
    return this.check(ids);
  }

  /** Looks jobs up in Redis: finished ones settle, lost ones are added again. */
  private async check(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0 || this.parts === undefined || this.closed) return;
    let parts: Parts;
    try {
      parts = await this.parts;
    } catch {
      return;
    }
    const states = await lookUpJobs(parts.clients[0], `${this.o.prefix}:${this.o.queue}:`, jobIds);
    if (states === undefined) return;
    const again: Pending[] = [];
    jobIds.forEach((id, k) => {
      const job = states[k];
      const p = this.pending.get(id);
      if (job === undefined || p === undefined) return;
      if (job.state === 'finished') this.completed(id, job.returnvalue);
      else if (job.state === 'failed') this.lost(id, job.reason);
      else if (job.state === 'missing') {
        p.added = false;
        again.push(p);
      } else p.at = Date.now();
    });
    if (again.length > 0) await this.add(parts, again);
  }

  private failAll(error: unknown): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    this.toAdd = [];
    for (const p of all) p.reject(error);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.failAll(new InvalidStateError(`the BullMQ executor of queue \`${this.o.queue}\` was closed while the attempt was out`));
    const parts = await this.parts?.catch(() => undefined);
    if (parts === undefined) return;
    await Promise.allSettled([parts.events.close(), parts.queue.close()]);
    for (const c of parts.clients) await c.quit().catch(() => c.disconnect());
  }
}
