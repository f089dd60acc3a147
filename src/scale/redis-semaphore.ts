// Concurrency groups across processes: a counting semaphore in Redis. Each holder has a lease in
// one sorted set (scored by when it runs out, on Redis's clock), renewed while held, so a holder
// that dies (SIGKILL, a lost machine) frees its slot when its lease runs out. A release is
// published, so waiters retry then rather than polling; the earliest lease's end bounds a wait
// (a dead holder sends nothing).

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConcurrencyLeaseLostError } from '../errors/scale-errors.js';
import { checkInteger, expectedMessage } from '../internal/validate.js';
import { checkRedisOptions, defineScript, LocalTurns, openClient, toTyped, untilAborted, type HeldClient } from './redis-command.js';
import type { RedisClientOptions, RedisConnection } from './redis-connection.js';

// Shared head of every script: Redis's clock, and the leases that ran out dropped.
const HEAD = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local function f(x) return string.format('%.17g', x) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', f(now))
local function keep()
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(last[2]) - now) + 1000) end
end
`;
// ARGV: id, cap, leaseMs. Reply: {1, expiresAt} taken (or renewed, or taken again after it ran
// out, when there is room); {0, ms} full, the earliest lease ends in ms.
const TAKE = `${HEAD}
local id, cap, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], id) or redis.call('ZCARD', KEYS[1]) < cap then
  local ends = now + lease
  redis.call('ZADD', KEYS[1], f(ends), id)
  keep()
  return {1, f(ends)}
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, math.ceil(tonumber(first[2]) - now))}
`;
// KEYS[2]: the channel told of releases. ARGV: id.
const GIVE = `${HEAD}
local gone = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], '1')
return gone
`;

type WithScripts = Redis & {
  weftSemTake(key: string, id: string, cap: number, leaseMs: number): Promise<[number, string | number]>;
  weftSemGive(key: string, channel: string, id: string): Promise<number>;
};

/** Options of {@link createRedisSemaphore}. */
export interface RedisSemaphoreOptions {
  /** An ioredis client (left open by `close()`) or a `redis://` URL (a client opened for it and closed by `close()`). */
  readonly connection: RedisConnection;
  /** Prefix of the Redis keys: semaphores with the same prefix and group share the slots. @default `'weft'` */
  readonly prefix?: string;
  /** How long a lease lasts unless renewed (renewed every third of it while held), in ms: how long a dead holder keeps its slot. @default `30000` */
  readonly leaseMs?: number;
  /** Options of the client opened for a URL connection. @default `{}` */
  readonly redisOptions?: RedisClientOptions;
}

/** One slot of a group, held until released (or lost). */
export interface SemaphoreLease {
  readonly group: string;
  /** Unique among all holders. */
  readonly id: string;
  /** When the lease runs out unless renewed (epoch ms, Redis's clock); updated by each renewal. */
  readonly expiresAt: number;
  /** Aborts with a {@link ConcurrencyLeaseLostError} if the slot was lost (a renewal came too late and the slot was taken). */
  readonly signal: AbortSignal;
  /** Gives the slot back (and stops renewing); safe to call twice. */
  release(): Promise<void>;
}

/**
 * Counting semaphores in Redis: at most `cap` holders of a group at once across every process
 * using the same prefix. Create with {@link createRedisSemaphore}. Waiters in one process queue
 * locally, one asking Redis at a time; across processes there is no queue (no fairness).
 */
export class RedisSemaphore {
  private readonly client: Promise<HeldClient>;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly turns = new LocalTurns();
  private subscriber: Promise<Redis> | undefined;
  // Releases heard per channel, so a release between a refused take and the wait is not missed.
  private readonly heard = new Map<string, number>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly held = new Set<{ release(): Promise<void> }>();

  /** @param options - see {@link RedisSemaphoreOptions} */
  constructor(options: RedisSemaphoreOptions) {
    const { connection, prefix } = checkRedisOptions(options);
    this.prefix = prefix;
    this.leaseMs = checkInteger('leaseMs', options.leaseMs ?? 30_000, 3);
    this.client = openClient(connection, options.redisOptions).then((client) => {
      defineScript(client.redis, 'weftSemTake', TAKE, 1);
      defineScript(client.redis, 'weftSemGive', GIVE, 2);
      return client;
    });
    this.client.catch(() => {}); // reported by the first call
  }

  /**
   * Waits for a slot of `group` (at most `cap` holders at once) and takes it.
   * @param signal - aborting rejects at once with its reason (a slot arriving after is given back)
   * @throws {@link RedisUnavailableError} when Redis cannot be reached.
   */
  async acquire(group: string, cap: number, signal?: AbortSignal): Promise<SemaphoreLease> {
    if (typeof group !== 'string' || group.length === 0) throw new TypeError(expectedMessage('group', 'a non-empty string', group));
    checkInteger('cap', cap, 1);
    signal?.throwIfAborted();
    const key = `${this.prefix}:sem:${group}`;
    const channel = `${key}:released`;
    await untilAborted(this.listen(channel, group), signal);
    const handOn = await this.turns.take(key, signal);
    try {
      for (;;) {
        const id = randomUUID();
        const before = this.heard.get(channel) ?? 0;
        const giveBack = (reply: [number, string | number]) => {
          if (reply[0] === 1) void this.give(key, channel, id, group).catch(() => {});
        };
        const reply = await untilAborted(this.take(key, id, cap, group), signal, giveBack);
        if (reply[0] === 1) return this.lease(group, key, channel, id, cap, Number(reply[1]));
        if ((this.heard.get(channel) ?? 0) === before) await this.released(channel, Number(reply[1]), signal);
      }
    } finally {
      handOn();
    }
  }

  /** Releases this object's leases still held, and closes the clients weft opened. */
  async close(): Promise<void> {
    await Promise.all([...this.held].map((l) => l.release()));
    const subscriber = await this.subscriber?.catch(() => undefined);
    subscriber?.disconnect();
    const client = await this.client.catch(() => undefined);
    if (client?.owned) await client.redis.quit().catch(() => client.redis.disconnect());
  }

  private lease(group: string, key: string, channel: string, id: string, cap: number, expiresAt: number): SemaphoreLease {
    const lost = new AbortController();
    let released = false;
    const renew = async () => {
      try {
        const reply = await this.take(key, id, cap, group);
        if (released) return;
        if (reply[0] === 1) lease.expiresAt = Number(reply[1]);
        else {
          stop();
          lost.abort(new ConcurrencyLeaseLostError(group, id));
        }
      } catch {
        // Redis unreachable: nobody else can take the slot either; the next renewal tries again.
      }
    };
    // A holder's timer must not keep its process alive on its own.
    const timer = setInterval(() => void renew(), Math.floor(this.leaseMs / 3));
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      this.held.delete(lease);
    };
    const lease = {
      group,
      id,
      expiresAt,
      signal: lost.signal,
      release: async () => {
        if (released) return;
        released = true;
        stop();
        await this.give(key, channel, id, group);
      },
    };
    this.held.add(lease);
    return lease;
  }

  private async take(key: string, id: string, cap: number, group: string): Promise<[number, string | number]> {
    try {
      const { redis } = await this.client;
      return await (redis as WithScripts).weftSemTake(key, id, cap, this.leaseMs);
    } catch (error) {
      throw toTyped(error, `concurrency group \`${group}\`: acquire`);
    }
  }

  private async give(key: string, channel: string, id: string, group: string): Promise<void> {
    try {
      const { redis } = await this.client;
      await (redis as WithScripts).weftSemGive(key, channel, id);
    } catch (error) {
      throw toTyped(error, `concurrency group \`${group}\`: release`);
    }
  }

  /** Subscribes (once per channel) before the first take, so no release after it goes unheard. */
  private listen(channel: string, group: string): Promise<void> {
    let subscribed = this.subscriptions.get(channel);
    if (subscribed !== undefined) return subscribed;
    this.listeners.set(channel, new Set());
    this.subscriber ??= this.client.then(({ redis }) => {
      const sub = redis.duplicate();
      sub.on('message', (ch: string) => this.hear(ch));
      // Releases published while reconnecting are lost: retry every group on reconnect.
      let first = true;
      sub.on('ready', () => {
        if (!first) for (const ch of this.listeners.keys()) this.hear(ch);
        first = false;
      });
      sub.on('error', () => {}); // reported by the commands that fail
      return sub;
    });
    subscribed = this.subscriber
      .then((sub) => sub.subscribe(channel))
      .then(
        () => undefined,
        (error: unknown) => {
          this.subscriptions.delete(channel); // the next acquire tries again
          throw toTyped(error, `concurrency group \`${group}\`: subscribe`);
        },
      );
    this.subscriptions.set(channel, subscribed);
    return subscribed;
  }

  private hear(channel: string): void {
    this.heard.set(channel, (this.heard.get(channel) ?? 0) + 1);
    for (const wake of this.listeners.get(channel) ?? []) wake();
  }

  /** Resolves on the next release heard on `channel`, or after `ms` (when the earliest lease runs out). */
  private released(channel: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const wakers = this.listeners.get(channel)!;
      const done = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        signal?.removeEventListener('abort', onAbort);
      };
      const wake = () => {
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Creates {@link RedisSemaphore} concurrency groups on `options.connection`. */
export function createRedisSemaphore(options: RedisSemaphoreOptions): RedisSemaphore {
  return new RedisSemaphore(options);
}
