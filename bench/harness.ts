import { Bench } from 'tinybench';
import type { BenchCase, BenchRecord, BenchSuite } from './types.js';

/** Options of {@link runSuites}. */
export interface HarnessOptions {
  /** Only cases whose `<suite> <case>` contains one of these (case-insensitive). @default all */
  readonly filters: readonly string[];
  /** Time budget per variant, ms. @default 500 */
  readonly timeMs: number;
  /** Called with each finished case's records (for printing as the run goes). */
  readonly onCase?: (suite: string, benchCase: BenchCase, records: readonly BenchRecord[]) => void;
}

// tinybench times every call; below ~10 µs the timer's own cost (~30-60 ns) and its resolution
// would dominate, so fast functions are run in a loop and the time divided.
const TARGET_CALL_NS = 20_000;

const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as PromiseLike<unknown> | null)?.then === 'function';

async function calibrate(fn: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  const first = fn();
  // Asynchronous variants (a whole workflow run) are timed one call per sample, awaited.
  if (isThenable(first)) {
    await first;
    return 1;
  }
  let ns = Number(process.hrtime.bigint() - t0);
  if (ns > TARGET_CALL_NS / 2) return 1;
  const probe = 200;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < probe; i++) fn();
  ns = Number(process.hrtime.bigint() - t1) / probe;
  return Math.max(1, Math.min(100_000, Math.round(TARGET_CALL_NS / Math.max(ns, 1))));
}

function repeated(fn: () => unknown, times: number): () => unknown {
  // A single call passes its result through: a case may return tinybench's
  // `{ overriddenDuration }` to report a time it measured itself (e.g. inside a child process).
  if (times === 1) return fn;
  return () => {
    for (let i = 0; i < times; i++) fn();
  };
}

/** Whether `<suite> <case>` passes the filters. */
export function matches(filters: readonly string[], full: string): boolean {
  if (filters.length === 0) return true;
  const name = full.toLowerCase();
  return filters.some((f) => name.includes(f.toLowerCase()));
}

// Machines drift (frequency, neighbours): running all variants in several short rounds and
// taking each variant's median across rounds keeps the ratios honest when conditions change.
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function runCase(suite: string, c: BenchCase, timeMs: number): Promise<BenchRecord[]> {
  const budget = (c.timeMs ?? timeMs) / ROUNDS;
  const repeats = new Map<string, number>();
  const ops = c.opsPerCall ?? 1;
  for (const [variant, fn] of Object.entries(c.variants)) repeats.set(variant, await calibrate(fn));
  const rounds: Map<string, { p50: number; mean: number; p99: number; samples: number }>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({
      time: budget,
      warmupTime: Math.min(100, budget / 4),
      throws: true,
      ...(c.minSamples === undefined ? {} : { iterations: c.minSamples, warmupIterations: Math.min(16, c.minSamples) }),
    });
    for (const [variant, fn] of Object.entries(c.variants)) bench.add(variant, repeated(fn, repeats.get(variant)!));
    await bench.run();
    const results = new Map<string, { p50: number; mean: number; p99: number; samples: number }>();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`${suite} ${c.name} [${task.name}]: ${r.state}`);
      const times = (repeats.get(task.name) ?? 1) * ops;
      results.set(task.name, {
        p50: (r.latency.p50 * 1e6) / times,
        mean: (r.latency.mean * 1e6) / times,
        p99: (r.latency.p99 * 1e6) / times,
        samples: r.latency.samplesCount * times,
      });
    }
    rounds.push(results);
  }
  return Object.keys(c.variants).map((variant) => {
    const per = rounds.map((r) => r.get(variant)!);
    const medianNs = median(per.map((p) => p.p50));
    return {
      suite,
      case: c.name,
      variant,
      opsPerSec: 1e9 / medianNs,
      meanNs: per.reduce((a, p) => a + p.mean * p.samples, 0) / per.reduce((a, p) => a + p.samples, 0),
      medianNs,
      p99Ns: median(per.map((p) => p.p99)),
      samples: per.reduce((a, p) => a + p.samples, 0),
      ...(c.bytesRead === undefined ? {} : { gbPerSec: c.bytesRead / medianNs }),
      ...(c.metrics?.[variant] ? { metrics: c.metrics[variant] } : {}),
    };
  });
}

/** Runs every case of `suites` that passes the filters; returns one record per case and variant. */
export async function runSuites(suites: readonly BenchSuite[], options: HarnessOptions): Promise<BenchRecord[]> {
  const all: BenchRecord[] = [];
  for (const suite of suites) {
    try {
      const cases = await suite.cases((name) => matches(options.filters, `${suite.name} ${name}`));
      for (const c of cases) {
        if (!matches(options.filters, `${suite.name} ${c.name}`)) continue;
        const records = await runCase(suite.name, c, options.timeMs);
        options.onCase?.(suite.name, c, records);
        all.push(...records);
      }
    } finally {
      await suite.close?.();
    }
  }
  return all;
}

function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/**
 * One table line per case: each variant's median, then WASM's speed-up over TS
 * (`ts median / wasm median`) and over each peer.
 */
export function formatCase(records: readonly BenchRecord[]): string {
  const by = new Map(records.map((r) => [r.variant, r]));
  const extra = (r: BenchRecord): string =>
    r.metrics ? ` [${Object.entries(r.metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(', ')}]` : '';
  const parts = records.map((r) => `${r.variant} ${formatNs(r.medianNs)}${r.gbPerSec ? ` (${r.gbPerSec.toFixed(2)} GB/s)` : ''}${extra(r)}`);
  const wasm = by.get('wasm');
  const ratios: string[] = [];
  if (wasm) {
    for (const r of records) {
      if (r.variant !== 'wasm') ratios.push(`wasm/${r.variant} ${(r.medianNs / wasm.medianNs).toFixed(2)}x`);
    }
  }
  return `${records[0]?.case ?? ''}\n    ${parts.join(' | ')}${ratios.length ? `\n    speed-up: ${ratios.join(', ')}` : ''}`;
}
