import { isWeftError } from '../errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';

/** How a failed task attempt is retried (LangGraph.js-style exponential backoff with jitter). */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means no retry. @default 3 */
  readonly maxAttempts?: number;
  /** Delay before the second attempt, in ms. @default 200 */
  readonly initialDelayMs?: number;
  /** Each further delay is the previous one times this. @default 2 */
  readonly factor?: number;
  /** Upper bound of a delay, in ms. @default 30000 */
  readonly maxDelayMs?: number;
  /**
   * Fraction of each delay drawn at random and taken off, so that many tasks failing together
   * do not retry together: the delay is `d × (1 − jitter × random())`. 0 disables it.
   * @default 0.5
   */
  readonly jitter?: number;
  /**
   * Whether an error is worth another attempt. Never consulted for `NonRetryableError`,
   * cancellations, `BUDGET_EXCEEDED` and agent inputs that fail their schema, which always fail
   * at once.
   * @default {@link defaultRetryOn}
   */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
}

/** A policy with every field filled in. */
export type ResolvedRetryPolicy = Required<RetryPolicy>;

/**
 * The default `retryOn`: retries everything but programming errors (`TypeError`,
 * `ReferenceError`, `SyntaxError`, `RangeError`) and HTTP client errors (an error whose `status`
 * is 4xx), except 408, 409 and 429, which are transient.
 */
export function defaultRetryOn(error: unknown): boolean {
  if (error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError || error instanceof RangeError) return false;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return status === 408 || status === 409 || status === 429;
  return true;
}

/** The policy of a task without `retry`: a single attempt. */
export const NO_RETRY: ResolvedRetryPolicy = Object.freeze({
  maxAttempts: 1,
  initialDelayMs: 200,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: 0.5,
  retryOn: defaultRetryOn,
});

function checkNumber(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(expectedMessage(name, `a number ${range}`, value));
  }
  return value;
}

/** Validates a policy and fills in the defaults; `name` prefixes option names in messages. */
export function resolveRetry(policy: RetryPolicy | undefined, name: string): ResolvedRetryPolicy {
  if (policy === undefined) return NO_RETRY;
  if (typeof policy !== 'object' || policy === null) throw new TypeError(expectedMessage(name, 'a retry policy object', policy));
  const r = {
    maxAttempts: checkInteger(`${name}.maxAttempts`, policy.maxAttempts ?? 3, 1, 1000),
    initialDelayMs: checkNumber(`${name}.initialDelayMs`, policy.initialDelayMs ?? 200, 0),
    factor: checkNumber(`${name}.factor`, policy.factor ?? 2, 1),
    maxDelayMs: checkNumber(`${name}.maxDelayMs`, policy.maxDelayMs ?? 30_000, 0),
    jitter: checkNumber(`${name}.jitter`, policy.jitter ?? 0.5, 0, 1),
    retryOn: policy.retryOn ?? defaultRetryOn,
  };
  if (typeof r.retryOn !== 'function') throw new TypeError(expectedMessage(`${name}.retryOn`, 'a function', r.retryOn));
  return Object.freeze(r);
}

/** Whether `error` may be retried under `policy` after attempt number `attempt` (1-based). */
export function shouldRetry(policy: ResolvedRetryPolicy, error: unknown, attempt: number): boolean {
  if (attempt >= policy.maxAttempts) return false;
  if (isWeftError(error, 'NON_RETRYABLE') || isWeftError(error, 'TASK_CANCELLED') || isWeftError(error, 'BUDGET_EXCEEDED')) return false;
  // An agent's input that failed its schema fails the same way every time.
  if (isWeftError(error, 'SCHEMA_INVALID') && (error as { side?: unknown }).side === 'input') return false;
  return policy.retryOn(error, attempt) !== false;
}

/** The delay before attempt `attempt + 1`, in ms. `random` is injectable for tests. */
export function retryDelay(policy: ResolvedRetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
  return base * (1 - policy.jitter * random());
}
