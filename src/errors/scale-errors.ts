// The errors of running on more than one machine (src/scale): Redis, the shared limits' store.

import { WeftError } from './weft-error.js';

/**
 * Redis did not answer: refused, reset or timed-out connections, or a command that gave up after
 * its client's retries (`maxRetriesPerRequest`). Operational, so the caller may retry later;
 * a script error (a bug) is not wrapped in it.
 */
export class RedisUnavailableError extends WeftError {
  /** What was being done, e.g. `rate limit \`llm\`: acquire`. */
  readonly operation: string;

  /**
   * @param operation - what was being done
   * @param options - `cause`: the client's error
   */
  constructor(operation: string, options?: { cause?: unknown }) {
    const why = (options?.cause as Error | undefined)?.message;
    super('REDIS_UNAVAILABLE', `Redis unavailable during ${operation}${why ? `: ${why}` : ''}`, options);
    this.operation = operation;
  }
}

/**
 * A slot of a concurrency group shared through Redis was lost: its lease ran out before a renewal
 * reached Redis (the holder's process stalled, or Redis was away longer than the lease) and
 * the group was full by then. The work holding it is no longer counted in the group.
 */
export class ConcurrencyLeaseLostError extends WeftError {
  /** The concurrency group. */
  readonly group: string;
  /** The lease that was lost. */
  readonly leaseId: string;

  /**
   * @param group - the concurrency group
   * @param leaseId - the lease
   */
  constructor(group: string, leaseId: string) {
    super('CONCURRENCY_LEASE_LOST', `concurrency group \`${group}\`: lease ${leaseId} ran out before it was renewed, and the group is full`);
    this.group = group;
    this.leaseId = leaseId;
  }
}
