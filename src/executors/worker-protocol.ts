// What crosses between the pool (main thread) and its threads: jobs, results, the messages of
// each thread's link (one MessagePort per thread, for its whole life: the attempts it runs are
// told apart by their job id), and errors as plain data (structured clone keeps an Error's message but
// drops its `code` and other fields, which retry policies and `isWeftError` read).

import type { MessagePort } from 'node:worker_threads';

/** One task attempt, posted to a thread. */
export interface TaskJob {
  readonly kind: 'task';
  /** The attempt's number in the pool: every message about it on a thread's link carries it. */
  readonly id: number;
  /** The module's URL (`file:` or `data:`). */
  readonly module: string;
  readonly export: string;
  readonly input: unknown;
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly runInput: unknown;
  readonly deadline: number | undefined;
  readonly resumeData: unknown;
  /** An agent task: the agent's name, the dependencies' outputs and the borrowed instance (cloned). */
  readonly agent?: AgentJob;
}

/** What an agent task adds to its job (its input is the validated agent input). */
export interface AgentJob {
  readonly name: string;
  readonly deps: Readonly<Record<string, unknown>>;
  readonly instance: unknown;
}

/** One shard of a parallel vector scan (see worker-scan.ts). */
export interface ScanJob {
  readonly kind: 'scan';
  /** Identifies the matrix and its contents: a thread keeps its copy of a shard while the key holds. */
  readonly key: string;
  readonly buffer: SharedArrayBuffer;
  readonly dim: number;
  /** First row of the shard and the number of rows. */
  readonly start: number;
  readonly rows: number;
  readonly query: Float32Array;
  readonly metric: 'dot' | 'cosine' | 'l2';
  readonly k: number;
}

/** A thread's answer to a {@link TaskJob}. */
export interface TaskOutcome {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: PlainError;
  readonly cpuMs: number;
  readonly activeMs: number;
  readonly heapPeakBytes: number;
  /** The thread that ran it: its link carries the reports the task made before returning. */
  readonly threadId: number;
}

/** A thread's answer to a {@link ScanJob}: global row ids and scores, best first. */
export interface ScanOutcome {
  readonly ids: Uint32Array;
  readonly scores: Float32Array;
}

/** A thread's link, posted once when the thread starts (on `parentPort`, which piscina re-emits as the pool's `message`). */
export interface LinkHello {
  readonly weftLink: MessagePort;
  readonly threadId: number;
  /** The thread's `/proc` path (`<pid>/task/<tid>`) for its CPU clock, `undefined` off Linux. */
  readonly path: string | undefined;
  /**
   * The job the thread took last, as `Float64Array` `[job id (0: none yet), CPU ms at its start,
   * event-loop active ms at its start]`: written by the thread, read by the pool when it needs
   * to know (a quota check, a kill), so an attempt costs no "started" message.
   */
  readonly slot: SharedArrayBuffer;
}

/** Fields of {@link LinkHello.slot}. */
export const SLOT_JOB = 0;
export const SLOT_CPU0 = 1;
export const SLOT_ACTIVE0 = 2;

/** The context calls of a worker task that wait for the engine's answer. */
export type ThreadCall = 'addTask' | 'addDependency' | 'suspend';

/** Messages from a thread on its link, each naming the attempt (`id`, the job's). */
export type ThreadMessage =
  | { readonly t: 'heartbeat'; readonly id: number; readonly progress: unknown }
  | { readonly t: 'tokens'; readonly id: number; readonly n: number }
  | { readonly t: 'bytes'; readonly id: number; readonly n: number }
  | { readonly t: 'usage'; readonly id: number; readonly usage: { promptTokens: number; completionTokens: number; costUsd?: number } }
  | { readonly t: 'stream'; readonly id: number; readonly delta: string }
  | { readonly t: 'call'; readonly id: number; readonly seq: number; readonly call: ThreadCall; readonly args: readonly unknown[] };

/** Messages to a thread on its link (an abort may come before the job it names: the thread keeps it for then). */
export type EngineMessage =
  | { readonly t: 'abort'; readonly id: number; readonly reason: PlainError }
  | { readonly t: 'reply'; readonly id: number; readonly seq: number; readonly ok: boolean; readonly value?: unknown; readonly error?: PlainError };

/** An error as plain, cloneable data. */
export interface PlainError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly props: Record<string, unknown>;
  readonly cause?: PlainError | { readonly value: unknown };
}

/** Flattens an error (and its cause chain) to cloneable data. */
export function toPlainError(error: unknown, depth = 0): PlainError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), props: { thrown: cloneable(error) } };
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'cause') continue;
    props[key] = cloneable((error as unknown as Record<string, unknown>)[key]);
  }
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    props,
    ...(cause === undefined || depth > 8 ? {} : { cause: cause instanceof Error ? toPlainError(cause, depth + 1) : { value: cloneable(cause) } }),
  };
}

/** Rebuilds an error from {@link toPlainError}'s data: an `Error` with the same name, message, stack and fields. */
export function fromPlainError(plain: PlainError): Error {
  const cause = plain.cause === undefined ? undefined : 'name' in plain.cause ? fromPlainError(plain.cause) : plain.cause.value;
  const Ctor = BUILTIN_ERRORS[plain.name as keyof typeof BUILTIN_ERRORS] ?? Error;
  const error = new Ctor(plain.message, cause === undefined ? undefined : { cause });
  error.name = plain.name;
  if (plain.stack !== undefined) error.stack = plain.stack;
  Object.assign(error, plain.props);
  return error;
}

// Rebuilt as themselves, so `instanceof TypeError` still tells a programmer error.
const BUILTIN_ERRORS = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError } as const;

function cloneable(value: unknown): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  try {
    structuredClone(value);
    return value;
  } catch {
    return String(value);
  }
}
