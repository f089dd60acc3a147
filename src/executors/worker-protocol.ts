// What crosses between the pool (main thread) and its threads: jobs, results, the messages of a
// task's context port, and errors as plain data (structured clone keeps an Error's message but
// drops its `code` and other fields, which retry policies and `isWeftError` read).

import type { MessagePort } from 'node:worker_threads';

/** One task attempt, posted to a thread. */
export interface TaskJob {
  readonly kind: 'task';
  /** The module's URL (`file:` or `data:`). */
  readonly module: string;
  readonly export: string;
  readonly input: unknown;
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly runInput: unknown;
  readonly deadline: number | undefined;
  /** The context port: heartbeats and tokens go out on it, the abort comes in. */
  readonly port: MessagePort;
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
}

/** A thread's answer to a {@link ScanJob}: global row ids and scores, best first. */
export interface ScanOutcome {
  readonly ids: Uint32Array;
  readonly scores: Float32Array;
}

/** Context-port messages from the thread. */
export type ThreadMessage =
  | { readonly t: 'start'; readonly threadId: number; readonly path: string | undefined; readonly cpu0: number }
  | { readonly t: 'heartbeat'; readonly progress: unknown }
  | { readonly t: 'tokens'; readonly tokens: number };

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
