// Rate limiters shared through Redis, so one provider budget holds for every process on every
// machine: the in-process limiter's token bucket (src/scheduler/rate-limiter.ts: same options,
// same semantics) kept in one Redis hash and updated by one Lua script, atomically, on Redis's
// own clock (TIME), so the machines' clocks do not matter. Nothing polls: a refused request is
// told how long to wait and waits that long.

import type { Redis } from 'ioredis';
import { checkRateLimit, type RateLimitOptions } from '../scheduler/rate-limiter.js';
import { expectedMessage } from '../internal/validate.js';
import { checkRedisOptions, defineScript, openClient, toTyped, untilAborted, type HeldClient } from './redis-command.js';
import type { RedisClientOptions, RedisConnection } from './redis-connection.js';

// KEYS[1]: the bucket. ARGV: op, amount, intervalMs, requests, tokens and bytes per interval
// (0 = unlimited; intervalMs 0 = the budgets the last caller that gave them stored).
// Reply: {-1} budgets unknown; {ms} wait that long; {0, sec, usec} done, at that Redis time
// (`acquire`: {0, sec, usec, granted}); `state`: {0, sec, usec, requests, tokens, bytes, pausedUntil}.
const SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local key, op, amount = KEYS[1], ARGV[1], tonumber(ARGV[2])
local s = redis.call('HMGET', key, 'iv', 'rq', 'tk', 'by', 'r', 'k', 'b', 't', 'p')
local function f(x) return string.format('%.17g', x) end
local iv, rq, tk, by = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
if iv == 0 then
  iv, rq, tk, by = tonumber(s[1]), tonumber(s[2]), tonumber(s[3]), tonumber(s[4])
  if iv == nil then
    if op ~= 'pause' then return {-1} end
    local p = math.max(tonumber(s[9]) or 0, now + amount)
    redis.call('HSET', key, 'p', f(p))
    redis.call('PEXPIRE', key, math.ceil(p - now) + 86400000)
    return {0, time[1], time[2]}
  end
end
local huge = math.huge
local rcap, kcap, bcap = huge, huge, huge
if rq > 0 then rcap = math.max(1, rq) end
if tk > 0 then kcap = tk end
if by > 0 then bcap = by end
local r, k, b = huge, huge, huge
if rq > 0 then r = math.min(tonumber(s[5]) or rcap, rcap) end
if tk > 0 then k = math.min(tonumber(s[6]) or kcap, kcap) end
if by > 0 then b = math.min(tonumber(s[7]) or bcap, bcap) end
local last = tonumber(s[8]) or now
local p = tonumber(s[9]) or 0
local dt = now - last
if dt > 0 then
  if rq > 0 then r = math.min(rcap, r + dt * rq / iv) end
  if tk > 0 then k = math.min(kcap, k + dt * tk / iv) end
  if by > 0 then b = math.min(bcap, b + dt * by / iv) end
end
local wait = 0
if now < p then wait = p - now end
if r < 1 then wait = math.max(wait, (1 - r) * iv / rq) end
if k <= 0 then wait = math.max(wait, (1e-9 - k) * iv / tk) end
if b <= 0 then wait = math.max(wait, (1e-9 - b) * iv / by) end
local reply = {0, time[1], time[2]}
if op == 'acquire' then
  -- Up to \`amount\` waiters at once, as many as the requests allow (all while tokens are positive).
  if wait > 0 then reply = {math.max(1, math.ceil(wait))} else
    local n = amount
    if rq > 0 then n = math.min(n, math.floor(r)); r = r - n end
    reply = {0, time[1], time[2], n}
  end
elseif op == 'refund' then r = math.min(rcap, r + amount)
elseif op == 'tokens' then k = k - amount
elseif op == 'bytes' then b = b - amount
elseif op == 'pause' then p = math.max(p, now + amount)
else reply = {0, time[1], time[2], f(r), f(k), f(b), f(p)} end
-- A clock that went back refills nothing until it has caught up.
redis.call('HSET', key, 'iv', f(iv), 'rq', f(rq), 'tk', f(tk), 'by', f(by), 't', f(math.max(last, now)), 'p', f(p))
local full = math.max(0, p - now)
if rq > 0 then redis.call('HSET', key, 'r', f(r)); full = math.max(full, (rcap - r) * iv / rq) else redis.call('HDEL', key, 'r') end
if tk > 0 then redis.call('HSET', key, 'k', f(k)); full = math.max(full, (kcap - k) * iv / tk) else redis.call('HDEL', key, 'k') end
if by > 0 then redis.call('HSET', key, 'b', f(b)); full = math.max(full, (bcap - b) * iv / by) else redis.call('HDEL', key, 'b') end
-- A bucket that expires is full (as it would be by then); the budgets stay a day longer, for
-- charges reported late by processes that never defined them.
redis.call('PEXPIRE', key, math.ceil(full) + 86400000)
return reply
`;

const COMMAND = 'weftRateLimit';
type Reply = (number | string)[];
// The waiters of one limiter in this process, in arrival order; one pump asks Redis for them all.
interface Waiter {
  resolve(at: number): void;
  reject(error: unknown): void;
  off(): void;
}
interface Line {
  readonly waiters: Waiter[];
  pumping: boolean;
  /** Ends the pump's wait early (when its last waiter left). */
  wake: (() => void) | undefined;
}
const settle = (w: Waiter, how: () => void) => {
  w.off();
  how();
};

type WithScript = Redis & { [COMMAND](key: string, ...args: (string | number)[]): Promise<Reply> };

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimitOptions {
  /** An ioredis client (left open by `close()`) or a `redis://` URL (a client opened for it and closed by `close()`). */
  readonly connection: RedisConnection;
  /** Prefix of the Redis keys: limiters with the same prefix and name share one budget. @default `'weft'` */
  readonly prefix?: string;
  /** Options of the client opened for a URL connection. @default `{}` */
  readonly redisOptions?: RedisClientOptions;
  /** Budgets by limiter name, as {@link RedisRateLimit.define} takes them. @default `{}` */
  readonly limits?: Readonly<Record<string, RateLimitOptions>>;
}

/** What a shared limiter holds now, read from Redis. */
export interface RedisRateLimiterState {
  readonly name: string;
  /** Requests available now (fractional while refilling; `Infinity` without `requestsPerInterval`). */
  readonly requests: number;
  /** Token balance now (negative after overuse; `Infinity` without `tokensPerInterval`). */
  readonly tokens: number;
  /** Byte balance now (negative after overuse; `Infinity` without `bytesPerInterval`). */
  readonly bytes: number;
  /** Until when (epoch ms on Redis's clock) a pause holds, or a past time. */
  readonly pausedUntil: number;
  /** Redis's clock when read (epoch ms). */
  readonly now: number;
}

const redisMs = (sec: number | string, usec: number | string): number => Number(sec) * 1000 + Number(usec) / 1000;
const balance = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));

/**
 * Named token-bucket rate limiters shared through Redis by every process using the same prefix:
 * the budgets of `defineRateLimit` (requests, tokens and bytes per interval; tokens and bytes
 * charged after the fact; a provider's retry-after pausing every request) held once for all
 * workers and coordinators. Create with {@link createRedisRateLimiter}.
 *
 * Every process should give a limiter the same budgets: the last one given is stored with the
 * bucket (so a process that never defined it can still charge it). Waiters in one process queue
 * locally and are granted together, one script call for as many as the budget allows; across
 * processes there is no queue (no fairness).
 */
export class RedisRateLimit {
  private readonly client: Promise<HeldClient>;
  private readonly prefix: string;
  private readonly limits = new Map<string, RateLimitOptions>();
  private readonly lines = new Map<string, Line>();

  /** @param options - see {@link RedisRateLimitOptions} */
  constructor(options: RedisRateLimitOptions) {
    const { connection, prefix } = checkRedisOptions(options);
    this.prefix = prefix;
    for (const [name, limit] of Object.entries(options.limits ?? {})) this.define(name, limit);
    this.client = openClient(connection, options.redisOptions).then((client) => {
      defineScript(client.redis, COMMAND, SCRIPT, 1);
      return client;
    });
    this.client.catch(() => {}); // reported by the first call
  }

  /** Sets the budgets of limiter `name` for this process's calls (validated as `defineRateLimit` does). */
  define(name: string, options: RateLimitOptions): void {
    checkName(name);
    checkRateLimit(name, options); // the in-process limiter's checks and messages
    this.limits.set(name, options);
  }

  /**
   * Waits until limiter `name` grants one request (the budgets allow it and no pause holds), and
   * takes it. Resolves with the grant's time on Redis's clock (epoch ms).
   * @param options - the budgets (defines them, as {@link define}); omitted: those defined before
   * @param signal - aborting rejects at once with its reason (a grant arriving after is given back)
   * @throws {@link RedisUnavailableError} when Redis cannot be reached.
   */
  async acquire(name: string, options?: RateLimitOptions, signal?: AbortSignal): Promise<number> {
    if (options !== undefined) this.define(name, options);
    else if (!this.limits.has(name)) {
      checkName(name);
      throw new TypeError(`Expected \`${name}\` to be a rate limit defined with define() or given options, got none`);
    }
    signal?.throwIfAborted();
    let line = this.lines.get(name);
    if (line === undefined) this.lines.set(name, (line = { waiters: [], pumping: false, wake: undefined }));
    const queue = line;
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, off: () => {} };
      if (signal !== undefined) {
        const onAbort = () => {
          const at = queue.waiters.indexOf(waiter);
          if (at < 0) return;
          queue.waiters.splice(at, 1);
          reject(signal.reason);
          if (queue.waiters.length === 0) queue.wake?.(); // nobody left to wait for
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.off = () => signal.removeEventListener('abort', onAbort);
      }
      queue.waiters.push(waiter);
      if (!queue.pumping) void this.pump(name, queue);
    });
  }

  /**
   * Asks Redis for as many grants as there are waiters (one script call for the lot), hands them
   * out in order, gives back those whose waiter left meanwhile, and waits as long as told.
   */
  private async pump(name: string, line: Line): Promise<void> {
    line.pumping = true;
    try {
      while (line.waiters.length > 0) {
        let reply: Reply;
        try {
          reply = await this.run(name, 'acquire', line.waiters.length);
        } catch (error) {
          for (const w of line.waiters.splice(0)) settle(w, () => w.reject(error));
          return;
        }
        if (reply[0] === 0) {
          const at = redisMs(reply[1], reply[2]);
          let granted = Number(reply[3]);
          for (; granted > 0 && line.waiters.length > 0; granted--) {
            const w = line.waiters.shift()!;
            settle(w, () => w.resolve(at));
          }
          if (granted > 0) void this.run(name, 'refund', granted).catch(() => {});
        } else {
          await new Promise<void>((resolve) => {
            const timer = setTimeout((line.wake = done), Number(reply[0]));
            function done() {
              clearTimeout(timer);
              line.wake = undefined;
              resolve();
            }
          });
        }
      }
    } finally {
      line.pumping = false;
      if (line.waiters.length === 0 && this.lines.get(name) === line) this.lines.delete(name);
    }
  }

  /**
   * Charges `tokens` to limiter `name` (reported after a request used them): requests wait
   * while the balance is not positive.
   * @throws {@link RedisUnavailableError} when Redis cannot be reached.
   */
  async charge(name: string, tokens: number, signal?: AbortSignal): Promise<void> {
    await this.report(name, 'tokens', 'tokens', tokens, signal);
  }

  /** Charges `bytes` of network traffic to limiter `name`, as {@link charge} does tokens. */
  async chargeBytes(name: string, bytes: number, signal?: AbortSignal): Promise<void> {
    await this.report(name, 'bytes', 'bytes', bytes, signal);
  }

  /** Holds every request of limiter `name`, in every process, for `ms` (a provider's retry-after). */
  async pause(name: string, ms: number, signal?: AbortSignal): Promise<void> {
    await this.report(name, 'pause', 'ms', ms, signal);
  }

  /** Limiter `name`'s balances now, read from Redis. */
  async state(name: string, signal?: AbortSignal): Promise<RedisRateLimiterState> {
    checkName(name);
    const reply = await untilAborted(this.run(name, 'state', 0), signal);
    if (reply[0] === -1) throw unknown(name);
    return {
      name,
      now: redisMs(reply[1], reply[2]),
      requests: balance(reply[3]),
      tokens: balance(reply[4]),
      bytes: balance(reply[5]),
      pausedUntil: Number(reply[6]),
    };
  }

  /** Closes the client opened for a URL connection (a client given is left open). */
  async close(): Promise<void> {
    const client = await this.client.catch(() => undefined);
    if (client?.owned) await client.redis.quit().catch(() => client.redis.disconnect());
  }

  private async report(name: string, op: string, what: string, amount: number, signal: AbortSignal | undefined): Promise<void> {
    checkName(name);
    if (typeof amount !== 'number' || !(amount >= 0) || !Number.isFinite(amount)) throw new RangeError(expectedMessage(what, 'a finite number >= 0', amount));
    const reply = await untilAborted(this.run(name, op, amount), signal);
    if (reply[0] === -1) throw unknown(name);
  }

  private async run(name: string, op: string, amount: number): Promise<Reply> {
    const o = this.limits.get(name);
    const args = o === undefined ? [0, 0, 0, 0] : [o.intervalMs ?? 60_000, o.requestsPerInterval ?? 0, o.tokensPerInterval ?? 0, o.bytesPerInterval ?? 0];
    try {
      const { redis } = await this.client;
      return await (redis as WithScript)[COMMAND](`${this.prefix}:rate:${name}`, op, amount, ...args);
    } catch (error) {
      throw toTyped(error, `rate limit \`${name}\`: ${op}`);
    }
  }
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(expectedMessage('name', 'a non-empty string', name));
}

function unknown(name: string): TypeError {
  return new TypeError(`Expected \`${name}\` to be a rate limit defined in this process or stored in Redis by another, got neither`);
}

/** Creates {@link RedisRateLimit} limiters on `options.connection`. */
export function createRedisRateLimiter(options: RedisRateLimitOptions): RedisRateLimit {
  return new RedisRateLimit(options);
}
