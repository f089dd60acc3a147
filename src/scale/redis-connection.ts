// BullMQ and ioredis are optional peers, loaded when scale-out is first used: without them the
// package imports and everything else works. A connection is given as a Redis URL or ioredis
// options, and each part (queue, events, publisher, subscriber) gets its own ioredis client,
// since BullMQ's blocking reads and Redis's pub/sub each hold a connection for themselves.

import { MissingPackageError } from '../errors.js';
import { expectedMessage } from '../internal/validate.js';

/**
 * Where Redis is: a URL (`redis://127.0.0.1:6379/0`), ioredis options (`{ host, port, db,
 * password }`), or an ioredis client of yours (weft duplicates it where it needs connections of
 * its own, and never closes yours).
 */
export type RedisConnection = string | Readonly<Record<string, unknown>> | RedisClientLike;

/** Options of the client weft opens for a URL or options connection (ioredis's, e.g. `{ maxRetriesPerRequest: 2 }`). */
export type RedisClientOptions = Readonly<Record<string, unknown>>;

/** An ioredis client, as a {@link RedisConnection} (told apart from options by its methods). */
export interface RedisClientLike {
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): void;
  duplicate(): unknown;
}

/** Whether `connection` is a client rather than a URL or options. */
export function isClient(connection: unknown): connection is RedisClientLike {
  return typeof connection === 'object' && connection !== null && typeof (connection as RedisClientLike).defineCommand === 'function' && typeof (connection as RedisClientLike).duplicate === 'function';
}

/** The part of an ioredis client weft uses (so that its types stay out of weft's). */
export interface RedisClient {
  status: string;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  hget(key: string, field: string): Promise<string | null>;
  hset(key: string, field: string, value: string): Promise<number>;
  expire(key: string, seconds: number): Promise<number>;
  pipeline(): { hmget(key: string, ...fields: string[]): unknown; exec(): Promise<[Error | null, unknown][] | null> };
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** What scale-out uses of the two packages (typed loosely: their types must not reach weft's published ones). */
export interface BullmqModules {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bullmq's module, kept out of weft's declarations
  readonly bullmq: any;
  readonly Redis: new (...args: any[]) => RedisClient;
}

let loading: Promise<BullmqModules> | undefined;

/** ioredis's client class. */
export type RedisConstructor = new (...args: any[]) => RedisClient;

/** Imports `ioredis` (every Redis-backed part of weft loads it through here). */
export async function loadIoredis(feature: string): Promise<RedisConstructor> {
  try {
    return ((await import('ioredis')) as unknown as { default: RedisConstructor }).default;
  } catch (error) {
    throw new MissingPackageError('ioredis', feature, { cause: error });
  }
}

/** Imports `bullmq` and `ioredis` once (concurrent callers share the promise). */
export function loadBullmq(feature: string): Promise<BullmqModules> {
  loading ??= (async () => {
    let bullmq: unknown;
    try {
      bullmq = await import('bullmq');
    } catch (error) {
      throw new MissingPackageError('bullmq', feature, { cause: error });
    }
    return { bullmq, Redis: await loadIoredis(feature) };
  })();
  // A failed import is not cached: installing the package and trying again works.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Checks a `connection` option. */
export function checkConnection(connection: unknown): RedisConnection {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) throw new TypeError(expectedMessage('connection', 'a redis:// or rediss:// URL, ioredis options or an ioredis client', connection));
    return connection;
  }
  if (typeof connection !== 'object' || connection === null || Array.isArray(connection)) throw new TypeError(expectedMessage('connection', 'a redis:// or rediss:// URL, ioredis options or an ioredis client', connection));
  return connection as RedisConnection;
}

/**
 * A new ioredis client on `connection`. BullMQ needs `maxRetriesPerRequest: null` on the
 * connections it blocks on; a client that waits for Redis to come back, rather than failing
 * its commands, is what a coordinator and a worker want anyway.
 */
export function newClient(modules: BullmqModules, connection: RedisConnection): RedisClient {
  const client = isClient(connection) ? (connection.duplicate() as RedisClient) : constructClient(modules.Redis, connection, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  // Connection errors while Redis is away: the client reconnects and replays its commands; what
  // fails for good reaches the command's caller.
  client.on('error', () => {});
  return client;
}

/** A client of `Redis` for a URL or options `connection`, with `options` on top. */
export function constructClient(Redis: RedisConstructor, connection: string | Readonly<Record<string, unknown>>, options: RedisClientOptions): RedisClient {
  return typeof connection === 'string' ? new Redis(connection, options) : new Redis({ ...connection, ...options });
}

/** `url` without its password, for messages and logs. */
export function showConnection(connection: RedisConnection): string {
  if (isClient(connection)) return 'your ioredis client';
  if (typeof connection !== 'string') return `redis://${String(connection.host ?? '127.0.0.1')}:${String(connection.port ?? 6379)}`;
  return connection.replace(/\/\/([^@/]*)@/, '//***@');
}
