// The errors of running on more than one machine (src/scale): BullMQ jobs, Redis, the shared limits.

import { WeftError } from './weft-error.js';

/**
 * A task's BullMQ job ended without an outcome from a worker: BullMQ failed it (it stalled more
 * often than `maxStalledCount` allows, a worker refused it) or it was removed from Redis under
 * the coordinator. The attempt fails with this error and the task's retry policy decides.
 */
export class JobLostError extends WeftError {
  /** The task whose job was lost. */
  readonly taskId: string;
  /** The BullMQ job id. */
  readonly jobId: string;

  /**
   * @param taskId - the task
   * @param jobId - its job
   * @param why - BullMQ's reason
   */
  constructor(taskId: string, jobId: string, why: string) {
    super('JOB_LOST', `task \`${taskId}\`: its BullMQ job \`${jobId}\` ended without a result (${why})`);
    this.taskId = taskId;
    this.jobId = jobId;
  }
}

/** An optional package a feature needs (`bullmq`, `ioredis`) is not installed. */
export class MissingPackageError extends WeftError {
  /** The package's name. */
  readonly packageName: string;

  /**
   * @param packageName - the package
   * @param feature - what needs it
   * @param options - `cause`: the import's error
   */
  constructor(packageName: string, feature: string, options?: { cause?: unknown }) {
    super('MISSING_PACKAGE', `${feature} needs the package \`${packageName}\`: npm install ${packageName}`, options);
    this.packageName = packageName;
  }
}

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
