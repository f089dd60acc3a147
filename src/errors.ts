/**
 * Every operational failure in weft is a {@link WeftError} with a stable `code`.
 *
 * Programmer errors (a bad option, a wrong argument type) throw the built-in `TypeError` or
 * `RangeError` instead, with a message that names the option and the value received.
 * Errors may cross worker boundaries as plain data, so compare `code` (see {@link isWeftError})
 * rather than relying on `instanceof`.
 *
 * @packageDocumentation
 */

// The base class, the codes and isWeftError live in errors/weft-error.ts; each area's errors in
// errors/<area>-errors.ts. This file is the one place to import any of them from.
import { WeftError } from './errors/weft-error.js';

export * from './errors/weft-error.js';
export * from './errors/agent-errors.js';
export * from './errors/tool-errors.js';
export * from './errors/worker-errors.js';
export * from './errors/llm-errors.js';
export * from './errors/durable-errors.js';
export * from './errors/store-errors.js';
export * from './errors/scale-errors.js';
export * from './errors/view-errors.js';

/** Two vectors (or a matrix and a query) whose dimensions do not agree. */
export class DimensionMismatchError extends WeftError {
  /** The dimension that was required. */
  readonly expected: number;
  /** The dimension that arrived. */
  readonly actual: number;

  /**
   * @param what - names the argument that was wrong
   * @param expected - the dimension required
   * @param actual - the dimension received
   */
  constructor(what: string, expected: number, actual: number) {
    super('DIMENSION_MISMATCH', `${what}: expected dimension ${expected}, got ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A graph that must be acyclic contains a cycle. */
export class CycleDetectedError extends WeftError {
  /** The nodes of one cycle, in edge order: `cycle[i] → cycle[i+1]`, and the last back to the first. */
  readonly cycle: readonly (string | number)[];

  /**
   * @param cycle - the nodes of one cycle in edge order (ids or indices)
   */
  constructor(cycle: readonly (string | number)[]) {
    const shown = cycle.length > 0 ? [...cycle, cycle[0]].join(' -> ') : '(unknown)';
    super('CYCLE_DETECTED', `the graph has a cycle: ${shown}`);
    this.cycle = cycle;
  }
}

/** WebAssembly (or WebAssembly SIMD) is missing, or the module failed to load. */
export class WasmUnavailableError extends WeftError {
  /**
   * @param reason - why WebAssembly cannot be used
   * @param options - `cause`: the underlying error
   */
  constructor(reason: string, options?: { cause?: unknown }) {
    super('WASM_UNAVAILABLE', `WebAssembly backend unavailable: ${reason}`, options);
  }
}

/** The WebAssembly module trapped (a bug in weft, never an expected condition). */
export class WasmTrapError extends WeftError {
  /**
   * @param kernel - the kernel that trapped
   * @param cause - the original `WebAssembly.RuntimeError`
   */
  constructor(kernel: string, cause: unknown) {
    super('WASM_TRAP', `WebAssembly kernel ${kernel} trapped: ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
  }
}

/** A caller-owned output buffer is too small for the result. */
export class BufferTooSmallError extends WeftError {
  /**
   * @param what - names the buffer
   * @param needed - elements (or bytes) required
   * @param actual - elements (or bytes) available
   */
  constructor(what: string, needed: number, actual: number) {
    super('BUFFER_TOO_SMALL', `${what} is too small: needs ${needed}, has ${actual}`);
  }
}

/** A kernel-owned buffer was used after `free()`. */
export class BufferFreedError extends WeftError {
  constructor() {
    super('BUFFER_FREED', 'the kernel buffer was used after free()');
  }
}

/** A value that the MessagePack encoder does not accept. */
export class EncodeUnsupportedError extends WeftError {
  /**
   * @param path - where in the value the problem is, e.g. `$.items[3]`
   * @param what - what was found there
   */
  constructor(path: string, what: string) {
    super('ENCODE_UNSUPPORTED', `cannot encode ${what} at ${path}`);
  }
}

/** Bytes that are not valid MessagePack (or are truncated). */
export class DecodeInvalidError extends WeftError {
  /** Byte offset where decoding failed. */
  readonly offset: number;

  /**
   * @param offset - byte offset where decoding failed
   * @param why - what is wrong there
   */
  constructor(offset: number, why: string) {
    super('DECODE_INVALID', `invalid MessagePack at byte ${offset}: ${why}`);
    this.offset = offset;
  }
}

/** A workflow trace file that cannot be read or is not valid WfFormat. */
export class TraceInvalidError extends WeftError {
  /**
   * @param source - the file or label of the trace
   * @param why - what is wrong
   * @param options - `cause`: the underlying error
   */
  constructor(source: string, why: string, options?: { cause?: unknown }) {
    super('TRACE_INVALID', `invalid workflow trace ${source}: ${why}`, options);
  }
}

/** A task attempt ran past its `timeoutMs`; its signal was aborted with this error. */
export class TaskTimeoutError extends WeftError {
  /** The task that timed out. */
  readonly taskId: string;
  /** The limit it ran past, in milliseconds. */
  readonly timeoutMs: number;

  /**
   * @param taskId - the task
   * @param timeoutMs - its per-attempt limit
   */
  constructor(taskId: string, timeoutMs: number) {
    super('TASK_TIMEOUT', `task \`${taskId}\` timed out after ${timeoutMs} ms`);
    this.taskId = taskId;
    this.timeoutMs = timeoutMs;
  }
}

/** A task (or a whole run) was cancelled; running tasks see it as their signal's reason. */
export class TaskCancelledError extends WeftError {
  /** The cancelled task, or `undefined` when the whole run was cancelled. */
  readonly taskId: string | undefined;

  /**
   * @param taskId - the task, or `undefined` for the run
   * @param why - who cancelled and why
   * @param options - `cause`: the abort reason given by the caller
   */
  constructor(taskId: string | undefined, why: string, options?: { cause?: unknown }) {
    super('TASK_CANCELLED', taskId === undefined ? `run cancelled: ${why}` : `task \`${taskId}\` cancelled: ${why}`, options);
    this.taskId = taskId;
  }
}

/**
 * A provider refused a request for now (HTTP 429). Throw it from a task, with how long to wait:
 * the task's rate limiter pauses for that long and the attempt is retried by its policy.
 */
export class RateLimitError extends WeftError {
  /** How long the limiter pauses, in milliseconds. */
  readonly retryAfterMs: number;

  /**
   * @param retryAfterMs - how long to wait before the next request
   * @param message - the provider's message
   * @param options - `cause`: the provider's error
   */
  constructor(retryAfterMs: number, message = 'rate limited', options?: { cause?: unknown }) {
    super('RATE_LIMITED', `${message} (retry after ${retryAfterMs} ms)`, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Wraps a failure that no retry can fix: the task fails at once, whatever its retry policy. */
export class NonRetryableError extends WeftError {
  /**
   * @param message - what failed
   * @param options - `cause`: the underlying error
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('NON_RETRYABLE', message, options);
  }
}

/** Why a task was skipped: a task it depends on did not succeed. */
export class DependencyFailedError extends WeftError {
  /** The dependency that did not succeed. */
  readonly dependency: string;

  /**
   * @param taskId - the skipped task
   * @param dependency - the dependency that did not succeed
   * @param status - that dependency's status
   */
  constructor(taskId: string, dependency: string, status: string) {
    super('DEPENDENCY_FAILED', `task \`${taskId}\` skipped: dependency \`${dependency}\` ${status}`);
    this.dependency = dependency;
  }
}

/** Adding a task would exceed the run's bound on unfinished tasks (`maxPendingTasks`). */
export class QueueFullError extends WeftError {
  /**
   * @param limit - the bound
   */
  constructor(limit: number) {
    super('QUEUE_FULL', `the run already has ${limit} unfinished tasks (maxPendingTasks); wait for some to finish or raise the bound`);
  }
}

/** An operation that the target's current state does not allow (resume a task that is not suspended, ...). */
export class InvalidStateError extends WeftError {
  /**
   * @param message - what was attempted and the state found
   */
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}


/** A memory database written by another embedder (or model) than the one it is opened with. */
export class EmbedderMismatchError extends WeftError {
  /** The embedder id recorded in the database. */
  readonly expected: string;
  /** The embedder id it was opened with. */
  readonly actual: string;

  /**
   * @param source - the database (path or `:memory:`)
   * @param expected - the embedder id recorded in the database
   * @param actual - the embedder id it was opened with
   */
  constructor(source: string, expected: string, actual: string) {
    super('EMBEDDER_MISMATCH', `memory ${source} was written with embedder ${expected}, opened with ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A memory filter that is not a flat object of scalar equality conditions. */
export class InvalidFilterError extends WeftError {
  /**
   * @param why - what is wrong with the filter, naming the key
   */
  constructor(why: string) {
    super('INVALID_FILTER', `invalid memory filter: ${why}`);
  }
}

/** A text to remember or to search for that is empty (or only whitespace). */
export class EmptyTextError extends WeftError {
  /**
   * @param what - names the argument, e.g. `remember(text)`
   */
  constructor(what: string) {
    super('EMPTY_TEXT', `${what}: the text is empty`);
  }
}

/** An embedder failed to return embeddings (HTTP error, malformed response, wrong count). */
export class EmbeddingFailedError extends WeftError {
  /** The HTTP status, when the failure was an HTTP response. */
  readonly status: number | undefined;

  /**
   * @param why - what failed
   * @param options - `status`: the HTTP status; `cause`: the underlying error
   */
  constructor(why: string, options?: { status?: number; cause?: unknown }) {
    super('EMBEDDING_FAILED', `embedding failed: ${why}`, options);
    this.status = options?.status;
  }
}
