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

/** The stable codes carried by {@link WeftError}s. */
export type WeftErrorCode =
  | 'DIMENSION_MISMATCH'
  | 'CYCLE_DETECTED'
  | 'WASM_UNAVAILABLE'
  | 'WASM_TRAP'
  | 'BUFFER_TOO_SMALL'
  | 'BUFFER_FREED'
  | 'ENCODE_UNSUPPORTED'
  | 'DECODE_INVALID'
  | 'TRACE_INVALID'
  | 'TASK_TIMEOUT'
  | 'TASK_CANCELLED'
  | 'RATE_LIMITED'
  | 'NON_RETRYABLE'
  | 'DEPENDENCY_FAILED'
  | 'QUEUE_FULL'
  | 'INVALID_STATE'
  | 'EMBEDDER_MISMATCH'
  | 'INVALID_FILTER'
  | 'EMPTY_TEXT'
  | 'EMBEDDING_FAILED'
  // agents
  | 'SCHEMA_INVALID'
  | 'JSON_SCHEMA_UNSUPPORTED'
  | 'AGENT_DUPLICATE'
  | 'AGENT_UNKNOWN'
  | 'BUDGET_EXCEEDED'
  // tools
  | ToolErrorCode
  // worker threads
  | 'WORKER_MEMORY_EXCEEDED'
  | 'WORKER_CRASHED'
  | 'CPU_QUOTA_EXCEEDED'
  // llm
  | 'LLM_HTTP_ERROR'
  | 'LLM_RATE_LIMITED'
  | 'LLM_BAD_RESPONSE'
  | 'LLM_MAX_STEPS'
  | 'LLM_OUTPUT_INVALID';

/** Base class of weft's typed errors. */
export class WeftError extends Error {
  /** A stable, machine-readable code. */
  readonly code: WeftErrorCode;

  /**
   * @param code - the stable code
   * @param message - a human-readable message naming the problem
   * @param options - `cause`: the underlying error, kept rather than replaced
   */
  constructor(code: WeftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

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

/**
 * Whether `error` is a weft error, optionally with a given code. Compares `code` and `name`
 * rather than the prototype, so errors rebuilt from plain data (after crossing a worker) match.
 */
export function isWeftError(error: unknown, code?: WeftErrorCode): error is WeftError {
  if (typeof error !== 'object' || error === null) return false;
  const c = (error as { code?: unknown }).code;
  if (typeof c !== 'string') return false;
  if (!(error instanceof WeftError) && typeof (error as { name?: unknown }).name !== 'string') {
    return false;
  }
  return code === undefined ? true : c === code;
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

// --- agents ---

/** One field that failed a schema: where (`$.items[2].id`, `$` for the value itself) and why. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Whose schema a value failed: an agent's or a tool's, its input or its output. */
export interface SchemaSubject {
  /** The agent's name (set for agents). */
  readonly agent?: string;
  /** The tool's name (set for tools). */
  readonly tool?: string;
  readonly side: 'input' | 'output';
}

function subjectName(subject: SchemaSubject): string {
  if (subject.agent !== undefined) return `agent \`${subject.agent}\``;
  if (subject.tool !== undefined) return `tool \`${subject.tool}\``;
  return 'value';
}

/**
 * A value failed an agent's or a tool's input or output schema. Lists every bad field, with its
 * path and the validator's message. An input that fails is not retried (the same input fails
 * the same way); an output that fails may be, by the task's retry policy.
 */
export class SchemaInvalidError extends WeftError {
  /** The agent whose schema failed, if an agent's. */
  readonly agentName: string | undefined;
  /** The tool whose schema failed, if a tool's. */
  readonly toolName: string | undefined;
  /** Which schema: the input's or the output's. */
  readonly side: 'input' | 'output';
  /** Every bad field. */
  readonly issues: readonly SchemaIssue[];

  /**
   * @param subject - whose schema, and which side
   * @param issues - every bad field
   */
  constructor(subject: SchemaSubject, issues: readonly SchemaIssue[]) {
    const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    super('SCHEMA_INVALID', `${subjectName(subject)} ${subject.side} is invalid (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}): ${list}`);
    this.agentName = subject.agent;
    this.toolName = subject.tool;
    this.side = subject.side;
    this.issues = issues;
  }
}

/** A schema that cannot be exported as JSON Schema (its library offers no converter). */
export class JsonSchemaUnsupportedError extends WeftError {
  /**
   * @param subject - whose schema, and which side
   * @param vendor - the schema library (`~standard.vendor`)
   * @param options - `cause`: the converter's error, when it threw
   */
  constructor(subject: SchemaSubject, vendor: string, options?: { cause?: unknown }) {
    const why = options?.cause === undefined ? `its library (\`${vendor}\`) has no Standard JSON Schema converter (\`~standard.jsonSchema\`); use zod 4 or a library that has one` : `the \`${vendor}\` converter failed: ${String((options.cause as Error)?.message ?? options.cause)}`;
    super('JSON_SCHEMA_UNSUPPORTED', `cannot export the ${subject.side} schema of ${subjectName(subject)} as JSON Schema: ${why}`, options);
  }
}

/** Two agents with the same name in one registry. */
export class AgentDuplicateError extends WeftError {
  /** The name registered twice. */
  readonly agentName: string;

  /** @param name - the name registered twice */
  constructor(name: string) {
    super('AGENT_DUPLICATE', `an agent named \`${name}\` is already registered`);
    this.agentName = name;
  }
}

/** A name that no agent of the registry has. */
export class AgentUnknownError extends WeftError {
  /** The name asked for. */
  readonly agentName: string;

  /**
   * @param name - the name asked for
   * @param known - the registry's names, for the message
   * @param where - who asked (`task \`x\``), for the message
   */
  constructor(name: string, known: readonly string[], where?: string) {
    super('AGENT_UNKNOWN', `${where === undefined ? '' : `${where}: `}unknown agent \`${name}\` (registered: ${known.length > 0 ? known.join(', ') : 'none'})`);
    this.agentName = name;
  }
}

/**
 * A task was not started because a budget it draws on is spent (the workflow's, for every agent
 * task, or its agent's). Never retried.
 */
export class BudgetExceededError extends WeftError {
  /** `'workflow'`, or `'agent:<name>'`. */
  readonly budget: string;
  /** What the budget had spent when the task was refused. */
  readonly spent: { readonly tokens: number; readonly costUsd: number };
  /** The budget's limits. */
  readonly limit: { readonly tokens?: number; readonly costUsd?: number };

  /**
   * @param taskId - the task refused
   * @param budget - `'workflow'` or `'agent:<name>'`
   * @param spent - what it had spent
   * @param limit - its limits
   */
  constructor(taskId: string, budget: string, spent: { tokens: number; costUsd: number }, limit: { tokens?: number; costUsd?: number }) {
    const over = limit.tokens !== undefined && spent.tokens >= limit.tokens ? `${spent.tokens} of ${limit.tokens} tokens` : `$${spent.costUsd} of $${limit.costUsd ?? 0}`;
    super('BUDGET_EXCEEDED', `task \`${taskId}\` not started: the ${budget === 'workflow' ? 'workflow' : budget.replace(/^agent:/, 'agent `') + '`'} budget is spent (${over})`);
    this.budget = budget;
    this.spent = spent;
    this.limit = limit;
  }
}

// --- tools ---

/** The codes a {@link ToolError} carries. */
export type ToolErrorCode =
  | 'TOOL_UNKNOWN'
  | 'TOOL_INVALID_ARGS'
  | 'TOOL_INVALID_RESULT'
  | 'TOOL_TIMEOUT'
  | 'TOOL_BUDGET_EXCEEDED'
  | 'TOOL_DEPTH_EXCEEDED'
  | 'TOOL_LOOP'
  | 'TOOL_FAILED'
  | 'MCP_FAILED';

/** One bad field of a tool's arguments or result (the same shape as a schema's issues). */
export type ToolIssue = SchemaIssue;

/**
 * A tool call that failed: the tool is unknown, its arguments or result broke its schema, it ran
 * out of time, the session's limits stopped it, or the tool itself failed (`cause`).
 */
export class ToolError extends WeftError {
  declare readonly code: ToolErrorCode;
  /** The tool that was called. */
  readonly toolName: string;
  /** Hex xxh64 of the arguments' stable serialisation (sorted keys): the same arguments, the same digest. */
  readonly argsDigest: string;
  /** The attempt of the task whose session made the call, when the session was given one. */
  readonly attempt: number | undefined;
  /** The bad fields, for `TOOL_INVALID_ARGS` and `TOOL_INVALID_RESULT` (else empty). */
  readonly issues: readonly ToolIssue[];

  /**
   * @param code - the stable code
   * @param call - the tool, the arguments' digest and the attempt
   * @param why - what went wrong
   * @param options - `issues`: the bad fields; `cause`: the underlying error
   */
  constructor(
    code: ToolErrorCode,
    call: { readonly toolName: string; readonly argsDigest: string; readonly attempt?: number },
    why: string,
    options?: { issues?: readonly ToolIssue[]; cause?: unknown },
  ) {
    super(code, `tool \`${call.toolName}\` (args ${call.argsDigest}${call.attempt === undefined ? '' : `, attempt ${call.attempt}`}): ${why}`, options);
    this.toolName = call.toolName;
    this.argsDigest = call.argsDigest;
    this.attempt = call.attempt;
    this.issues = options?.issues ?? [];
  }
}

/** An MCP server could not be started or reached, or went away (before or during a call). */
export class McpFailedError extends WeftError {
  /**
   * @param server - the server: its command or URL
   * @param why - what failed
   * @param options - `cause`: the underlying error
   */
  constructor(server: string, why: string, options?: { cause?: unknown }) {
    super('MCP_FAILED', `MCP server ${server}: ${why}`, options);
  }
}

/** The parts of an MCP `CallToolResult` weft reads. */
export interface McpCallResult {
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  /** The result of protocol versions before 2025-03-26. */
  readonly toolResult?: unknown;
}

/**
 * An MCP tool answered with `isError: true` (the server ran it, and it failed): the `cause` of the
 * `TOOL_FAILED` error the call rejects with; its message is the text the server sent.
 */
export class McpToolResultError extends Error {
  /** The server's result, as it came. */
  readonly result: McpCallResult;

  /**
   * @param result - the error result
   */
  constructor(result: McpCallResult) {
    const text = (result.content ?? []).flatMap((block) => (block.type === 'text' ? [block.text ?? ''] : [])).join('\n');
    super(`the server answered with an error: ${text || '(no text)'}`);
    this.name = 'McpToolResultError';
    this.result = result;
  }
}

// --- worker threads ---

/** A worker task ran its thread out of the heap its `worker.maxMemoryMb` allows; the thread was replaced. */
export class WorkerMemoryExceededError extends WeftError {
  /** The task whose thread ran out of memory. */
  readonly taskId: string;
  /** The limit, in MB (the thread's `maxOldGenerationSizeMb`). */
  readonly maxMemoryMb: number;

  /**
   * @param taskId - the task
   * @param maxMemoryMb - its memory limit
   * @param options - `cause`: the thread's error (`ERR_WORKER_OUT_OF_MEMORY`)
   */
  constructor(taskId: string, maxMemoryMb: number, options?: { cause?: unknown }) {
    super('WORKER_MEMORY_EXCEEDED', `task \`${taskId}\` exceeded its worker memory limit of ${maxMemoryMb} MB`, options);
    this.taskId = taskId;
    this.maxMemoryMb = maxMemoryMb;
  }
}

/**
 * The thread of a worker task died under it: `process.exit()`, an exception thrown outside the
 * task function (a timer, an event handler), a result that cannot be cloned, or a crash. Only
 * that task fails; the pool replaces the thread.
 */
export class WorkerCrashedError extends WeftError {
  /** The task that was running on the thread. */
  readonly taskId: string;

  /**
   * @param taskId - the task
   * @param why - what happened to the thread
   * @param options - `cause`: the thread's error
   */
  constructor(taskId: string, why: string, options?: { cause?: unknown }) {
    super('WORKER_CRASHED', `task \`${taskId}\`: its worker thread died (${why})`, options);
    this.taskId = taskId;
  }
}

/** A worker task used more CPU time than its `worker.cpuQuotaMs`; its thread was terminated. */
export class CpuQuotaExceededError extends WeftError {
  /** The task. */
  readonly taskId: string;
  /** Its CPU budget per attempt, in ms. */
  readonly cpuQuotaMs: number;
  /** The CPU time it had used when it was stopped, in ms. */
  readonly cpuMs: number;

  /**
   * @param taskId - the task
   * @param cpuQuotaMs - its budget
   * @param cpuMs - what it had used
   */
  constructor(taskId: string, cpuQuotaMs: number, cpuMs: number) {
    super('CPU_QUOTA_EXCEEDED', `task \`${taskId}\` used ${cpuMs.toFixed(1)} ms of CPU, over its quota of ${cpuQuotaMs} ms`);
    this.taskId = taskId;
    this.cpuQuotaMs = cpuQuotaMs;
    this.cpuMs = cpuMs;
  }
}

// --- llm ---

/**
 * A chat-completions request failed: an HTTP error answer, or the connection failed or dropped
 * mid-response. Its message carries the status and the start of the server's answer, with the API
 * key (if the server echoed it) replaced by `[redacted]`.
 */
export class LlmHttpError extends WeftError {
  /** The HTTP status, or `undefined` when no answer arrived (refused, reset, dropped). */
  readonly status: number | undefined;

  /**
   * @param why - what failed, without the API key
   * @param options - `status`: the HTTP status; `cause`: the underlying error
   */
  constructor(why: string, options?: { status?: number; cause?: unknown }) {
    super('LLM_HTTP_ERROR', `LLM request failed: ${why}`, options);
    this.status = options?.status;
  }
}

/**
 * The provider kept answering 429 (or 503) beyond the client's retries, or asked to wait longer
 * than it may wait itself. Carries `retryAfterMs` (and `status`), so the task's rate limiter pauses
 * for that long and the engine's retry policy takes over.
 */
export class LlmRateLimitedError extends WeftError {
  /** The HTTP status: 429 or 503. */
  readonly status: number;
  /** How long the provider asked to wait (its `Retry-After`), or the client's last backoff, ms. */
  readonly retryAfterMs: number;

  /**
   * @param status - 429 or 503
   * @param retryAfterMs - how long to wait
   * @param why - what the provider said, without the API key
   */
  constructor(status: number, retryAfterMs: number, why: string) {
    super('LLM_RATE_LIMITED', `LLM provider rate limited the request (HTTP ${status}, retry after ${Math.round(retryAfterMs)} ms): ${why}`);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The provider answered something that is not a chat completion, or a model kept sending malformed tool calls. */
export class LlmBadResponseError extends WeftError {
  /**
   * @param why - what is wrong with the answer
   * @param options - `cause`: the underlying error (a JSON `SyntaxError`, ...)
   */
  constructor(why: string, options?: { cause?: unknown }) {
    super('LLM_BAD_RESPONSE', `LLM answered a malformed response: ${why}`, options);
  }
}

/** The agent loop took `maxSteps` model calls without reaching a final answer. */
export class LlmMaxStepsError extends WeftError {
  /** The bound that was reached. */
  readonly maxSteps: number;

  /**
   * @param agent - the agent's name
   * @param maxSteps - its bound
   */
  constructor(agent: string, maxSteps: number) {
    super('LLM_MAX_STEPS', `agent \`${agent}\` reached maxSteps (${maxSteps}) without a final answer`);
    this.maxSteps = maxSteps;
  }
}

/** The model's final answer did not match the agent's `output` schema, even after it was shown the errors once. */
export class LlmOutputInvalidError extends WeftError {
  /** Every bad field: its path (`$.items[0].title`) and the validator's message. */
  readonly issues: readonly { readonly path: string; readonly message: string }[];

  /**
   * @param agent - the agent's name
   * @param issues - every bad field
   */
  constructor(agent: string, issues: readonly { readonly path: string; readonly message: string }[]) {
    super('LLM_OUTPUT_INVALID', `agent \`${agent}\`: the final answer does not match the output schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}
