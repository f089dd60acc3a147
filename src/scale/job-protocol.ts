// What crosses Redis between a coordinator (bullmq-executor.ts) and the `weft worker` processes
// (bullmq-worker.ts): one BullMQ job per task attempt, whose data is the attempt made of data
// (an agent's name and validated input, or a module's export and the dependencies' outputs),
// and whose return value is the outcome. Values cross in weft's MessagePack codec with the
// store's error extension (base64 in BullMQ's JSON), so an output keeps its Dates, typed arrays
// and `undefined`s and an error its name, `code` and cause chain, as they do in the store.
// A task and an outcome cross as arrays, not maps: every byte of a job's data is carried by
// Redis's scripts, its event stream and both processes, and field names were most of them
// (136 base64 characters a trivial agent task as a map, 28 as an array).

import { decodeValue, encodeValue } from '../store/store-codec.js';

/** What one attempt asks a worker to run (the decoded part of a job's data). */
export interface RemoteTask {
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** An agent task: the agent's name (in the worker's registry); its input is validated already. */
  readonly agent?: string;
  /** A `worker` task: the module's URL and export, and whether it asked for a thread. */
  readonly module?: string;
  readonly export?: string;
  /** `TaskSpec.worker.maxMemoryMb` / `cpuQuotaMs`, for the worker's thread pool. */
  readonly maxMemoryMb?: number;
  readonly cpuQuotaMs?: number;
  /** The agent's validated input, or the module task's dependency outputs. */
  readonly input: unknown;
  /** Agent tasks: the dependencies' outputs (`ctx.deps`). */
  readonly deps?: Readonly<Record<string, unknown>>;
  readonly runInput: unknown;
  readonly resumeData: unknown;
  /** Epoch ms at which the coordinator times the attempt out (the worker aborts it then too). */
  readonly deadline: number | undefined;
  /** The task's rate limiter: a worker with that limit takes a request from its Redis budget first. */
  readonly rateLimit?: string;
  /** The task's concurrency group: a worker with that group takes a slot of it, shared through Redis, first. */
  readonly group?: string;
}

/** A job's data as stored in Redis. */
export interface JobData {
  /** Protocol version: a worker refuses jobs of another. */
  readonly v: typeof PROTOCOL_VERSION;
  /** The {@link RemoteTask}, encoded by {@link encodeTask} (base64 MessagePack). */
  readonly task: string;
}

/** What a worker sends back as the job's return value, once decoded. */
export type RemoteOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Progress reports a worker sends while a job runs (BullMQ `job.updateProgress`), once decoded. */
export type RemoteReport =
  | { readonly t: 'heartbeat'; readonly progress: unknown }
  | { readonly t: 'tokens'; readonly n: number }
  | { readonly t: 'bytes'; readonly n: number }
  | { readonly t: 'usage'; readonly usage: { promptTokens: number; completionTokens: number; costUsd?: number } }
  | { readonly t: 'stream'; readonly delta: string }
  | { readonly t: 'step'; readonly key: string; readonly value: unknown }
  /** The worker started the job (its host and pid, for diagnostics and the cancel latency). */
  | { readonly t: 'started'; readonly worker: string };

/** The protocol version this build speaks (2: tasks and outcomes as arrays; 1 had maps). */
export const PROTOCOL_VERSION = 2;

/** Encodes a value for a job's data, return value or progress. */
export function pack(value: unknown): string {
  return Buffer.from(encodeValue(value)).toString('base64');
}

/** Decodes {@link pack}'s output. */
export function unpack(text: string): unknown {
  return decodeValue(Buffer.from(text, 'base64'));
}

// A task's fields by position. Up to `group` an absent field is nil; `runInput` and `resumeData`
// are values of the user's (nil among them), so they come last and only trailing `undefined`s
// of theirs are left out.
const enum F {
  runId, taskId, attempt, input, agent, deps, module, exportName, maxMemoryMb, cpuQuotaMs, deadline, rateLimit, group, runInput, resumeData,
}
const OPTIONAL_LAST = F.group;

/** Encodes a task for a job's data (see {@link decodeTask}). */
export function encodeTask(task: RemoteTask): string {
  const a: unknown[] = [
    task.runId, task.taskId, task.attempt, task.input,
    task.agent ?? null, task.deps ?? null, task.module ?? null, task.export ?? null, task.maxMemoryMb ?? null, task.cpuQuotaMs ?? null,
    task.deadline ?? null, task.rateLimit ?? null, task.group ?? null, task.runInput, task.resumeData,
  ];
  let n = a.length;
  while (n > OPTIONAL_LAST + 1 && a[n - 1] === undefined) n--;
  if (n === OPTIONAL_LAST + 1) while (n > F.input + 1 && a[n - 1] === null) n--;
  a.length = n;
  return pack(a);
}

/** Decodes {@link encodeTask}'s output; throws a TypeError naming what is wrong with a malformed one (`its task ...`). */
export function decodeTask(text: string): RemoteTask {
  let a: unknown;
  try {
    a = unpack(text);
  } catch (error) {
    throw new TypeError(`its task could not be decoded (${(error as Error).message})`);
  }
  if (!Array.isArray(a) || a.length < F.input + 1 || typeof a[F.runId] !== 'string' || typeof a[F.taskId] !== 'string' || typeof a[F.attempt] !== 'number') {
    throw new TypeError('its task is not a weft task (expected [runId, taskId, attempt, input, ...])');
  }
  const opt = <T>(k: F): T | undefined => (a[k] ?? undefined) as T | undefined;
  return {
    runId: a[F.runId] as string,
    taskId: a[F.taskId] as string,
    attempt: a[F.attempt] as number,
    input: a[F.input],
    agent: opt(F.agent),
    deps: opt(F.deps),
    module: opt(F.module),
    export: opt(F.exportName),
    maxMemoryMb: opt(F.maxMemoryMb),
    cpuQuotaMs: opt(F.cpuQuotaMs),
    deadline: opt(F.deadline),
    rateLimit: opt(F.rateLimit),
    group: opt(F.group),
    runInput: a[F.runInput],
    resumeData: a[F.resumeData],
  };
}

/** Encodes an outcome as a job's return value (see {@link decodeOutcome}). */
export function encodeOutcome(ok: boolean, valueOrError: unknown): string {
  return pack([ok ? 1 : 0, valueOrError]);
}

/** Decodes {@link encodeOutcome}'s output; throws a TypeError for a malformed one. */
export function decodeOutcome(text: string): RemoteOutcome {
  const a = unpack(text);
  if (!Array.isArray(a) || a.length !== 2 || (a[0] !== 0 && a[0] !== 1)) throw new TypeError('it is not a weft outcome (expected [ok, value])');
  return a[0] === 1 ? { ok: true, value: a[1] } : { ok: false, error: a[1] };
}

/** The job id of one attempt: the same in every coordinator process, so a resumed run finds its jobs again. */
export function jobIdOf(runId: string, taskId: string, attempt: number): string {
  // BullMQ refuses ':' in ids and integer-like ids; encodeURIComponent leaves no ':' and '/' apart from ours.
  return `${encodeURIComponent(runId)}/${encodeURIComponent(taskId)}/${attempt}`;
}

// BullMQ priorities: 1 (first) .. 2^21 - 1; weft's: any number, higher first. A signed log scale
// keeps the order of ranks from 0 to beyond 10^18 ms apart.
const BULL_MAX_PRIORITY = 2_097_151;
const STEPS_PER_DOUBLING = 16_383;

/** The BullMQ priority (lower first) of a task of weft priority `priority` (higher first). */
export function bullPriority(priority: number): number {
  if (!Number.isFinite(priority)) return priority > 0 ? 1 : BULL_MAX_PRIORITY;
  const f = Math.sign(priority) * Math.log2(1 + Math.abs(priority));
  const p = Math.round(1 + (64 - f) * STEPS_PER_DOUBLING);
  return Math.min(BULL_MAX_PRIORITY, Math.max(1, p));
}

/** The channel on which coordinators tell workers to abort jobs (message: a job id). */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:weft:cancel`;
}

/** The Redis hash where a job's finished steps are kept for a re-run of the same job (a stalled job). */
export function stepsKey(prefix: string, queue: string, jobId: string): string {
  return `${prefix}:${queue}:weft:steps:${jobId}`;
}
