// Named token-bucket rate limiters shared by every run in the process, because the budget they
// model (an LLM provider's requests and tokens per minute) is the process's, not one run's.
// Waiters are woken by one timer per limiter: nothing polls.

import { expectedMessage } from '../internal/validate.js';

/** Budgets of a named rate limiter. At least one of the budgets must be given. */
export interface RateLimitOptions {
  /** Length of the budget window, in ms. @default 60000 */
  readonly intervalMs?: number;
  /** Requests (task starts) allowed per interval; refilled continuously. @default unlimited */
  readonly requestsPerInterval?: number;
  /**
   * Tokens allowed per interval; tasks report what they used with `ctx.reportTokens(n)`. A task
   * starts only while the balance is positive (its cost is unknown until it ends).
   * @default unlimited
   */
  readonly tokensPerInterval?: number;
  /**
   * Network bytes (sent + received) allowed per interval; tasks and the HTTP clients report them
   * with `ctx.reportBytes(n)`. Like tokens, charged after the fact: a task starts only while the
   * balance is positive.
   * @default unlimited
   */
  readonly bytesPerInterval?: number;
}

/** What a limiter reports about itself. */
export interface RateLimiterState {
  readonly name: string;
  /** Requests available now (fractional while refilling). */
  readonly requests: number;
  /** Token balance now (negative after overuse). */
  readonly tokens: number;
  /** Byte balance now (negative after overuse; `Infinity` without `bytesPerInterval`). */
  readonly bytes: number;
  /** Until when (epoch ms) a `retryAfter` pause holds, or 0. */
  readonly pausedUntil: number;
  /** Tasks waiting for this limiter, across runs. */
  readonly waiting: number;
}

const now = (): number => performance.now();

/** One token bucket with its queue of waiters. Create through {@link defineRateLimit}. */
export class RateLimiter {
  private requests: number;
  private tokens: number;
  private bytes: number;
  private requestRate = 0;
  private tokenRate = 0;
  private byteRate = 0;
  private requestCap = Infinity;
  private tokenCap = Infinity;
  private byteCap = Infinity;
  private last = now();
  private pausedUntil = 0;
  // Entries withdrawn by their run (cancelled) keep their slot with `wake` cleared.
  private readonly waiters: { wake: (() => void) | undefined }[] = [];
  private head = 0;
  private live = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** @param name - the key tasks name in `rateLimit` */
  constructor(
    readonly name: string,
    options: RateLimitOptions,
  ) {
    this.configure(options);
    this.requests = this.requestCap;
    this.tokens = this.tokenCap;
    this.bytes = this.byteCap;
  }

  /** Replaces the budgets (balances are clamped to the new caps). */
  configure(options: RateLimitOptions): void {
    const o = checkRateLimit(this.name, options);
    this.refill();
    // A bucket holds at least one request, so fractional budgets (0.5 per second) still grant.
    this.requestCap = Math.max(1, o.requestsPerInterval ?? Infinity);
    this.tokenCap = o.tokensPerInterval ?? Infinity;
    this.requestRate = (o.requestsPerInterval ?? Infinity) / o.intervalMs;
    this.tokenRate = this.tokenCap / o.intervalMs;
    this.byteCap = o.bytesPerInterval ?? Infinity;
    this.byteRate = this.byteCap / o.intervalMs;
    this.requests = Math.min(this.requests ?? this.requestCap, this.requestCap);
    this.tokens = Math.min(this.tokens ?? this.tokenCap, this.tokenCap);
    this.bytes = Math.min(this.bytes ?? this.byteCap, this.byteCap);
    // New budgets may let waiters go sooner (or later): re-arm the timer on the new rates.
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.arm();
    }
  }

  private refill(): void {
    const t = now();
    const dt = t - this.last;
    this.last = t;
    if (dt <= 0) return;
    if (this.requests < this.requestCap) this.requests = Math.min(this.requestCap, this.requests + dt * this.requestRate);
    if (this.tokens < this.tokenCap) this.tokens = Math.min(this.tokenCap, this.tokens + dt * this.tokenRate);
    if (this.bytes < this.byteCap) this.bytes = Math.min(this.byteCap, this.bytes + dt * this.byteRate);
  }

  /** Time in ms until a request could be granted; 0 means now. */
  private waitMs(): number {
    const t = now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    let wait = 0;
    if (this.requests < 1) wait = (1 - this.requests) / this.requestRate;
    if (this.tokens <= 0) wait = Math.max(wait, (1e-9 - this.tokens) / this.tokenRate);
    if (this.bytes <= 0) wait = Math.max(wait, (1e-9 - this.bytes) / this.byteRate);
    return wait;
  }

  /** Takes one request if the budgets allow it now. */
  tryAcquire(): boolean {
    this.refill();
    if (this.waitMs() > 0) return false;
    this.requests -= 1;
    return true;
  }

  /** Charges `n` tokens (reported by a task after the fact). */
  charge(n: number): void {
    this.refill();
    this.tokens -= n;
  }

  /** Charges `n` network bytes (reported by a task or an HTTP client after the fact). */
  chargeBytes(n: number): void {
    this.refill();
    this.bytes -= n;
  }

  /** Holds every request for `ms` (a provider answered 429 with retry-after). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now() + ms);
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.arm();
  }

  /**
   * Queues `wake` to be called when a request may be granted. The woken caller must try
   * {@link tryAcquire} again: another run may have taken the budget first. Returns a function
   * that withdraws the wait (a cancelled run leaves the queue, and nothing keeps a timer alive).
   */
  wait(wake: () => void): () => void {
    const entry = { wake: wake as (() => void) | undefined };
    this.waiters.push(entry);
    this.live++;
    this.arm();
    return () => {
      if (entry.wake === undefined) return;
      entry.wake = undefined;
      if (--this.live === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private arm(): void {
    if (this.timer !== undefined || this.live === 0) return;
    this.refill();
    const ms = this.waitMs();
    // setTimeout fires after 1 ms beyond 2^31-1 ms: wait in steps instead.
    this.timer = setTimeout(() => this.drain(), Math.min(2 ** 31 - 1, Math.max(1, Math.ceil(ms))));
  }

  private drain(): void {
    this.timer = undefined;
    this.refill();
    // Wake as many as could start now; each tries to acquire again.
    let grant = this.waitMs() > 0 ? 0 : Math.max(1, Math.floor(this.requests));
    if (((this.tokenRate !== 0 && this.tokens > 0) || (this.byteRate !== 0 && this.bytes > 0)) && grant > 1) grant = Math.min(grant, this.live);
    while (grant > 0 && this.head < this.waiters.length) {
      const entry = this.waiters[this.head++];
      const wake = entry.wake;
      if (wake === undefined) continue; // withdrawn
      entry.wake = undefined;
      this.live--;
      grant--;
      wake();
    }
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
    this.arm();
  }

  /** The limiter's balances and queue. */
  state(): RateLimiterState {
    this.refill();
    return {
      name: this.name,
      requests: this.requests,
      tokens: this.tokens,
      bytes: this.bytes,
      pausedUntil: this.pausedUntil > now() ? performance.timeOrigin + this.pausedUntil : 0,
      waiting: this.live,
    };
  }
}

/** Checks a limiter's budgets (messages name `rateLimits.<name>.<field>`); returns them with `intervalMs` filled in. */
export function checkRateLimit(name: string, options: RateLimitOptions): Required<Pick<RateLimitOptions, 'intervalMs'>> & RateLimitOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(expectedMessage(`rateLimits.${name}`, 'an options object', options));
  const intervalMs = options.intervalMs ?? 60_000;
  if (typeof intervalMs !== 'number' || !(intervalMs > 0) || !Number.isFinite(intervalMs)) {
    throw new RangeError(expectedMessage(`rateLimits.${name}.intervalMs`, 'a finite number > 0', intervalMs));
  }
  for (const key of ['requestsPerInterval', 'tokensPerInterval', 'bytesPerInterval'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !(v > 0))) {
      throw new RangeError(expectedMessage(`rateLimits.${name}.${key}`, 'a number > 0', v));
    }
  }
  if (options.requestsPerInterval === undefined && options.tokensPerInterval === undefined && options.bytesPerInterval === undefined) {
    throw new TypeError(`Expected \`rateLimits.${name}\` to set \`requestsPerInterval\`, \`tokensPerInterval\` or \`bytesPerInterval\`, got none`);
  }
  return { ...options, intervalMs };
}

const registry = new Map<string, RateLimiter>();

/**
 * Defines (or redefines) the process-wide rate limiter `name`. Every run's tasks with
 * `rateLimit: name` share it. Redefining keeps the current balances, clamped to the new caps.
 */
export function defineRateLimit(name: string, options: RateLimitOptions): RateLimiter {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(expectedMessage('name', 'a non-empty string', name));
  const existing = registry.get(name);
  if (existing) {
    existing.configure(options);
    return existing;
  }
  const limiter = new RateLimiter(name, options);
  registry.set(name, limiter);
  return limiter;
}

/** The process-wide rate limiter `name`, if defined. */
export function getRateLimiter(name: string): RateLimiter | undefined {
  return registry.get(name);
}
