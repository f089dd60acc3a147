// The errors of the chat-completions client and the LLM agent loop.

import { WeftError } from './weft-error.js';
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
