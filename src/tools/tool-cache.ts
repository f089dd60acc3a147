// The executor's result cache: a bounded LRU (entries, bytes, TTL) of validated results, and
// the calls in flight, so identical concurrent calls of a cached tool share one run.

import { LRUCache } from 'lru-cache';
import { stableSerialize } from './args-digest.js';
import type { ResolvedToolExecutorOptions } from './executor-options.js';
import type { ToolRun } from './tool-run.js';
import type { ToolCacheStats } from './types.js';

interface Entry {
  readonly value: unknown;
}

// lru-cache reads the clock through `perf`; looking `performance` up on each read (rather than
// holding the object it found at import) lets fake timers in tests move TTLs too.
const clock = { now: () => performance.now() };

/** @internal */
export class ToolCache {
  private readonly lru: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, ToolRun>();
  private readonly ttlMs: number;
  hits = 0;
  misses = 0;
  shared = 0;

  constructor(options: ResolvedToolExecutorOptions['cache']) {
    const measure = options.sizeCalculation ?? ((value: unknown) => 2 * stableSerialize(value).length);
    this.ttlMs = options.ttlMs;
    this.lru = new LRUCache<string, Entry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      // lru-cache requires sizes of at least 1.
      sizeCalculation: (entry, key) => Math.max(1, Math.ceil(measure(entry.value, key.slice(0, key.indexOf('\0'))))),
      perf: clock,
    });
  }

  /** The fresh cached result under `key`, as `{ value }`, or `undefined`. */
  get(key: string): Entry | undefined {
    const entry = this.lru.get(key);
    if (entry !== undefined) this.hits += 1;
    return entry;
  }

  /** Keeps `value` under `key` for `ttlMs` (the executor's when undefined; `Infinity`: no TTL). */
  set(key: string, value: unknown, ttlMs: number | undefined): void {
    const ttl = ttlMs ?? this.ttlMs;
    this.lru.set(key, { value }, { ttl: ttl === Infinity ? 0 : Math.ceil(ttl) });
  }

  running(key: string): ToolRun | undefined {
    return this.inFlight.get(key);
  }

  track(key: string, run: ToolRun): void {
    this.inFlight.set(key, run);
    const done = () => {
      if (this.inFlight.get(key) === run) this.inFlight.delete(key);
    };
    run.promise.then(done, done);
  }

  stats(): ToolCacheStats {
    return { hits: this.hits, misses: this.misses, shared: this.shared, entries: this.lru.size, bytes: this.lru.calculatedSize };
  }
}
