// Samples the process's CPU, heap (against its limit) and event-loop delay, and tells the runs
// that asked (`workflow({ pressure })`) when the process comes under pressure and when it eases:
// meanwhile they start fewer tasks. One sampling timer per sampler, shared by every run that
// watches it and unref'ed; the Node sampler loads node:v8 and node:perf_hooks on first use, so
// the browser entry can load the engine without them.

import { checkInteger, expectedMessage } from '../internal/validate.js';

/** One reading of the process's resources. */
export interface ResourceSample {
  /** Heap in use over the heap's limit (`used_heap_size / heap_size_limit`). */
  readonly heapRatio: number;
  /** Event-loop delay over the last interval, ms (its p99). */
  readonly loopDelayMs: number;
  /** Process CPU time over wall time in the last interval (1 = one core busy). */
  readonly cpu: number;
}

/** Where readings come from: the Node sampler by default, or yours (tests inject readings). */
export interface ResourceSampler {
  /** The reading now (the delay and CPU cover the time since the last call). */
  sample(): ResourceSample;
}

/** Options of `workflow({ pressure })`. */
export interface PressureOptions {
  /** Under pressure from this heap ratio on (see {@link ResourceSample.heapRatio}). @default 0.9 */
  readonly heapRatio?: number;
  /** Under pressure from this event-loop delay on, ms. @default 100 */
  readonly loopDelayMs?: number;
  /** Tasks that may run at once while under pressure. @default 1 */
  readonly concurrency?: number;
  /** Time between readings, ms. @default 250 */
  readonly intervalMs?: number;
  /** The readings. @default the Node sampler (`v8.getHeapStatistics`, `monitorEventLoopDelay`, `process.cpuUsage`) */
  readonly sampler?: ResourceSampler;
}

/** Defaults of {@link PressureOptions}. */
export const DEFAULT_PRESSURE_OPTIONS = Object.freeze({ heapRatio: 0.9, loopDelayMs: 100, concurrency: 1, intervalMs: 250 });

/** {@link PressureOptions} resolved. */
export interface ResolvedPressure {
  readonly heapRatio: number;
  readonly loopDelayMs: number;
  readonly concurrency: number;
  readonly intervalMs: number;
  readonly sampler: ResourceSampler | undefined;
}

/** What a `run:pressure` event says. */
export interface PressureState extends ResourceSample {
  /** Whether the run now starts fewer tasks. */
  readonly active: boolean;
  /** Which thresholds the reading is over (empty once it eases). */
  readonly over: readonly ('heap' | 'loopDelay')[];
}

function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new RangeError(expectedMessage(name, 'a finite number > 0', value));
  return value;
}

/** Validates `workflow({ pressure })`: `undefined`/`false` is off, `true` the defaults. */
export function resolvePressure(options: boolean | PressureOptions | undefined): ResolvedPressure | undefined {
  if (options === undefined || options === false) return undefined;
  const o: PressureOptions = options === true ? {} : options;
  if (typeof o !== 'object' || o === null) throw new TypeError(expectedMessage('pressure', 'a boolean or pressure options', options));
  const d = DEFAULT_PRESSURE_OPTIONS;
  if (o.sampler !== undefined && typeof o.sampler?.sample !== 'function') throw new TypeError(expectedMessage('pressure.sampler', 'a ResourceSampler (an object with a sample() method)', o.sampler));
  return Object.freeze({
    heapRatio: checkPositive('pressure.heapRatio', o.heapRatio ?? d.heapRatio),
    loopDelayMs: checkPositive('pressure.loopDelayMs', o.loopDelayMs ?? d.loopDelayMs),
    concurrency: checkInteger('pressure.concurrency', o.concurrency ?? d.concurrency, 1),
    intervalMs: checkInteger('pressure.intervalMs', o.intervalMs ?? d.intervalMs, 1),
    sampler: o.sampler,
  });
}

/** The Node sampler: heap from `v8.getHeapStatistics()`, delay from `monitorEventLoopDelay`, CPU from `process.cpuUsage()`. */
export async function createNodeSampler(): Promise<ResourceSampler> {
  const [{ getHeapStatistics }, { monitorEventLoopDelay, performance }] = await Promise.all([import('node:v8'), import('node:perf_hooks')]);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  return {
    sample(): ResourceSample {
      const heap = getHeapStatistics();
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      const sample = {
        heapRatio: heap.used_heap_size / heap.heap_size_limit,
        loopDelayMs: delay.count > 0 ? delay.percentile(99) / 1e6 : 0,
        cpu: (used.user + used.system) / 1000 / Math.max(now - wall, 1e-3),
      };
      delay.reset();
      cpu = process.cpuUsage();
      wall = now;
      return sample;
    },
  };
}

type Listener = (sample: ResourceSample) => void;

/** One sampling timer and the runs that listen to it. */
class Monitor {
  readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sampler: ResourceSampler | Promise<ResourceSampler>,
    private readonly intervalMs: number,
  ) {}

  add(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      (this.timer as { unref?: () => void }).unref?.();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private async tick(): Promise<void> {
    const sampler = await this.sampler;
    const sample = sampler.sample();
    for (const listener of this.listeners) listener(sample);
  }
}

const monitors = new Map<ResourceSampler | undefined, Map<number, Monitor>>();
let nodeSampler: Promise<ResourceSampler> | undefined;

/** Calls `listener` with a reading every `intervalMs` (a timer shared per sampler and interval). Returns the unsubscribe function. */
export function watchResources(sampler: ResourceSampler | undefined, intervalMs: number, listener: Listener): () => void {
  let byInterval = monitors.get(sampler);
  if (byInterval === undefined) monitors.set(sampler, (byInterval = new Map()));
  let monitor = byInterval.get(intervalMs);
  if (monitor === undefined) {
    monitor = new Monitor(sampler ?? (nodeSampler ??= createNodeSampler()), intervalMs);
    byInterval.set(intervalMs, monitor);
  }
  return monitor.add(listener);
}

/** What {@link watchPressure} changes on a run. */
export interface PressureHost {
  pressureCap: number | undefined;
  readonly settled: boolean;
  emit(code: number, i: number, extra?: { pressure: PressureState }): void;
  tick(): number;
  pump(): void;
}

/** Event code of `run:pressure` (its index in EVENT_TYPES). */
const RUN_PRESSURE = 15;

/** Watches the readings for `run`: caps its running tasks while under pressure, with an event at each change. */
export function watchPressure(run: PressureHost, options: ResolvedPressure): () => void {
  return watchResources(options.sampler, options.intervalMs, (sample) => {
    if (run.settled) return;
    const over: ('heap' | 'loopDelay')[] = [];
    if (sample.heapRatio >= options.heapRatio) over.push('heap');
    if (sample.loopDelayMs >= options.loopDelayMs) over.push('loopDelay');
    const active = over.length > 0;
    if (active === (run.pressureCap !== undefined)) return;
    run.pressureCap = active ? options.concurrency : undefined;
    run.tick();
    run.emit(RUN_PRESSURE, -1, { pressure: { active, over, heapRatio: sample.heapRatio, loopDelayMs: sample.loopDelayMs, cpu: sample.cpu } });
    if (!active) run.pump();
  });
}
