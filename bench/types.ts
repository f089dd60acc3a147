/** One benchmark case: the same work done by each variant, timed side by side in one run. */
export interface BenchCase {
  /** The case's name with its parameters, e.g. `dot dim=384` or `scan top-10 rows=100000 dim=384`. */
  readonly name: string;
  /**
   * The variants, by name: `wasm`, `ts`, or a peer's npm package name (`msgpackr`, `JSON`, ...).
   * Each function does one iteration; inputs are prepared before, outputs preallocated.
   */
  readonly variants: Readonly<Record<string, () => unknown>>;
  /**
   * Figures the case measured itself, by variant (bytes per task, p99 settle time, makespan
   * ratio, ...): copied into that variant's record as `metrics` and printed. Names carry units.
   */
  readonly metrics?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Bytes of memory each iteration must read, when it is bandwidth-bound (prints GB/s). */
  readonly bytesRead?: number;
  /**
   * Operations each variant call performs (a case that loops inside its own function literals,
   * so every variant's call site stays monomorphic). Times are divided by it. @default 1
   */
  readonly opsPerCall?: number;
  /** Time budget per variant in ms (default: the harness's). Raise it for slow cases. */
  readonly timeMs?: number;
  /**
   * Fewest samples per round (tinybench's `iterations`, which it reaches even when `timeMs` is
   * spent; its warm-up then takes at most as many). Lower it for calls that take seconds: with
   * tinybench's default of 64 (+16 warm-up) in each of 3 rounds, a 1-second call costs 4 minutes.
   * @default 64
   */
  readonly minSamples?: number;
}

/** A suite of cases, in `bench/<suite>.bench.ts` as its default export. */
export interface BenchSuite {
  /** Suite name: `vector`, `graph`, `codec`, ... */
  readonly name: string;
  /**
   * Builds the cases whose full name (`<suite> <case>`) passes `wanted`. Build only those:
   * preparing data for a filtered-out case wastes the run's time.
   */
  cases(wanted: (caseName: string) => boolean): Promise<readonly BenchCase[]> | readonly BenchCase[];
  /**
   * Releases what `cases` started (servers, child processes, connections) once its cases ran:
   * anything left open would keep the runner's process alive after the last suite.
   */
  close?(): Promise<void> | void;
}

/** One row of `--json` output. */
export interface BenchRecord {
  readonly suite: string;
  readonly case: string;
  readonly variant: string;
  readonly opsPerSec: number;
  readonly meanNs: number;
  readonly medianNs: number;
  readonly p99Ns: number;
  readonly samples: number;
  /** Effective read bandwidth (GB/s) at the median, for bandwidth-bound cases. */
  readonly gbPerSec?: number;
  /** Figures the case measured itself (see `BenchCase.metrics`), names with units. */
  readonly metrics?: Readonly<Record<string, number>>;
}
