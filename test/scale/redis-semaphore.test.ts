// Concurrency groups through a real redis-server: the cap holds across separate processes
// (counted by the holders themselves, in Redis), a release wakes a waiter elsewhere at once, a
// SIGKILLed holder's slot comes back when its lease runs out (not before), leases are renewed
// while held, aborts reject with their reason, and an unreachable Redis gives the typed error.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyLeaseLostError, RedisUnavailableError } from '../../src/errors.js';
import { createRedisSemaphore, type RedisSemaphore } from '../../src/scale/redis-semaphore.js';
import { startLimitChild } from '../support/limit-child.js';
import { afterSend, redisOrSkip, startRedis, type RedisServer } from '../support/redis-server.js';

describe.skipIf(redisOrSkip())('RedisSemaphore on a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  let semaphore: RedisSemaphore;
  const group = () => `group-${randomUUID()}`;
  const score = async (g: string, id: string) => Number(await redis.zscore(`weft:sem:${g}`, id));

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
    semaphore = createRedisSemaphore({ connection: server.url, leaseMs: 60_000 });
  });
  afterAll(async () => {
    await semaphore?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('never lets more than cap hold a group across 3 processes', async () => {
    const g = group();
    const cap = 2;
    const each = 30;
    const children = [0, 1, 2].map(() => startLimitChild([server.url, 'sem', g, each, cap, 10_000]));
    await Promise.all(children.map((c) => c.exited));
    const seen = children.flatMap((c) => c.lines.filter((l) => l.startsWith('held ')).map((l) => Number(l.slice(5))));
    expect(seen).toHaveLength(3 * each);
    expect(Math.max(...seen)).toBeLessThanOrEqual(cap);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
    expect(await redis.get(`${g}:holders`)).toBe('0');
    expect(await redis.zcard(`weft:sem:${g}`)).toBe(0);
  });

  it('a release wakes a waiter in another client at once, not at the lease end', async () => {
    const g = group();
    // Tells when the waiter's attempt was refused.
    const client = new Redis(server.url);
    let refused!: () => void;
    const wasRefused = new Promise<void>((resolve) => (refused = resolve));
    afterSend(client, (command) => {
      if (/^eval/.test(command.name)) void command.promise.then((reply) => void ((reply as unknown[])[0] === 0 && refused()), () => {});
    });
    const other = createRedisSemaphore({ connection: client, leaseMs: 60_000 });
    try {
      const held = await semaphore.acquire(g, 1);
      const waiting = other.acquire(g, 1);
      await wasRefused;
      await held.release();
      const lease = await waiting;
      // Granted before the held lease would have run out: the release was heard.
      expect(lease.expiresAt - 60_000).toBeLessThan(held.expiresAt);
      await lease.release();
    } finally {
      await other.close();
      client.disconnect();
    }
  });

  it('gives a SIGKILLed holder slot back when its lease runs out, not before', async () => {
    const g = group();
    // A live holder with a long lease keeps the group's key alive: the dead lease must be dropped on its own.
    const live = await semaphore.acquire(g, 2);
    const holder = startLimitChild([server.url, 'hold', g, 2, 900]);
    const [, id, expiresAt] = (await holder.line('held ')).split(' ');
    holder.process.kill('SIGKILL');
    expect(await holder.exited).toBe('SIGKILL');
    expect(await score(g, id)).toBeGreaterThan(0);
    const short = createRedisSemaphore({ connection: server.url, leaseMs: 900 });
    try {
      const lease = await short.acquire(g, 2);
      // The grant's time on Redis's clock is its expiry less the lease.
      expect(lease.expiresAt - 900).toBeGreaterThanOrEqual(Number(expiresAt));
      expect(await redis.zscore(`weft:sem:${g}`, id)).toBeNull();
      await lease.release();
      await live.release();
    } finally {
      await short.close();
    }
  });

  it('renews a lease while it is held, past the lease time, so no one else takes its slot', async () => {
    const g = group();
    const short = createRedisSemaphore({ connection: server.url, leaseMs: 300 });
    try {
      const lease = await short.acquire(g, 1);
      const first = lease.expiresAt;
      // A contender waits all along: had the lease lapsed, it would have taken the slot.
      const blocked = new AbortController();
      const reason = new Error('still held');
      const contender = semaphore.acquire(g, 1, blocked.signal);
      // Renewed every 100 ms: wait for the renewal that carries it past its first end.
      await new Promise<void>((resolve) => {
        const check = setInterval(() => lease.expiresAt > first + 300 && (clearInterval(check), resolve()), 10);
      });
      expect(await score(g, lease.id)).toBe(lease.expiresAt);
      expect(lease.signal.aborted).toBe(false);
      blocked.abort(reason);
      await expect(contender).rejects.toBe(reason);
      await lease.release();
      expect(await redis.zcard(`weft:sem:${g}`)).toBe(0);
    } finally {
      await short.close();
    }
  });

  it('a lease whose slot was taken while it lapsed is lost: its signal aborts with CONCURRENCY_LEASE_LOST', async () => {
    const g = group();
    const short = createRedisSemaphore({ connection: server.url, leaseMs: 300 });
    try {
      const lease = await short.acquire(g, 1);
      // As if it had run out unrenewed (a stalled process): dropped, and the slot taken by another.
      await redis.zrem(`weft:sem:${g}`, lease.id);
      const other = await semaphore.acquire(g, 1);
      const lost = await new Promise<unknown>((resolve) => lease.signal.addEventListener('abort', () => resolve(lease.signal.reason), { once: true }));
      expect(lost).toBeInstanceOf(ConcurrencyLeaseLostError);
      expect(lost).toMatchObject({ code: 'CONCURRENCY_LEASE_LOST', group: g, leaseId: lease.id });
      expect(await redis.zrange(`weft:sem:${g}`, 0, -1)).toEqual([other.id]);
      await lease.release(); // harmless: it removes only its own id
      expect(await redis.zrange(`weft:sem:${g}`, 0, -1)).toEqual([other.id]);
      await other.release();
    } finally {
      await short.close();
    }
  });

  it('a held lease is taken again by its renewal after Redis restarted empty', async () => {
    const g = group();
    const short = createRedisSemaphore({ connection: server.url, leaseMs: 300 });
    try {
      const lease = await short.acquire(g, 1);
      await server.restart();
      expect(await redis.zcard(`weft:sem:${g}`)).toBe(0);
      // Each check is a round trip to Redis; the renewal (every 100 ms) puts the lease back.
      while ((await redis.zscore(`weft:sem:${g}`, lease.id)) === null) {
        // next round trip
      }
      expect(lease.signal.aborted).toBe(false);
      await lease.release();
    } finally {
      await short.close();
    }
  });

  it('aborting a waiting acquire rejects with the reason and takes no slot', async () => {
    const g = group();
    const held = await semaphore.acquire(g, 1);
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const first = semaphore.acquire(g, 1, controller.signal);
    const second = semaphore.acquire(g, 1, controller.signal); // queued in this process behind `first`
    setTimeout(() => controller.abort(reason), 20);
    await expect(first).rejects.toBe(reason);
    await expect(second).rejects.toBe(reason);
    expect(await redis.zrange(`weft:sem:${g}`, 0, -1)).toEqual([held.id]);
    await held.release();
    await held.release(); // twice is fine
  });

  it('rejects with REDIS_UNAVAILABLE when Redis cannot be reached', async () => {
    const gone = await startRedis();
    await gone.stop();
    const unreachable = createRedisSemaphore({ connection: gone.url, redisOptions: { maxRetriesPerRequest: 0, retryStrategy: () => null } });
    const error = await unreachable.acquire('g', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as RedisUnavailableError).code).toBe('REDIS_UNAVAILABLE');
    await unreachable.close();
  });

  it('rejects bad arguments with the house message shape', async () => {
    expect(() => createRedisSemaphore({ connection: server.url, leaseMs: 1 })).toThrow(
      new RangeError('Expected `leaseMs` to be an integer >= 3, got `1` (number)'),
    );
    await expect(semaphore.acquire('g', 0)).rejects.toThrow(new RangeError('Expected `cap` to be an integer >= 1, got `0` (number)'));
    await expect(semaphore.acquire('', 1)).rejects.toThrow('Expected `group` to be a non-empty string, got `""` (string)');
  });
});
