// The base of every weft error: the stable codes, WeftError and isWeftError (see ../errors.ts,
// the one module to import errors from).

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
  | 'LLM_OUTPUT_INVALID'
  // durable runs
  | 'WORKFLOW_CHANGED'
  | 'TASK_NOT_RESUMABLE'
  | 'NO_STORE'
  | 'STEP_DUPLICATE'
  | 'TASK_STALLED'
  | 'RUN_INTERRUPTED'
  // run store
  | StoreErrorCode
  // more than one machine
  | 'JOB_LOST'
  | 'MISSING_PACKAGE'
  | 'REDIS_UNAVAILABLE'
  | 'CONCURRENCY_LEASE_LOST'
  // weft view
  | 'STORE_MISSING'
  | 'VIEWER_NOT_BUILT';

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

/** The codes the run store's errors carry (see store-errors.ts). */
export type StoreErrorCode = 'STORE_CORRUPT' | 'STORE_FOREIGN' | 'STORE_VERSION' | 'STORE_LOCKED' | 'STORE_ENCODE' | 'RUN_LEASED' | 'RUN_NOT_FOUND';
