// The options of the coordinator's BullMQ executor, their defaults and their checks.

import { expectedMessage, checkInteger } from '../internal/validate.js';
import { checkConnection, type RedisConnection } from './redis-connection.js';

/** Options of {@link bullmqExecutor}. */
export interface BullmqExecutorOptions {
  /** Redis: a URL (`redis://127.0.0.1:6379`) or ioredis options. Required. */
  readonly connection: RedisConnection;
  /** The BullMQ queue's name (the workers' `--queue`). Required. */
  readonly queue: string;
  /** BullMQ's key prefix. @default 'bull' */
  readonly prefix?: string;
  /** Give jobs BullMQ priorities from weft's (higher weft priority, earlier job). @default true */
  readonly priority?: boolean;
  /**
   * How often jobs still out are looked up in Redis (a finished job whose event was missed
   * settles; a job Redis lost is added again), in ms. Also done at once when Redis reconnects.
   * @default 2000
   */
  readonly checkIntervalMs?: number;
  /** How long a finished job stays in Redis (for a resumed coordinator to find), in seconds. @default 3600 */
  readonly keepFinishedS?: number;
}

/** Defaults of {@link BullmqExecutorOptions}. */
export const DEFAULT_BULLMQ_EXECUTOR_OPTIONS = Object.freeze({ prefix: 'bull', priority: true, checkIntervalMs: 2000, keepFinishedS: 3600 });

/** Checks {@link BullmqExecutorOptions} and fills in the defaults (errors name the option). */
export function resolveExecutorOptions(options: BullmqExecutorOptions): Required<BullmqExecutorOptions> {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an object { connection, queue }', options));
  const o = { ...DEFAULT_BULLMQ_EXECUTOR_OPTIONS, ...options };
  checkConnection(o.connection);
  if (typeof o.queue !== 'string' || o.queue.length === 0 || o.queue.includes(':')) throw new TypeError(expectedMessage('queue', 'a queue name (a non-empty string without `:`)', o.queue));
  if (typeof o.prefix !== 'string' || o.prefix.length === 0) throw new TypeError(expectedMessage('prefix', 'a non-empty string', o.prefix));
  if (typeof o.priority !== 'boolean') throw new TypeError(expectedMessage('priority', 'a boolean', o.priority));
  checkInteger('checkIntervalMs', o.checkIntervalMs, 10);
  checkInteger('keepFinishedS', o.keepFinishedS, 1);
  return Object.freeze(o);
}

