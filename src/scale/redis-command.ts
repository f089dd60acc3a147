// What the Redis-backed limits share: a client from an ioredis instance or a URL (ioredis loaded
// on demand, so weft imports without it), Lua scripts defined once per client, and failures
// sorted into the typed "Redis unavailable" and everything else (a script's error is a bug).

import type { Redis } from 'ioredis';
import { RedisUnavailableError } from '../errors/scale-errors.js';
import { expectedMessage } from '../internal/validate.js';
import { checkConnection as checkAnyConnection, constructClient, isClient, loadIoredis, type RedisClientOptions, type RedisConnection } from './redis-connection.js';

/** A client and whether weft opened it (so must close it). */
export interface HeldClient {
  readonly redis: Redis;
  readonly owned: boolean;
}


/** The options every Redis-backed limit takes: checked, with the prefix's default. */
export function checkRedisOptions(options: unknown): { connection: RedisConnection; prefix: string } {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage('options', 'an options object', options));
  const connection = checkAnyConnection((options as { connection?: unknown }).connection);
  const prefix = (options as { prefix?: unknown }).prefix ?? 'weft';
  if (typeof prefix !== 'string' || prefix.length === 0) throw new TypeError(expectedMessage('prefix', 'a non-empty string', prefix));
  return { connection, prefix };
}

/** Opens the client for `connection` (the caller's instance as is). */
export async function openClient(connection: RedisConnection, options: RedisClientOptions = {}): Promise<HeldClient> {
  if (isClient(connection)) return { redis: connection as unknown as Redis, owned: false };
  const redis = constructClient(await loadIoredis('a Redis-backed limit'), connection, options) as unknown as Redis;
  redis.on('error', () => {}); // each command that fails reports it, typed
  return { redis, owned: true };
}

/** Defines the Lua command `name` on `redis` once (ioredis runs it by EVALSHA, falling back to EVAL after a restart emptied the script cache). */
export function defineScript(redis: Redis, name: string, lua: string, keys: number): void {
  if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') redis.defineCommand(name, { numberOfKeys: keys, lua });
}

/** Whether `error` means Redis could not be reached (anything but a reply Redis itself sent). */
export function isUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name !== 'ReplyError';
}

/** `error` as a {@link RedisUnavailableError} when Redis could not be reached, else unchanged. */
export function toTyped(error: unknown, operation: string): unknown {
  return isUnavailable(error) ? new RedisUnavailableError(operation, { cause: error }) : error;
}

/**
 * Settles with `work`, or rejects with `signal.reason` as soon as it aborts (the command still
 * runs on; `late` gets its result then, to undo what the caller no longer wants).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, late?: (value: T) => void): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.then(late, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.then(late, () => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * One waiter at a time per key in this process: the rest queue here rather than each asking
 * Redis (a grant wakes one caller per process, not every caller). Resolves with a function that
 * hands the turn on; rejects with `signal.reason` if it aborts while queued.
 */
export class LocalTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async take(key: string, signal: AbortSignal | undefined): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    // Forgotten once settled, so an idle key costs nothing.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    try {
      await untilAborted(previous, signal);
    } catch (error) {
      done(); // whoever comes next still waits for `previous`, through `tail`
      throw error;
    }
    return done;
  }
}
