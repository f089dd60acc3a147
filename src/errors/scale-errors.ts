// The errors of running tasks on other machines (BullMQ on Redis).

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
