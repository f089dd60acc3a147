// What a task receives as its context on a `weft worker` process: the attempt's identity and
// signal, and its reports sent to the coordinator as the job's progress (those of one tick go as
// one update). `ctx.step` journals in Redis, beside the job, for a re-run of the same task (a
// stalled job taken by another worker), and reports the step so that the coordinator's store
// journals it too; `ctx.transaction` needs a store the worker opened itself.

import { InvalidStateError, NoStoreError, DuplicateStepError } from '../errors.js';
import type { DurableStore } from '../store/durable-store.js';
import type { AgentTaskSpec, StepContext, StoreDatabase, TaskContext, TaskSpec, Usage } from '../workflow/types.js';
import { pack, unpack, type RemoteReport, type RemoteTask } from './job-protocol.js';
import type { RedisClient } from './redis-connection.js';
import { checkAmount, checkUsage } from '../internal/validate.js';

/** How long a task's journaled steps stay in Redis, in seconds (a day: longer than any re-run waits). */
const STEPS_TTL_S = 86_400;


/** Where a remote context sends and keeps things. */
export interface RemoteHost {
  /** Sends the reports of one tick as one progress update of the job. */
  send(reports: readonly RemoteReport[]): Promise<unknown>;
  readonly redis: RedisClient;
  /** The Redis hash of this task's steps. */
  readonly stepsKey: string;
  readonly store: DurableStore | undefined;
  /** Called with tokens the task reports (the Redis rate limiter charges them). */
  onTokens?(n: number): void;
}

/** A task's context on a worker process (see README, "More than one machine"). */
export class RemoteTaskContext implements TaskContext {
  readonly taskId: string;
  readonly attempt: number;
  readonly runId: string;
  readonly runInput: unknown;
  readonly resumeData: unknown;
  readonly deadline: number | undefined;
  /** The coordinator's memory is not reachable from here. */
  readonly memory = undefined;
  private queued: RemoteReport[] = [];
  private keys: Set<string> | undefined;
  private sending: Promise<unknown> = Promise.resolve();

  /** @param signalOf - the attempt's signal, made when first asked for */
  constructor(
    task: RemoteTask,
    private readonly signalOf: () => AbortSignal,
    private readonly host: RemoteHost,
  ) {
    this.taskId = task.taskId;
    this.attempt = task.attempt;
    this.runId = task.runId;
    this.runInput = task.runInput;
    this.resumeData = task.resumeData;
    this.deadline = task.deadline;
  }

  get signal(): AbortSignal {
    return this.signalOf();
  }

  private report(r: RemoteReport): void {
    if (this.queued.push(r) === 1) queueMicrotask(() => this.flush());
  }

  /** Sends what is queued now; resolves once everything sent so far has reached Redis. */
  flush(): Promise<unknown> {
    if (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      const prior = this.sending;
      this.sending = prior.then(() => this.host.send(batch)).catch(() => {});
    }
    return this.sending;
  }

  heartbeat(progress?: unknown): void {
    this.report({ t: 'heartbeat', progress });
  }

  reportTokens(tokens: number): void {
    const n = checkAmount('tokens', tokens);
    this.host.onTokens?.(n);
    this.report({ t: 'tokens', n });
  }

  reportBytes(bytes: number): void {
    this.report({ t: 'bytes', n: checkAmount('bytes', bytes) });
  }

  reportUsage(usage: Usage): void {
    const checked = checkUsage(usage);
    this.host.onTokens?.(checked.promptTokens + checked.completionTokens);
    this.report({ t: 'usage', usage: checked });
  }

  stream(delta: string): void {
    if (typeof delta !== 'string') throw new TypeError(`Expected \`delta\` to be a string, got \`${String(delta)}\` (${typeof delta})`);
    this.report({ t: 'stream', delta });
  }

  async step<T>(key: string, fn: (step: StepContext) => T | PromiseLike<T>, options?: { signal?: AbortSignal }): Promise<T> {
    if (typeof key !== 'string' || key.length === 0) throw new TypeError(`Expected \`key\` to be a non-empty string, got \`${String(key)}\` (${typeof key})`);
    if (typeof fn !== 'function') throw new TypeError(`task \`${this.taskId}\`: Expected \`fn\` of step \`${key}\` to be a function, got \`${String(fn)}\` (${typeof fn})`);
    this.keys ??= new Set();
    if (this.keys.has(key)) throw new DuplicateStepError(this.taskId, key);
    this.keys.add(key);
    const { redis, stepsKey } = this.host;
    const done = await redis.hget(stepsKey, key);
    if (done !== null) return unpack(done) as T;
    const value = await fn({ idempotencyKey: `${this.runId}/${this.taskId}/${key}`, signal: options?.signal ?? this.signal });
    await redis.hset(stepsKey, key, pack(value));
    await redis.expire(stepsKey, STEPS_TTL_S);
    this.report({ t: 'step', key, value });
    return value;
  }

  transaction<T>(key: string, fn: (db: StoreDatabase) => T): T {
    const store = this.host.store;
    if (store === undefined) throw new NoStoreError(`task \`${this.taskId}\` on a weft worker: ctx.transaction() (start the worker with \`store\`, or \`--store <db>\`)`);
    if (typeof fn !== 'function') throw new TypeError(`task \`${this.taskId}\`: Expected \`fn\` of transaction \`${key}\` to be a function, got \`${String(fn)}\` (${typeof fn})`);
    return store.transaction(this.runId, this.taskId, key, fn);
  }

  addTask(_spec: TaskSpec | AgentTaskSpec): Promise<void> {
    return Promise.reject(this.notHere('ctx.addTask()'));
  }

  addDependency(): void {
    throw this.notHere('ctx.addDependency()');
  }

  suspend(): Promise<unknown> {
    return Promise.reject(this.notHere('ctx.suspend()'));
  }

  private notHere(what: string): InvalidStateError {
    return new InvalidStateError(`task \`${this.taskId}\`: ${what} is not available to a task on a weft worker (BullMQ); run it on the coordinator (a task with \`run\`)`);
  }
}
