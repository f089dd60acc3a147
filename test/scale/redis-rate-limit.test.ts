// The rate limiter shared through a real redis-server (test/support/redis-server.ts): the budget
// holds across separate processes (checked on the grants' own times, on Redis's clock), tokens
// charged after the fact hold requests back, a pause holds every client, aborts reject with
// their reason without spending the budget, a restarted Redis is survived, and an unreachable
// one gives the typed error.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWeftError, RedisUnavailableError } from '../../src/errors.js';
import { createRedisRateLimiter, type RedisRateLimit } from '../../src/scale/redis-rate-limit.js';
import { startLimitChild } from '../support/limit-child.js';
import { afterSend, redisOrSkip, startRedis, type RedisServer } from '../support/redis-server.js';

/** Resolves once `check` holds, asking again after each answer (each is a Redis round trip, not a sleep). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) {
    // next round trip
  }
}

describe.skipIf(redisOrSkip())('RedisRateLimit on a real redis-server', () => {
  let server: RedisServer;
  let limiter: RedisRateLimit;
  const name = () => `limit-${randomUUID()}`;

  beforeAll(async () => {
    server = await startRedis();
    limiter = createRedisRateLimiter({ connection: server.url, prefix: 'test' });
  });
  afterAll(async () => {
    await limiter?.close();
    await server?.stop();
  });

  it('holds N requests per interval across 3 processes of 4 concurrent loops, on the grants own (Redis) times', async () => {
    const limit = name();
    const N = 10;
    const intervalMs = 400;
    const each = 12;
    const children = [0, 1, 2].map(() => startLimitChild([server.url, 'rate', limit, each, intervalMs, N, 4]));
    await Promise.all(children.map((c) => c.exited));
    const grants = children.map((c) => c.lines.filter((l) => l.startsWith('grant ')).map((l) => Number(l.slice(6))));
    for (const g of grants) expect(g).toHaveLength(each);
    const times = grants.flat().sort((a, b) => a - b);
    // A bucket of N refilled at N per interval: any k grants from t_i to t_j need k <= N + (t_j - t_i) * N / interval,
    // which bounds every window of intervalMs to 2N (N plus the burst) and the whole run to its rate.
    const rate = N / intervalMs;
    let worst = -Infinity;
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) worst = Math.max(worst, j - i + 1 - N - (times[j] - times[i]) * rate);
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
    for (let i = 0; i < times.length; i++) expect(times.filter((t) => t >= times[i] && t < times[i] + intervalMs).length).toBeLessThanOrEqual(2 * N);
    // 36 grants through a bucket of 10 took at least 26 refills: the limit did bind.
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(((3 * each - N) / rate) * (1 - 1e-9));
  });

  it('holds requests back while charged tokens leave the balance not positive, until refilled', async () => {
    const limit = name();
    const options = { intervalMs: 1000, requestsPerInterval: 100, tokensPerInterval: 1000 };
    await limiter.acquire(limit, options);
    expect((await limiter.state(limit)).tokens).toBe(1000);
    await limiter.charge(limit, 1500);
    const after = await limiter.state(limit);
    expect(after.tokens).toBeLessThan(0);
    // Another client, as another machine would: the balance is Redis's, not this process's.
    const other = createRedisRateLimiter({ connection: server.url, prefix: 'test' });
    try {
      const granted = await other.acquire(limit, options);
      const refilledAt = after.now + (-after.tokens / 1000) * options.intervalMs;
      expect(granted).toBeGreaterThanOrEqual(refilledAt);
      expect((await other.state(limit)).tokens).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('charges from a process that never defined the limit use the budgets stored with it', async () => {
    const limit = name();
    await limiter.acquire(limit, { intervalMs: 60_000, tokensPerInterval: 100 });
    const other = createRedisRateLimiter({ connection: server.url, prefix: 'test' });
    try {
      await other.charge(limit, 250);
      await other.chargeBytes(limit, 0);
      expect((await other.state(limit)).tokens).toBeLessThan(-149);
      await expect(other.charge(name(), 1)).rejects.toThrow(/to be a rate limit defined in this process or stored in Redis/);
    } finally {
      await other.close();
    }
  });

  it('a pause (retry-after) holds every client until it ends', async () => {
    const limit = name();
    const options = { intervalMs: 1000, requestsPerInterval: 1000 };
    await limiter.acquire(limit, options);
    await limiter.pause(limit, 300);
    const { pausedUntil } = await limiter.state(limit);
    const other = createRedisRateLimiter({ connection: server.url, prefix: 'test', limits: { [limit]: options } });
    try {
      expect(await other.acquire(limit)).toBeGreaterThanOrEqual(pausedUntil);
    } finally {
      await other.close();
    }
  });

  it('aborting a waiting acquire rejects with the reason at once and spends nothing', async () => {
    const limit = name();
    const options = { intervalMs: 60_000, requestsPerInterval: 1 };
    await limiter.acquire(limit, options);
    const reason = new Error('run cancelled');
    const waiting = new AbortController();
    const queued = new AbortController();
    const first = limiter.acquire(limit, options, waiting.signal);
    const second = limiter.acquire(limit, options, queued.signal); // queued in this process behind `first`
    // The moment is arbitrary (in flight or waiting its minute): either way it must reject now.
    setTimeout(() => waiting.abort(reason), 20);
    await expect(first).rejects.toBe(reason);
    queued.abort(reason);
    await expect(second).rejects.toBe(reason);
    // Well inside the minute the next request needs, and none was taken by the aborted ones.
    const state = await limiter.state(limit);
    expect(state.requests).toBeLessThan(0.01);
    expect(state.requests).toBeGreaterThanOrEqual(0);
  });

  it('a grant arriving after its acquire was aborted is given back', async () => {
    const limit = name();
    const options = { intervalMs: 60_000, requestsPerInterval: 1 };
    const controller = new AbortController();
    const reason = new Error('gone');
    // Abort just after the acquire's script went out, so its grant (the bucket is full) arrives
    // after the rejection.
    const client = new Redis(server.url);
    afterSend(client, (command) => void (/^eval/.test(command.name) && command.args.includes('acquire') && controller.abort(reason)));
    const own = createRedisRateLimiter({ connection: client, prefix: 'test' });
    await expect(own.acquire(limit, options, controller.signal)).rejects.toBe(reason);
    expect(controller.signal.aborted).toBe(true);
    // The refund follows the grant's reply on the same client: the one request is back.
    await until(async () => (await own.state(limit)).requests >= 1);
    expect((await limiter.state(limit)).requests).toBe(1);
    await own.close();
    client.disconnect();
  });

  it('survives a restart of Redis (without persistence: the buckets start full again)', async () => {
    const limit = name();
    const options = { intervalMs: 60_000, requestsPerInterval: 2 };
    await limiter.acquire(limit, options);
    await limiter.acquire(limit, options);
    expect((await limiter.state(limit)).requests).toBeLessThan(0.01);
    await server.restart();
    // The script cache is empty too: the client loads the script again.
    await limiter.acquire(limit, options);
    expect((await limiter.state(limit)).requests).toBeGreaterThanOrEqual(1);
  });

  it('rejects with REDIS_UNAVAILABLE when Redis cannot be reached', async () => {
    const other = await startRedis();
    await other.stop(); // its port is free now: nothing answers there
    const unreachable = createRedisRateLimiter({ connection: other.url, redisOptions: { maxRetriesPerRequest: 0, retryStrategy: () => null } });
    const error = await unreachable.acquire(name(), { requestsPerInterval: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(isWeftError(error, 'REDIS_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^Redis unavailable during rate limit `limit-.*`: acquire: /);
    expect((error as Error).cause).toBeInstanceOf(Error);
    await unreachable.close();
    // A client of the caller's, which the limiter leaves as it is.
    const client = new Redis(other.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    client.on('error', () => {});
    const theirs = createRedisRateLimiter({ connection: client });
    await expect(theirs.charge('x', 1)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    await theirs.close();
    client.disconnect();
  });

  it('rejects bad options with the house message shape', async () => {
    expect(() => createRedisRateLimiter({ connection: 'localhost:6379' })).toThrow(
      'Expected `connection` to be a redis:// or rediss:// URL, ioredis options or an ioredis client, got `"localhost:6379"` (string)',
    );
    expect(() => createRedisRateLimiter({ connection: server.url, prefix: '' })).toThrow('Expected `prefix` to be a non-empty string, got `""` (string)');
    expect(() => limiter.define('x', { intervalMs: 0, requestsPerInterval: 1 })).toThrow(
      new RangeError('Expected `rateLimits.x.intervalMs` to be a finite number > 0, got `0` (number)'),
    );
    expect(() => limiter.define('x', {})).toThrow(TypeError);
    await expect(limiter.acquire('never-defined')).rejects.toThrow('Expected `never-defined` to be a rate limit defined with define() or given options, got none');
    await expect(limiter.charge(name(), -1)).rejects.toThrow(new RangeError('Expected `tokens` to be a finite number >= 0, got `-1` (number)'));
    await expect(limiter.acquire('', { requestsPerInterval: 1 })).rejects.toThrow('Expected `name` to be a non-empty string, got `""` (string)');
  });
});
